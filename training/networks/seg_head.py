"""Segmentation head (docs/algorithm.md §6): two atrous 3x3 convolutions on the
stride-8 features, ReLU between them, logits for background + classes.

Optional context taps (coarser, deeper stages) each pass through a 3x3 conv
+ ReLU, are upsampled to the grid and join the first conv's output before
the second conv: the stride-8 tap alone does not tell the classes apart
(docs/experiments.md, "Segmentation head")."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .scaled_conv import ScaledConv2d


class TapFeatures(nn.Module):
    """conv1 (atrous, on the first tap, the output grid) and one context conv
    per deeper tap, each ReLU'd and resized to the grid, concatenated: the
    part the plain and the CAM-guided heads share."""

    def __init__(self, taps, in_channels, hidden, dilation):
        super().__init__()
        if len(taps) != len(in_channels):
            raise ValueError(f'{len(taps)} taps, {len(in_channels)} input widths')
        self.taps = list(taps)
        self.conv1 = ScaledConv2d(in_channels[0], hidden, 3, padding=dilation, dilation=dilation)
        self.context = nn.ModuleList(ScaledConv2d(c, hidden, 3, padding=1) for c in in_channels[1:])

    def set_input_rms(self, rms):
        """rms: one (C,) tensor per tap."""
        for conv, r in zip([self.conv1, *self.context], rms):
            conv.set_input_rms(r)

    def forward(self, feats):
        grid = feats[self.taps[0]]
        maps = [F.relu(self.conv1(grid))]
        maps += [F.interpolate(F.relu(conv(feats[tap])), size=grid.shape[-2:], mode='bilinear', align_corners=False)
                 for tap, conv in zip(self.taps[1:], self.context)]
        return torch.cat(maps, dim=1)


class Net(TapFeatures):
    def __init__(self, taps, in_channels, hidden, num_classes, dilation):
        super().__init__(taps, in_channels, hidden, dilation)
        self.conv2 = nn.Conv2d(hidden * len(self.taps), num_classes, 3, padding=dilation, dilation=dilation)

    def forward(self, feats):
        """feats: {tap: (B, C, h, w)}, the first tap on the output grid ->
        grid logits (B, 1 + classes, H, W); upsample bilinearly, then argmax."""
        return self.conv2(super().forward(feats))

    def kernels(self):
        """{layer name: (kernel OIHW, bias)} as exported."""
        out = {'conv1': (self.conv1.folded_weight(), self.conv1.bias)}
        out.update({f'context{k}': (conv.folded_weight(), conv.bias) for k, conv in enumerate(self.context)})
        out['conv2'] = (self.conv2.weight, self.conv2.bias)
        return out

    def topology(self):
        layers = [{'name': 'conv1', 'type': 'conv2d', 'input': self.taps[0], 'kernel': 3, 'dilation': self.conv1.dilation[0],
                   'padding': 'same', 'filters': self.conv1.out_channels, 'bias': True, 'activation': 'relu'}]
        layers += [{'name': f'context{k}', 'type': 'conv2d', 'input': tap, 'kernel': 3, 'dilation': 1, 'padding': 'same',
                    'filters': conv.out_channels, 'bias': True, 'activation': 'relu',
                    'then': 'resize_bilinear (half-pixel centres) to the grid of ' + self.taps[0]}
                   for k, (tap, conv) in enumerate(zip(self.taps[1:], self.context))]
        concat = layers[0]['name'] if len(layers) == 1 else 'concat(' + ','.join(l['name'] for l in layers) + ')'
        layers.append({'name': 'conv2', 'type': 'conv2d', 'input': concat, 'kernel': 3, 'dilation': self.conv2.dilation[0],
                       'padding': 'same', 'filters': self.conv2.out_channels, 'bias': True, 'activation': 'linear'})
        return layers
