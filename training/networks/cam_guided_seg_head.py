"""Segmentation head that reads each class's CAM (docs/algorithm.md §6b).

The plain head (seg_head.py) must tell the classes apart from backbone
features alone, and features learnt on clip-art composites do not carry over
to photographs. This head leaves *which* classes to the class evidence and
learns only *where*: for every class the image is said to contain, it sees
the shared features plus that class's normalised CAM and scores each cell
for that class. Background has the fixed logit 0, so the mask is the argmax
of [0, z_1 .. z_K]. The weights are shared by all classes, so it segments
any class its CAM names, the 20 VOC classes included.

    conv1    3x3 atrous on the stride-8 tap, ReLU          (shared)
    context  3x3 on each deeper tap, ReLU, resized to the grid
    trunk    1x1 on their concatenation, ReLU
    evidence 3x3 atrous on concat(trunk, class CAM), ReLU  (once per class)
    out      3x3 atrous to one logit

With a fine tap (seg.fine_tap, the detector's stride-4 branch) the head
answers on that tap's finer grid: the trunk is resized to it, a 3x3 conv
of the fine tap (`fine`, ReLU) joins it, and the class CAMs are resized to
it too, so the evidence and out convs see objects of one stride-8 cell
(a far duck) as four cells.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .scaled_conv import ScaledConv2d
from .seg_head import TapFeatures

CLASS_MAP = 'class_cam'
RESIZE = 'resize_bilinear (half-pixel centres) to the grid of '


class Net(TapFeatures):
    def __init__(self, taps, in_channels, hidden, trunk, evidence, dilation, fine=None):
        """`fine`: None, or (tap, its channels, the fine conv's filters)."""
        super().__init__(taps, in_channels, hidden, dilation)
        self.trunk = nn.Conv2d(hidden * len(self.taps), trunk, 1)
        self.fine_tap = fine[0] if fine else None
        self.fine = ScaledConv2d(fine[1], fine[2], 3, padding=1) if fine else None
        self.evidence = nn.Conv2d(trunk + (fine[2] if fine else 0) + 1, evidence, 3, padding=2, dilation=2)
        self.out = nn.Conv2d(evidence, 1, 3, padding=2, dilation=2)

    def set_input_rms(self, rms):
        """rms: one (C,) tensor per tap, the fine tap's last."""
        super().set_input_rms(rms[:len(self.taps)])
        if self.fine is not None:
            self.fine.set_input_rms(rms[len(self.taps)])

    def forward(self, feats, cams):
        """feats: {tap: (B, C, h, w)}; cams: (B, K, H, W) normalised CAMs of the
        classes asked about, on the first tap's grid -> logits (B, 1 + K, H', W'),
        channel 0 the background's constant 0; H', W' the fine tap's grid if
        there is one, else H, W."""
        shared = F.relu(self.trunk(super().forward(feats)))
        if self.fine is not None:
            fine = F.relu(self.fine(feats[self.fine_tap]))
            shared = torch.cat([resized(shared, fine), fine], dim=1)
            cams = resized(cams, fine)
        b, k, h, w = cams.shape
        per_class = torch.cat([shared.repeat_interleave(k, dim=0), cams.reshape(b * k, 1, h, w)], dim=1)
        z = self.out(F.relu(self.evidence(per_class))).view(b, k, h, w)
        return torch.cat([torch.zeros_like(z[:, :1]), z], dim=1)

    def kernels(self):
        """{layer name: (kernel OIHW, bias)} as exported."""
        out = {'conv1': (self.conv1.folded_weight(), self.conv1.bias)}
        out.update({f'context{k}': (conv.folded_weight(), conv.bias) for k, conv in enumerate(self.context)})
        if self.fine is not None:
            out['fine'] = (self.fine.folded_weight(), self.fine.bias)
        out.update({name: (conv.weight, conv.bias) for name, conv in
                    (('trunk', self.trunk), ('evidence', self.evidence), ('out', self.out))})
        return out

    def topology(self):
        def conv(name, layer, source, activation, **extra):
            return {'name': name, 'type': 'conv2d', 'input': source, 'kernel': layer.kernel_size[0],
                    'dilation': layer.dilation[0], 'padding': 'same', 'filters': layer.out_channels, 'bias': True,
                    'activation': activation, **extra}
        context = [f'context{k}' for k in range(len(self.context))]
        layers = [conv('conv1', self.conv1, self.taps[0], 'relu')]
        layers += [conv(name, layer, tap, 'relu', then=RESIZE + self.taps[0])
                   for name, layer, tap in zip(context, self.context, self.taps[1:])]
        trunk_input = 'concat(' + ','.join(['conv1', *context]) + ')'
        if self.fine is None:
            layers.append(conv('trunk', self.trunk, trunk_input, 'relu'))
            shared = 'trunk'
        else:
            layers += [conv('trunk', self.trunk, trunk_input, 'relu', then=RESIZE + self.fine_tap),
                       conv('fine', self.fine, self.fine_tap, 'relu')]
            shared = 'trunk,fine'
        layers += [conv('evidence', self.evidence, f'concat({shared},{CLASS_MAP})', 'relu'),
                   conv('out', self.out, 'evidence', 'linear')]
        return layers

    def class_map_grid(self):
        """The tap whose grid the class maps are resized to (None: the first tap's, as given)."""
        return self.fine_tap


def resized(x, like):
    """x bilinearly resized (half-pixel centres) to like's grid."""
    return F.interpolate(x, size=like.shape[-2:], mode='bilinear', align_corners=False)
