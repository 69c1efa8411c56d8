"""MobileNetV2 (Sandler et al. 2018) at width 0.5, trained from scratch on the
synthetic composites with image-level labels only (training/train_backbone.py),
plus a small feature pyramid that fuses the stride-8, -16 and -32 stages into
one stride-8 map ("fpn_s8"). The classifier (global average pooling, 1x1 conv)
reads that fused map, so the map the CAM and segmentation heads later read is
the one the image labels trained.

Every convolution is followed by BatchNorm, folded into the kernel and bias at
export (`kernels`), so the exported network is a plain list of convolutions,
residual adds and resizes (`topology`, format "affinitylab-backbone").
Padding is PyTorch's symmetric padding, written as a number per layer: for a
stride-2 conv it differs from TensorFlow's "same".
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

# (expansion t, output channels c at width 1, repeats n, first stride s), as in the paper.
SETTINGS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
ACTIVATIONS = {'relu6': F.relu6, 'relu': F.relu, 'linear': lambda x: x}


def make_divisible(v, divisor=8):
    """Channel counts rounded as in the reference MobileNetV2 (never below 90% of v)."""
    out = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return out + divisor if out < 0.9 * v else out


class ConvBN(nn.Module):
    """conv (no bias) -> BatchNorm -> activation; depthwise when groups == channels."""

    def __init__(self, cin, cout, kernel, stride=1, groups=1, activation='relu6'):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.activation = activation

    def forward(self, x):
        return ACTIVATIONS[self.activation](self.bn(self.conv(x)))

    def folded(self):
        """(kernel OIHW, bias) with BatchNorm (eval statistics) folded in."""
        scale = self.bn.weight / torch.sqrt(self.bn.running_var + self.bn.eps)
        return self.conv.weight * scale.view(-1, 1, 1, 1), self.bn.bias - self.bn.running_mean * scale

    def layer(self, name, source):
        conv = self.conv
        depthwise = conv.groups > 1
        return {'name': name, 'type': 'depthwise_conv2d' if depthwise else 'conv2d', 'input': source,
                'kernel': conv.kernel_size[0], 'stride': conv.stride[0], 'dilation': 1, 'padding': conv.padding[0],
                'filters': conv.out_channels, 'bias': True, 'activation': self.activation}


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expansion):
        super().__init__()
        hidden = cin * expansion
        self.expand = ConvBN(cin, hidden, 1) if expansion != 1 else None
        self.dw = ConvBN(hidden, hidden, 3, stride, groups=hidden)
        self.project = ConvBN(hidden, cout, 1, activation='linear')
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.project(self.dw(self.expand(x) if self.expand is not None else x))
        return x + y if self.residual else y

    def convs(self, prefix):
        """[(layer name, ConvBN)] in execution order."""
        named = [(f'{prefix}_expand', self.expand)] if self.expand is not None else []
        return named + [(f'{prefix}_dw', self.dw), (f'{prefix}_project', self.project)]


class Net(nn.Module):
    def __init__(self, num_classes, width=0.5, last_channels=512, fpn_channels=128):
        super().__init__()
        stem = make_divisible(32 * width)
        self.stem = ConvBN(3, stem, 3, 2)
        blocks, cin = [], stem
        self.stage_ends = []  # index of the last block of each stage
        for t, c, n, s in SETTINGS:
            cout = make_divisible(c * width)
            for i in range(n):
                blocks.append(InvertedResidual(cin, cout, s if i == 0 else 1, t))
                cin = cout
            self.stage_ends.append(len(blocks) - 1)
        self.blocks = nn.ModuleList(blocks)
        self.last = ConvBN(cin, last_channels, 1)
        # Lateral 1x1 convs of the stride-8 / -16 / -32 outputs, summed on the stride-8 grid.
        self.s8_block, self.s16_block = self.stage_ends[2], self.stage_ends[4]
        self.lat8 = ConvBN(self.blocks[self.s8_block].project.conv.out_channels, fpn_channels, 1, activation='linear')
        self.lat16 = ConvBN(self.blocks[self.s16_block].project.conv.out_channels, fpn_channels, 1, activation='linear')
        self.lat32 = ConvBN(last_channels, fpn_channels, 1, activation='linear')
        self.classifier = nn.Conv2d(fpn_channels, num_classes, 1)

    def stages(self, x):
        """{s8, s16, s32: stage outputs, fpn: the fused stride-8 map}."""
        x = self.stem(x)
        out = {}
        for i, block in enumerate(self.blocks):
            x = block(x)
            if i == self.s8_block:
                out['s8'] = x
            elif i == self.s16_block:
                out['s16'] = x
        out['s32'] = self.last(x)
        size = out['s8'].shape[-2:]
        up = lambda t: F.interpolate(t, size=size, mode='bilinear', align_corners=False)  # noqa: E731
        out['fpn'] = F.relu(self.lat8(out['s8']) + up(self.lat16(out['s16'])) + up(self.lat32(out['s32'])))
        return out

    def forward(self, x):
        """Image-level logits (B, classes) from the pooled fused map."""
        pooled = self.stages(x)['fpn'].mean(dim=(2, 3), keepdim=True)
        return self.classifier(pooled).flatten(1)

    def named_convs(self):
        """[(layer name, ConvBN)] of the exported layers, in execution order."""
        named = [('stem', self.stem)]
        for i, block in enumerate(self.blocks):
            named += block.convs(f'block{i}')
        return named + [('last', self.last), ('lat8', self.lat8), ('lat16', self.lat16), ('lat32', self.lat32)]

    def kernels(self):
        """{layer name: (kernel OIHW, bias)} with BatchNorm folded; depthwise kernels are (C, 1, k, k)."""
        return {name: conv.folded() for name, conv in self.named_convs()}

    def block_output(self, i):
        """Name of the exported layer that ends block i."""
        block = self.blocks[i]
        return f'block{i}_add' if block.residual else f'block{i}_project'

    def topology(self):
        """The exported layer list. Inputs name the image ("input"), an earlier
        layer, or several layers summed ("add(a,b)")."""
        layers = [self.stem.layer('stem', 'input')]
        x = 'stem'
        for i, block in enumerate(self.blocks):
            source = x
            for name, conv in block.convs(f'block{i}'):
                layers.append(conv.layer(name, x))
                x = name
            if block.residual:
                layers.append({'name': f'block{i}_add', 'type': 'add', 'input': f'add({source},{x})', 'activation': 'linear'})
                x = f'block{i}_add'
        layers.append(self.last.layer('last', x))
        s8, s16 = self.block_output(self.s8_block), self.block_output(self.s16_block)
        resize = 'resize_bilinear (half-pixel centres) to the grid of ' + s8
        layers += [self.lat8.layer('lat8', s8), dict(self.lat16.layer('lat16', s16), then=resize),
                   dict(self.lat32.layer('lat32', 'last'), then=resize),
                   {'name': 'fpn', 'type': 'add', 'input': 'add(lat8,lat16,lat32)', 'activation': 'relu'}]
        return layers

    def taps(self):
        """{tap role: (exported layer, stride)}: the roles the default set's backbone taps play for the heads."""
        return {'fpn_s8': ('fpn', 8), 'bb_s8': (self.block_output(self.s8_block), 8),
                'bb_s16': (self.block_output(self.s16_block), 16), 'bb_s32': ('last', 32)}
