"""AffinityNet head (docs/algorithm.md §3): each backbone stage through a 1x1 conv
(no bias) + ELU, bilinearly upsampled to the stride-8 grid, concatenated,
then a 1x1 conv (no bias) + ELU gives the embedding f_aff; with
embed_kernel 3 that conv also sees each cell's neighbours (a weak backbone's
pointwise features say little about where one region ends). The stage convs
scale their inputs by the training-set RMS (scaled_conv.py)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .scaled_conv import ScaledConv2d


class Net(nn.Module):
    def __init__(self, taps, in_channels, stage_channels, embed_channels, embed_kernel=1):
        super().__init__()
        if not len(taps) == len(in_channels) == len(stage_channels):
            raise ValueError(f'{len(taps)} taps, {len(in_channels)} input widths, {len(stage_channels)} stage widths')
        self.taps = list(taps)
        self.stages = nn.ModuleList(ScaledConv2d(i, o, 1, bias=False) for i, o in zip(in_channels, stage_channels))
        self.embed = nn.Conv2d(sum(stage_channels), embed_channels, embed_kernel, padding=embed_kernel // 2, bias=False)

    def set_input_rms(self, rms):
        """rms: one (C,) tensor per tap."""
        for conv, r in zip(self.stages, rms):
            conv.set_input_rms(r)

    def stage_maps(self, feats):
        """feats: {tap: (B, C, h, w)}, the first tap on the output grid -> the
        concatenated, upsampled stage maps (B, sum(stage_channels), H, W)."""
        size = feats[self.taps[0]].shape[-2:]
        return torch.cat([F.interpolate(F.elu(conv(feats[tap])), size=size, mode='bilinear', align_corners=False)
                          for tap, conv in zip(self.taps, self.stages)], dim=1)

    @property
    def pointwise(self):
        """True when embed_maps may run on any window of stage_maps' output."""
        return self.embed.kernel_size == (1, 1)

    def embed_maps(self, stages):
        return F.elu(self.embed(stages))

    def forward(self, feats):
        """-> f_aff (B, D, H, W) on the grid of the first tap."""
        return self.embed_maps(self.stage_maps(feats))

    def kernels(self):
        """{layer name: (kernel OIHW, bias or None)} as exported."""
        out = {f'stage{k}': (conv.folded_weight(), None) for k, conv in enumerate(self.stages)}
        out['embed'] = (self.embed.weight, None)
        return out

    def topology(self):
        layers = [{'name': f'stage{i}', 'type': 'conv2d', 'input': tap, 'kernel': 1, 'dilation': 1, 'padding': 'same',
                   'filters': conv.out_channels, 'bias': False, 'activation': 'elu',
                   'then': 'resize_bilinear (half-pixel centres) to the grid of ' + self.taps[0]}
                  for i, (tap, conv) in enumerate(zip(self.taps, self.stages))]
        layers.append({'name': 'embed', 'type': 'conv2d', 'input': 'concat(' + ','.join(l['name'] for l in layers) + ')',
                       'kernel': self.embed.kernel_size[0], 'dilation': 1, 'padding': 'same', 'filters': self.embed.out_channels,
                       'bias': False, 'activation': 'elu'})
        return layers
