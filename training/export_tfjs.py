#!/usr/bin/python3
"""Stage 9: export the three heads for tfjs into <export>/{cam,aff,seg}/ and
write <export>/meta.json.

Each head folder holds model.json + weights.bin in the tf.io weights format:
{"format": "affinitylab-head", "generatedBy", "modelTopology": {"inputs",
"layers", "output"}, "weightsManifest": [{"paths": ["weights.bin"],
"weights": [{"name", "shape", "dtype": "float32"}]}]}. Conv kernels are
stored HWIO ([kh, kw, in, out], tf.conv2d's filter layout), biases [out];
weight names are "<layer>/kernel" and "<layer>/bias", layer names as in
modelTopology.layers."""
import json
import os
import shutil
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from networks import cam_guided_seg_head  # noqa: E402
from tools import backbone_export  # noqa: E402
from tools.config import aff_feature_dir, aff_finetunes_backbone, all_taps, load_config, run_path, seg_taps, setup_torch  # noqa: E402
from tools.dataset import VOC_CLASSES, class_names, class_indices, dataset_info  # noqa: E402
from tools.features import tap_specs  # noqa: E402
from tools.heads import load_head, seg_reads_cams  # noqa: E402
from tools.stages import EVALUATE, EXPORT_TFJS, MAKE_AFF_LABELS, TRAIN_AFF, TRAIN_BACKBONE, TRAIN_CAM, TRAIN_SEG  # noqa: E402
from tools.stages import is_done, mark_done, read_summary, stage_logger  # noqa: E402
from tools.tfjs_model import write_model  # noqa: E402

FORMAT = 'affinitylab-head'
GENERATED_BY = 'AffinityLab training/export_tfjs.py (PyTorch %s)' % torch.__version__


def conv_weights(net):
    """[(name, array)] per conv layer: kernel OIHW -> HWIO, then the bias if any."""
    out = []
    for name, (kernel, bias) in net.kernels().items():
        out.append((f'{name}/kernel', kernel.detach().permute(2, 3, 1, 0).contiguous().numpy()))
        if bias is not None:
            out.append((f'{name}/bias', bias.detach().numpy()))
    return out


def write_head(folder, topology, weights):
    return write_model(folder, FORMAT, GENERATED_BY, topology, weights)


def tap_inputs(cfg, taps, feat_dir=None):
    spec = tap_specs(feat_dir or cfg['paths']['features'])
    return [{'tap': t, 'node': spec[t]['node'], 'channels': spec[t]['channels'], 'stride': spec[t]['stride']} for t in taps]


def heads(cfg, device):
    """(folder name, net, topology) for the three heads."""
    cam, aff, seg = (load_head(cfg, head, device) for head in ('cam', 'aff', 'seg'))
    return [
        ('cam', cam, {'inputs': tap_inputs(cfg, [cfg['taps']['cam']]), 'layers': cam.topology(cfg['taps']['cam']),
                      'output': 'CAMs (classes, H, W) on the input grid, channel order = meta.json classes'}),
        ('aff', aff, {'inputs': tap_inputs(cfg, cfg['taps']['aff'], aff_feature_dir(cfg)), 'layers': aff.topology(),
                      'output': 'f_aff (D, H, W) on the stride-8 grid; W_ij = exp(-mean_d |f_i - f_j|)'}),
        ('seg', seg, seg_topology(cfg, seg)),
    ]


def seg_topology(cfg, seg):
    topology = {'inputs': tap_inputs(cfg, seg_taps(cfg)), 'layers': seg.topology()}
    if seg_reads_cams(cfg):
        grid = seg.class_map_grid()
        return {**topology, 'classMap': cam_guided_seg_head.CLASS_MAP, **({'classMapGrid': grid} if grid else {}),
                'output': f'one logit map (1, H, W) per class asked about, given that class\'s normalised CAM as '
                          f'{cam_guided_seg_head.CLASS_MAP} (1, H, W) on the grid'
                          f'{f", resized bilinearly (half-pixel centres) to the grid of {grid} (so H, W are its)" if grid else ""}'
                          '; with background at 0: argmax of [0, z_1 .. z_K], upsampled bilinearly (half-pixel centres) to the image'}
    return {**topology, 'output': 'logits (1 + classes, H, W): channel 0 background, then meta.json classes; '
                                  'upsample bilinearly (half-pixel centres) to the image, argmax'}


def fine_tap_stride(cfg):
    """The stride of the segmentation head's output grid when it reads a fine tap."""
    return tap_inputs(cfg, [cfg['seg']['fine_tap']])[0]['stride']


BACKBONE_FILES = ('model.json', 'weights.bin')
AFF_BACKBONE = 'aff_backbone'


def backbone_section(cfg, features):
    """Which backbone the heads were trained on: the CenterNet graph from its
    npm package, or the set's own one, shipped in <export>/backbone/."""
    taps = tap_inputs(cfg, all_taps(cfg))
    if 'backbone' not in cfg:
        return {'package': features['model']['package'], 'file': features['model']['file'],
                'sha256': features['model']['sha256'], 'input': features['input'], 'taps': taps}
    b = cfg['backbone']
    return {'format': backbone_export.FORMAT, 'file': 'backbone/model.json', 'sha256': features['model']['sha256'],
            'input': features['input'], 'taps': taps,
            'architecture': {k: b[k] for k in ('architecture', 'width', 'last_channels', 'fpn_channels')},
            'hyperparameters': {k: b[k] for k in ('train_size', 'crop_min', 'jitter', 'epochs', 'batch_size', 'lr', 'weight_decay')}}


