"""The heads of a shipped model set (models/<set>/{cam,aff,seg}/, as
export_tfjs.py writes them) loaded back into the PyTorch networks they were
trained as, so that the PyTorch pipeline runs the very weights the app runs.

Each network is rebuilt from the exported topology, given the exported
weights (kernels HWIO -> OIHW, input scales 1: export folds them into the
kernels), and must then describe itself with the same topology."""
import json
import os

import numpy as np
import torch

from networks import aff_head, cam_guided_seg_head, cam_head, seg_head

# Exported layer name -> state_dict prefix, where a ModuleList makes them differ.
LIST_LAYERS = (('stage', 'stages.'), ('context', 'context.'))


def read_head(folder):
    """(layers, {weight name: float32 tensor}) of <folder>/model.json + weights.bin."""
    with open(os.path.join(folder, 'model.json')) as f:
        model = json.load(f)
    manifest = model['weightsManifest'][0]
    flat = np.fromfile(os.path.join(folder, manifest['paths'][0]), '<f4')
    weights, offset = {}, 0
    for spec in manifest['weights']:
        size = int(np.prod(spec['shape']))
        weights[spec['name']] = torch.from_numpy(flat[offset:offset + size].reshape(spec['shape']).copy())
        offset += size
    if offset != flat.size:
        raise ValueError(f'{folder}: weights.bin holds {flat.size} values, the manifest {offset}')
    return model['modelTopology']['layers'], weights


def reads_cams(folder):
    """True for a CAM-guided segmentation head (its topology names a class map)."""
    with open(os.path.join(folder, 'model.json')) as f:
        return 'classMap' in json.load(f)['modelTopology']


def module_name(layer):
    for prefix, replacement in LIST_LAYERS:
        if layer.startswith(prefix) and layer[len(prefix):].isdigit():
            return replacement + layer[len(prefix):]
    return layer


def in_channels(weights, layer):
    return weights[f'{layer["name"]}/kernel'].shape[2]


def load_weights(net, layers, weights, folder, describe):
    """Copies the exported weights into `net` and checks `describe(net)`, its
    own topology, against the exported one (export notes aside)."""
    state = {k: v for k, v in net.state_dict().items() if k.endswith('input_scale')}
    for name, value in weights.items():
        layer, kind = name.split('/')
        state[f'{module_name(layer)}.{"weight" if kind == "kernel" else "bias"}'] = value.permute(3, 2, 0, 1) if kind == 'kernel' else value
    net.load_state_dict(state, strict=True)
    strip = lambda ls: [{k: v for k, v in l.items() if k != 'note'} for l in ls]  # noqa: E731
    if strip(describe(net)) != strip(layers):
        raise ValueError(f'{folder}: the rebuilt network does not describe itself as the exported topology')
    return net.eval()


def cam_net(folder, tap_cells):
    """(net, the tap it reads); tap_cells: {tap: side of its grid}, for the optional resize to a tap's grid."""
    layers, weights = read_head(folder)
    conv, classifier = layers
    target = conv['then'].split()[-1] if 'then' in conv else None
    grid = (target, tap_cells[target]) if target else None
    net = cam_head.Net(in_channels(weights, conv), conv['filters'], classifier['filters'], conv['kernel'], grid)
    return load_weights(net, layers, weights, folder, lambda n: n.topology(conv['input'])), conv['input']


def aff_net(folder):
    layers, weights = read_head(folder)
    *stages, embed = layers
    net = aff_head.Net([s['input'] for s in stages], [in_channels(weights, s) for s in stages],
                       [s['filters'] for s in stages], embed['filters'], embed['kernel'])
    return load_weights(net, layers, weights, folder, lambda n: n.topology())


def seg_net(folder):
    layers, weights = read_head(folder)
    if reads_cams(folder):
        fine = next((l for l in layers if l['name'] == 'fine'), None)
        conv1, *context, trunk, evidence, _ = [l for l in layers if l is not fine]
        net = cam_guided_seg_head.Net([conv1['input']] + [c['input'] for c in context],
                                      [in_channels(weights, l) for l in [conv1, *context]], conv1['filters'],
                                      trunk['filters'], evidence['filters'], conv1['dilation'],
                                      (fine['input'], in_channels(weights, fine), fine['filters']) if fine else None)
        return load_weights(net, layers, weights, folder, lambda n: n.topology())
    conv1, *context, conv2 = layers
    taps = [conv1['input']] + [c['input'] for c in context]
    net = seg_head.Net(taps, [in_channels(weights, l) for l in [conv1, *context]], conv1['filters'], conv2['filters'],
                       conv1['dilation'])
    return load_weights(net, layers, weights, folder, lambda n: n.topology())
