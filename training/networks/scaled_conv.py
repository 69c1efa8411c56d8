"""A convolution whose input channels are first divided by their RMS over
the training set.

The cached taps differ wildly in scale (fpn_s8 channels have RMS from 0.01
to 1, bb_s8 near 10), which leaves Adam steps badly matched to some inputs.
A per-input-channel scale is exact to fold into the kernel, bias or not, so
the exported layer (folded_weight) is a plain convolution."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ScaledConv2d(nn.Conv2d):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_buffer('input_scale', torch.ones(self.in_channels))

    def set_input_rms(self, rms):
        self.input_scale.copy_(1 / rms.clamp(min=1e-6))

    def folded_weight(self):
        return self.weight * self.input_scale.view(1, -1, 1, 1)

    def forward(self, x):
        return F.conv2d(x, self.folded_weight(), self.bias, self.stride, self.padding, self.dilation, self.groups)
