"""AffinityNet head (SPEC.md §3): each backbone stage through a 1x1 conv
(no bias) + ELU, bilinearly upsampled to the stride-8 grid, concatenated,
then a 1x1 conv (no bias) + ELU gives the embedding f_aff.

The raw taps differ in scale by 30x (bb_s8 has an RMS near 10, bb_s32 near
0.4), so each input channel is divided by its RMS over the training set.
That is a per-input-channel scale of a 1x1 conv without bias, so the export
folds it into the kernels and the exported layers stay plain convolutions."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, taps, in_channels, stage_channels, embed_channels):
        super().__init__()
        self.taps = list(taps)
        self.stages = nn.ModuleList(nn.Conv2d(i, o, 1, bias=False) for i, o in zip(in_channels, stage_channels))
        self.embed = nn.Conv2d(sum(stage_channels), embed_channels, 1, bias=False)
        for k, i in enumerate(in_channels):
            self.register_buffer(f'input_scale{k}', torch.ones(i))

    def set_input_rms(self, rms):
        """rms: one (C,) tensor per tap."""
        for k, r in enumerate(rms):
            getattr(self, f'input_scale{k}').copy_(1 / r.clamp(min=1e-6))

    def folded_stage_kernel(self, k):
        """Stage k's kernel with the input scale folded in (for export)."""
        return self.stages[k].weight * getattr(self, f'input_scale{k}').view(1, -1, 1, 1)

    def forward(self, feats):
        """feats: {tap: (B, C, h, w)}, the first tap on the output grid -> f_aff (B, D, H, W)."""
        size = feats[self.taps[0]].shape[-2:]
        parts = []
        for k, tap in enumerate(self.taps):
            x = F.conv2d(feats[tap], self.folded_stage_kernel(k))
            parts.append(F.interpolate(F.elu(x), size=size, mode='bilinear', align_corners=False))
        return F.elu(self.embed(torch.cat(parts, dim=1)))

    def kernels(self):
        """{layer name: (kernel OIHW, bias or None)} as exported."""
        out = {f'stage{k}': (self.folded_stage_kernel(k), None) for k in range(len(self.taps))}
        out['embed'] = (self.embed.weight, None)
        return out

    def topology(self):
        layers = [{'name': f'stage{i}', 'type': 'conv2d', 'input': tap, 'kernel': 1, 'dilation': 1, 'padding': 'same',
                   'filters': conv.out_channels, 'bias': False, 'activation': 'elu',
                   'then': 'resize_bilinear (half-pixel centres) to the grid of ' + self.taps[0]}
                  for i, (tap, conv) in enumerate(zip(self.taps, self.stages))]
        layers.append({'name': 'embed', 'type': 'conv2d', 'input': 'concat(' + ','.join(l['name'] for l in layers) + ')',
                       'kernel': 1, 'dilation': 1, 'padding': 'same', 'filters': self.embed.out_channels,
                       'bias': False, 'activation': 'elu'})
        return layers
