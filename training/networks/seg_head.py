"""Segmentation head (SPEC.md §6): two atrous 3x3 convolutions on the
stride-8 features, ReLU between them, logits for background + classes."""
import torch.nn as nn
import torch.nn.functional as F

from .scaled_conv import ScaledConv2d


class Net(nn.Module):
    def __init__(self, in_channels, hidden, num_classes, dilation):
        super().__init__()
        self.conv1 = ScaledConv2d(in_channels, hidden, 3, padding=dilation, dilation=dilation)
        self.conv2 = nn.Conv2d(hidden, num_classes, 3, padding=dilation, dilation=dilation)

    def forward(self, x):
        """Grid logits (B, 1 + classes, H, W); upsample bilinearly, then argmax."""
        return self.conv2(F.relu(self.conv1(x)))

    def kernels(self):
        """{layer name: (kernel OIHW, bias)} as exported."""
        return {'conv1': (self.conv1.folded_weight(), self.conv1.bias), 'conv2': (self.conv2.weight, self.conv2.bias)}

    def topology(self, tap):
        return [
            {'name': 'conv1', 'type': 'conv2d', 'input': tap, 'kernel': 3, 'dilation': self.conv1.dilation[0],
             'padding': 'same', 'filters': self.conv1.out_channels, 'bias': True, 'activation': 'relu'},
            {'name': 'conv2', 'type': 'conv2d', 'input': 'conv1', 'kernel': 3, 'dilation': self.conv2.dilation[0],
             'padding': 'same', 'filters': self.conv2.out_channels, 'bias': True, 'activation': 'linear'},
        ]
