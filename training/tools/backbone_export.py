"""Exports a model set's own backbone in the "affinitylab-backbone" format
that src/models/backbone runs (model.json + weights.bin, BatchNorm folded),
with PyTorch's maps of one image beside it for backbone_parity."""
import json
import os

import numpy as np
import torch
from PIL import Image

from .backbone import TAPS, normalise
from .maps import upsample
from .tfjs_model import write_model

FORMAT = 'affinitylab-backbone'
# The stage that trains the backbone; train_aff's fine-tuned copy goes through the same export.
GENERATED_BY = 'AffinityLab training/train_backbone.py (PyTorch %s)' % torch.__version__
# Suffix of the reference maps of the image resized to the network input (write_reference).
RESIZED = '_resized'


def export(net, cfg, folder):
    """model.json + weights.bin: layer list with BatchNorm folded, kernels
    HWIO (depthwise: [k, k, C, 1], tf.depthwiseConv2d's layout), float32."""
    weights = []
    for name, (kernel, bias) in net.kernels().items():
        kernel = kernel.detach()
        if kernel.shape[1] == 1 and kernel.shape[0] > 1 and name.endswith('_dw'):
            hwio = kernel.permute(2, 3, 0, 1)
        else:
            hwio = kernel.permute(2, 3, 1, 0)
        weights += [(f'{name}/kernel', hwio.contiguous().numpy()), (f'{name}/bias', bias.detach().numpy())]
    taps = {role: {'layer': layer, 'stride': stride} for role, (layer, stride) in net.taps().items()}
    topology = {
        'input': {'channels': 3, 'range': [0, 255], **cfg['backbone']['input'],
                  'note': 'RGB 0..255; the first layer reads input * scale + offset'},
        'layers': net.topology(),
        'taps': taps,
    }
    return write_model(folder, FORMAT, GENERATED_BY, topology, weights)


@torch.no_grad()
def write_reference(net, cfg, image, sid, folder):
    """PyTorch's float32 (C, H, W) maps of every tap for one image, and the
    exact pixels they came from (input.png), for `parity`; for a set whose
    network input is smaller than the image, also the maps of the image
    resized as the pipeline resizes it (bilinear, half-pixel centres, no
    antialiasing, not rounded: rounding alone moves the maps by 1-3%)."""
    net.eval()
    os.makedirs(folder, exist_ok=True)
    Image.fromarray(image.permute(1, 2, 0).numpy()).save(os.path.join(folder, 'input.png'))
    size = cfg['grid']['input_size']
    inputs = {'': image[None].float()}
    if image.shape[-1] != size:
        inputs[RESIZED] = upsample(inputs[''], size)
    for suffix, x in inputs.items():
        maps = net.stages(normalise(x, cfg))
        for role, key in TAPS.items():
            np.save(os.path.join(folder, f'{sid}_{role}{suffix}.npy'), maps[key][0].numpy().astype(np.float32))
    with open(os.path.join(folder, 'reference.json'), 'w') as f:
        json.dump({'split': 'val', 'id': sid, 'taps': list(TAPS)}, f)


def export_with_reference(net, cfg, folder, image, sid):
    """export() to `folder`, then write_reference() of one val image beside
    it for `parity`; returns the parameter count."""
    parameters = export(net, cfg, folder)
    write_reference(net, cfg, image, sid, reference_dir(folder))
    return parameters


def reference_dir(folder):
    """Where write_reference puts the maps of the backbone exported to `folder`."""
    return os.path.join(folder, 'reference')
