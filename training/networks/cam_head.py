"""CAM head on the stride-8 feature map (SPEC.md §1, psa's ResNet-38 classifier):
3x3 conv + ReLU, global average pooling, 1x1 conv without bias to the classes.
The class activation maps are that same 1x1 conv applied before the pooling."""
import torch.nn as nn
import torch.nn.functional as F

from .scaled_conv import ScaledConv2d


class Net(nn.Module):
    def __init__(self, in_channels, hidden, num_classes):
        super().__init__()
        self.conv = ScaledConv2d(in_channels, hidden, 3, padding=1)
        self.classifier = nn.Conv2d(hidden, num_classes, 1, bias=False)

    def features(self, x):
        return F.relu(self.conv(x))

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
        return [
            {'name': 'conv', 'type': 'conv2d', 'input': tap, 'kernel': 3, 'dilation': 1, 'padding': 'same',
             'filters': self.conv.out_channels, 'bias': True, 'activation': 'relu'},
            {'name': 'classifier', 'type': 'conv2d', 'input': 'conv', 'kernel': 1, 'dilation': 1, 'padding': 'same',
             'filters': self.classifier.out_channels, 'bias': False, 'activation': 'relu',
             'note': 'CAM = relu(classifier(conv)); training logits = classifier(mean_xy(conv))'},
        ]