def aff_backbone_section(cfg):
    """The affinity head's own fine-tuned backbone (train_aff), shipped in <export>/aff_backbone/."""
    with open(os.path.join(aff_feature_dir(cfg), 'features.json')) as f:
        features = json.load(f)
    return {'format': backbone_export.FORMAT, 'file': f'{AFF_BACKBONE}/model.json', 'sha256': features['model']['sha256'],
            'input': features['input'], 'taps': tap_inputs(cfg, cfg['taps']['aff'], aff_feature_dir(cfg)),
            'fineTuned': {'from': 'backbone', 'stage': TRAIN_AFF, **cfg['aff']['backbone']}}


def copy_backbone(cfg, out, name='backbone'):
    """<run>/<name>/ (an exported train_backbone-format network) -> <export>/<name>/."""
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    for file in BACKBONE_FILES:
        shutil.copyfile(run_path(cfg, name, file), os.path.join(folder, file))


def meta(cfg, sizes):
    data = cfg['paths']['data']
    info = dataset_info(data)
    indices = class_indices(data)
    with open(os.path.join(cfg['paths']['features'], 'features.json')) as f:
        features = json.load(f)
    stages = (TRAIN_BACKBONE, TRAIN_CAM, MAKE_AFF_LABELS, TRAIN_AFF, TRAIN_SEG)
    evidence = cfg.get('class_evidence')
    # With a detector the set names all 20 VOC classes; its heads keep the data set's (docs/algorithm.md §1b).
    set_indices = list(range(1, len(VOC_CLASSES))) if evidence else indices
    # The CAM-guided head segments whatever class a CAM names.
    guided = seg_reads_cams(cfg)
    seg_classes = set_indices if guided else indices
    return {
        'name': cfg['name'],
        'classes': [{'channel': c, 'index': i, 'name': n} for c, (i, n) in enumerate(zip(set_indices, class_names(set_indices)))],
        **({'headClasses': {'cam': indices, 'seg': seg_classes}, 'classEvidence': evidence} if evidence else {}),
        'channelOrder': {'cam': 'headClasses.cam' if evidence else 'classes',
                         'seg': 'background, then each class asked about' if guided else ['background'] + class_names(indices)},
        'inputSize': cfg['grid']['input_size'],
        'gridStride': cfg['grid']['stride'],
        **({'segGridStride': fine_tap_stride(cfg)} if cfg['seg'].get('fine_tap') else {}),
        'defaults': {'alpha': cfg['rw']['alpha'], 'beta': cfg['rw']['beta'], 'steps': cfg['rw']['steps'],
                     'radius': cfg['rw']['radius'], 'camBgScore': cfg['cam']['bg_score'],
                     'camNormEps': cfg['cam']['norm_eps'], 'alphaLow': cfg['aff_labels']['alpha_low'],
                     'alphaHigh': cfg['aff_labels']['alpha_high']},
        'pipeline': [
            'cam: relu CAMs on the grid for the chosen classes',
            'upsample bilinearly (half-pixel centres) to inputSize, normalise each class by its max + camNormEps',
            'CAM-only mask: prepend constant camBgScore, argmax',
            'walk input: prepend (1 - max_c)^alpha, average-pool gridStride x gridStride to the grid',
            'walk: steps x (T v), T = D^-1 W^beta over the full radius disc plus self',
            'divide each walked class map by its peak, upsample bilinearly to inputSize, argmax',
        ],
        'backbone': backbone_section(cfg, features),
        **({'affBackbone': aff_backbone_section(cfg)} if aff_finetunes_backbone(cfg) else {}),
        'data': {k: info[k] for k in ('description', 'seed', 'image_size', 'images', 'images_per_class')},
        'training': {s: read_summary(cfg, s) for s in stages if is_done(cfg, s)},
        'hyperparameters': {k: cfg[k] for k in ('cam', 'aff_labels', 'aff', 'rw', 'seg')},
        'parameters': sizes,
        'eval': read_summary(cfg, EVALUATE) if is_done(cfg, EVALUATE) else None,
        'exported': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
    }


def main(cfg):
    log = stage_logger(cfg, EXPORT_TFJS)
    device = setup_torch(cfg)
    out = cfg['paths']['export']
    sizes = {}
    for name, net, topology in heads(cfg, device):
        sizes[name] = write_head(os.path.join(out, name), topology, conv_weights(net))
        log(f'exported {name}: {sizes[name]} parameters')
    if 'backbone' in cfg:
        copy_backbone(cfg, out)
        sizes['backbone'] = read_summary(cfg, TRAIN_BACKBONE)['parameters']
    if aff_finetunes_backbone(cfg):
        copy_backbone(cfg, out, AFF_BACKBONE)
        sizes[AFF_BACKBONE] = read_summary(cfg, TRAIN_AFF)['backbone_parameters']
    else:
        shutil.rmtree(os.path.join(out, AFF_BACKBONE), ignore_errors=True)
    with open(os.path.join(out, 'meta.json'), 'w') as f:
        json.dump(meta(cfg, sizes), f, indent=1)
    mark_done(cfg, EXPORT_TFJS, {'out': out, 'parameters': sizes})
    return sizes


if __name__ == '__main__':
    main(load_config())
