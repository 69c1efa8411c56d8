"""CAM head (docs/algorithm.md §1, psa's ResNet-38 classifier): 3x3 conv + ReLU,
optionally resized bilinearly onto the stride-8 grid, global average pooling,
1x1 conv without bias to the classes. The class activation maps are that same
1x1 conv applied before the pooling.

The resize exists because the best CAM tap is the backbone's stride-32 map
(docs/experiments.md): the classifier then runs on the grid the walk uses, and
pooling the resized features is what the app's head runner does."""
import torch.nn as nn
import torch.nn.functional as F

from .scaled_conv import ScaledConv2d

RESIZE = 'resize_bilinear (half-pixel centres) to the grid of '


class Net(nn.Module):
    def __init__(self, in_channels, hidden, num_classes, kernel=3, grid=None):
        """`grid` = (tap, cells): resize the conv features to that tap's cells x cells."""
        super().__init__()
        self.conv = ScaledConv2d(in_channels, hidden, kernel, padding=kernel // 2)
        self.classifier = nn.Conv2d(hidden, num_classes, 1, bias=False)
        self.grid = grid

    def features(self, x):
        f = F.relu(self.conv(x))
        if self.grid is not None:
            f = F.interpolate(f, size=(self.grid[1], self.grid[1]), mode='bilinear', align_corners=False)
        return f

    def forward(self, x):
        """Image-level logits (B, classes) for the multilabel loss."""
        pooled = self.features(x).mean(dim=(2, 3), keepdim=True)
        return self.classifier(pooled).flatten(1)

    def forward_cam(self, x):
        """CAM_c = relu(w_c . f(x, y)) on the grid: (B, classes, H, W)."""
        return F.relu(self.classifier(self.features(x)))

    def kernels(self):
        """{layer name: (kernel OIHW, bias or None)} as exported."""
        return {'conv': (self.conv.folded_weight(), self.conv.bias), 'classifier': (self.classifier.weight, None)}

    def topology(self, tap):
        conv = {'name': 'conv', 'type': 'conv2d', 'input': tap, 'kernel': self.conv.kernel_size[0], 'dilation': 1,
                'padding': 'same', 'filters': self.conv.out_channels, 'bias': True, 'activation': 'relu'}
        if self.grid is not None:
            conv['then'] = RESIZE + self.grid[0]
        return [
            conv,
            {'name': 'classifier', 'type': 'conv2d', 'input': 'conv', 'kernel': 1, 'dilation': 1, 'padding': 'same',
             'filters': self.classifier.out_channels, 'bias': False, 'activation': 'relu',
             'note': 'CAM = relu(classifier(conv)); training logits = classifier(mean_xy(conv))'},
        ]
