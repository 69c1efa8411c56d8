#!/usr/bin/python3
"""Stage 0 of a model set with its own backbone (config "backbone" section,
e.g. training/config/scratch.json): trains it from scratch on the training
images with image-level labels only (multilabel soft-margin loss on the pooled
fused stride-8 map), then exports it with BatchNorm folded to
<run>/backbone/{model.json, weights.bin} in the "affinitylab-backbone" format
that src/models/backbone runs, so the features stage extracts with the app's
own code.

Training sees random crops (crop_min..512 px square, resized to train_size),
flips and colour jitter; validation runs on the whole images, at 512 px and
resized to train_size (the scale the network is trained at, and the one
the app should run it at: grid.input_size, 256 for the scratch set).
Resumable per epoch (<run>/backbone_ckpt.pt); the trained weights, BatchNorm
unfolded, stay in <run>/backbone.pt for train_aff to fine-tune. Also writes the first
validation image's pixels and PyTorch features (<run>/backbone/reference/),
which the features stage compares with the TypeScript backbone's (`parity`).
"""
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from networks import mobilenet_v2  # noqa: E402
from tools.config import ROOT, load_config, run_path, setup_torch  # noqa: E402
from tools.dataset import class_indices, label_vector, read_labels  # noqa: E402
from tools.maps import upsample  # noqa: E402
from tools.progress import Progress, format_seconds  # noqa: E402
from tools.stages import mark_done, stage_logger  # noqa: E402
from tools.tfjs_model import write_model  # noqa: E402

STAGE = 'train_backbone'
FORMAT = 'affinitylab-backbone'
GENERATED_BY = 'AffinityLab training/train_backbone.py (PyTorch %s)' % torch.__version__
REFERENCE_TAPS = {'fpn_s8': 'fpn', 'bb_s8': 's8', 'bb_s16': 's16', 'bb_s32': 's32'}
# float32 on both sides; summation order alone differs.
PARITY_TOLERANCE = 1e-4
# The cache is float16 (relative step 1e-3); a different JPEG decoder moved the scratch taps by up to 28%.
CACHED_TOLERANCE = 5e-3
# Suffix of the reference maps of the image resized to the network input (write_reference).
RESIZED = '_resized'
WEIGHTS = 'backbone.pt'


def build(cfg):
    b = cfg['backbone']
    return mobilenet_v2.Net(len(class_indices(cfg['paths']['data'])), b['width'], b['last_channels'], b['fpn_channels'])


def load(cfg, device):
    """The trained backbone from <run>/backbone.pt, in eval mode."""
    net = build(cfg)
    net.load_state_dict(torch.load(run_path(cfg, WEIGHTS), map_location=device))
    return net.to(device).eval()


def tap_maps(net, x, taps):
    """{tap: (B, C, h, w)} for the named taps of a normalised batch."""
    stages = net.stages(x)
    return {tap: stages[REFERENCE_TAPS[tap]] for tap in taps}


def normalise(images, cfg):
    """uint8-range RGB (B, 3, H, W) -> the network's input, exactly as the TS backbone does."""
    norm = cfg['backbone']['input']
    return images * norm['scale'] + norm['offset']


def read_images(data_dir, split, ids):
    """uint8 (N, 3, H, W), decoded once so that epochs never touch the disk."""
    first = np.asarray(Image.open(os.path.join(data_dir, split, 'images', ids[0] + '.jpg')).convert('RGB'))
    out = torch.empty((len(ids), 3) + first.shape[:2], dtype=torch.uint8)
    for n, sid in enumerate(ids):
        rgb = np.array(Image.open(os.path.join(data_dir, split, 'images', sid + '.jpg')).convert('RGB'))
        out[n] = torch.from_numpy(rgb).permute(2, 0, 1)
    return out


def augment(images, b, gen):
    """Random square crop (side crop_min..full), resize to train_size, flip,
    brightness/contrast/saturation jitter; float (B, 3, s, s) in 0..255."""
    size, full = b['train_size'], images.shape[-1]
    out = []
    for img in images:
        side = int(torch.randint(b['crop_min'], full + 1, (1,), generator=gen))
        y, x = (int(v) for v in torch.randint(0, full - side + 1, (2,), generator=gen))
        crop = img[:, y:y + side, x:x + side].float().unsqueeze(0)
        crop = F.interpolate(crop, size=(size, size), mode='bilinear', align_corners=False, antialias=True)[0]
        if torch.rand(1, generator=gen) < 0.5:
            crop = crop.flip(-1)
        j = b['jitter']
        bright, contrast, sat = (1 + (torch.rand(3, generator=gen) * 2 - 1) * j).tolist()
        gray = crop.mean(0, keepdim=True)
        crop = gray + (crop - gray) * sat
        crop = crop.mean() + (crop - crop.mean()) * contrast
        out.append((crop * bright).clamp(0, 255))
    return torch.stack(out)


def lr_at(step, total, warmup, base):
    """Linear warm-up, then cosine decay to zero."""
    if step < warmup:
        return base * (step + 1) / warmup
    return base * 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))


@torch.no_grad()
def evaluate(net, images, targets, cfg, batch_size=8):
    """Multilabel scores at the images' own size: exact-set accuracy (all
    labels right at logit > 0), per-label accuracy and mean loss."""
    net.eval()
    logits = torch.cat([net(normalise(images[i:i + batch_size].float(), cfg).contiguous(memory_format=torch.channels_last))
                        for i in range(0, len(images), batch_size)])
    pred = (logits > 0).float()
    return {'exact': round((pred == targets).all(1).float().mean().item(), 4),
            'label_acc': round((pred == targets).float().mean().item(), 4),
            'loss': round(F.multilabel_soft_margin_loss(logits, targets).item(), 4)}


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
        for role, key in REFERENCE_TAPS.items():
            np.save(os.path.join(folder, f'{sid}_{role}{suffix}.npy'), maps[key][0].numpy().astype(np.float32))
    with open(os.path.join(folder, 'reference.json'), 'w') as f:
        json.dump({'split': 'val', 'id': sid, 'taps': list(REFERENCE_TAPS)}, f)


def export_with_reference(net, cfg, folder, image, sid):
    """export() to `folder`, then write_reference() of one val image beside
    it for `parity`; returns the parameter count."""
    parameters = export(net, cfg, folder)
    write_reference(net, cfg, image, sid, reference_dir(folder))
    return parameters


def reference_dir(folder):
    """Where write_reference puts the maps of the backbone exported to `folder`."""
    return os.path.join(folder, 'reference')


def compare(torch_map, ts_map, what):
    if torch_map.shape != ts_map.shape:
        raise ValueError(f'{what}: PyTorch shape {torch_map.shape}, TS {ts_map.shape}')
    diff, scale = float(np.abs(torch_map - ts_map).max()), float(np.abs(torch_map).max())
    significant = lambda v: float(f'{v:.3g}')  # noqa: E731
    return {'max_abs_diff': significant(diff), 'max_abs': significant(scale), 'relative': significant(diff / max(scale, 1e-12))}


def parity(cfg, log, exported=None, feat_dir=None):
    """PyTorch vs the TS backbone (scripts/extract_features.ts --reference) on
    the same lossless pixels, and PyTorch (PIL's JPEG decode) vs the cached
    features (the pipeline's decoder, which must match PIL's and the
    browser's); fails beyond PARITY_TOLERANCE or CACHED_TOLERANCE.
    `exported` is the backbone's folder (<run>/backbone unless told) and
    `feat_dir` its feature cache (paths.features unless told)."""
    exported = exported or run_path(cfg, 'backbone')
    feat_dir = feat_dir or cfg['paths']['features']
    folder = reference_dir(exported)
    with open(os.path.join(folder, 'reference.json')) as f:
        ref = json.load(f)
    subprocess.run(['npx', 'tsx', 'scripts/extract_features.ts', '--reference', folder,
                    '--backbone', os.path.join(exported, 'model.json')], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    out, cached = {}, {}
    for role in ref['taps']:
        torch_map = np.load(os.path.join(folder, f'{ref["id"]}_{role}.npy'))
        out[role] = compare(torch_map, np.load(os.path.join(folder, 'ts', role + '.npy')), f'parity {role}')
        log(f'parity PyTorch vs TS backbone, {ref["split"]}/{ref["id"]} {role}, same pixels: '
            f'max |diff| {out[role]["max_abs_diff"]:.3g} of max |value| {out[role]["max_abs"]:.4g} (relative {out[role]["relative"]:.1e})')
        cached_map = np.load(os.path.join(feat_dir, ref['split'], role, ref['id'] + '.npy')).astype(np.float32)
        resized = os.path.join(folder, f'{ref["id"]}_{role}{RESIZED}.npy')
        cached[role] = compare(np.load(resized) if os.path.exists(resized) else torch_map, cached_map, f'cached {role}')
        log(f'  cached features (the JPEG decoded by the pipeline, float16): max |diff| {cached[role]["max_abs_diff"]:.3g} '
            f'(relative {cached[role]["relative"]:.1e})')
    worst = max(p['relative'] for p in out.values())
    if worst > PARITY_TOLERANCE:
        raise ValueError(f'the TS backbone disagrees with PyTorch on identical pixels: relative difference {worst:.2e} '
                         f'> {PARITY_TOLERANCE:g}; see {folder}')
    worst = max(p['relative'] for p in cached.values())
    if worst > CACHED_TOLERANCE:
        raise ValueError(f'the cached features differ from PyTorch by {worst:.2e} relative (> {CACHED_TOLERANCE:g}): '
                         'does the pipeline decode JPEGs differently from PIL?')
    return {'same_pixels': out, 'cached': cached}


def main(cfg):
    log = stage_logger(cfg, STAGE)
    device = setup_torch(cfg)
    b, data = cfg['backbone'], cfg['paths']['data']
    indices = class_indices(data)
    rows, val_rows = read_labels(data, 'train'), read_labels(data, 'val')
    targets = torch.from_numpy(np.stack([label_vector(c, indices) for _, c in rows]))
    val_targets = torch.from_numpy(np.stack([label_vector(c, indices) for _, c in val_rows]))
    t0 = time.time()
    images = read_images(data, 'train', [sid for sid, _ in rows])
    val_images = read_images(data, 'val', [sid for sid, _ in val_rows])
    log(f'decoded {len(images)} train + {len(val_images)} val images in {format_seconds(time.time() - t0)}')

    net = build(cfg).to(device).to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(net.parameters(), lr=b['lr'], weight_decay=b['weight_decay'])
    steps_per_epoch = len(rows) // b['batch_size']
    total, warmup = b['epochs'] * steps_per_epoch, steps_per_epoch
    ckpt_path = run_path(cfg, 'backbone_ckpt.pt')
    start_epoch, history, seconds = 0, [], 0.0
    if os.path.exists(ckpt_path):
        ckpt = torch.load(ckpt_path, map_location=device)
        net.load_state_dict(ckpt['state_dict'])
        opt.load_state_dict(ckpt['optimizer'])
        start_epoch, history, seconds = ckpt['epoch'], ckpt['history'], ckpt['seconds']
        log(f'resuming after epoch {start_epoch}')
    log(f'{sum(p.numel() for p in net.parameters())} parameters; {b["epochs"]} epochs x {steps_per_epoch} steps '
        f'of {b["batch_size"]} at {b["train_size"]}px')

    for epoch in range(start_epoch, b['epochs']):
        net.train()
        t_epoch = time.time()
        gen = torch.Generator().manual_seed(cfg['seed'] * 1000 + epoch)
        order = torch.randperm(len(rows), generator=gen)
        progress = Progress(log, f'backbone epoch {epoch + 1}/{b["epochs"]}', steps_per_epoch, 'steps', every=60)
        loss_sum, correct = 0.0, 0.0
        for step in range(steps_per_epoch):
            index = order[step * b['batch_size']:(step + 1) * b['batch_size']]
            x = normalise(augment(images[index], b, gen), cfg).contiguous(memory_format=torch.channels_last)
            for group in opt.param_groups:
                group['lr'] = lr_at(epoch * steps_per_epoch + step, total, warmup, b['lr'])
            logits = net(x.to(device))
            loss = F.multilabel_soft_margin_loss(logits, targets[index].to(device))
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item()
            correct += ((logits.detach() > 0).float() == targets[index]).all(1).float().sum().item()
            progress.update(step + 1, f'loss {loss_sum / (step + 1):.4f}')
        seconds += time.time() - t_epoch
        row = {'epoch': epoch + 1, 'loss': round(loss_sum / steps_per_epoch, 4),
               'train_exact_aug': round(correct / (steps_per_epoch * b['batch_size']), 4), 'seconds': round(seconds)}
        if (epoch + 1) % b['eval_every'] == 0 or epoch + 1 == b['epochs']:
            row['val'] = evaluate(net, val_images, val_targets, cfg)
        history.append(row)
        log(f'epoch {epoch + 1}: {row}')
        torch.save({'state_dict': net.state_dict(), 'optimizer': opt.state_dict(), 'epoch': epoch + 1,
                    'history': history, 'seconds': seconds}, ckpt_path + '.tmp')
        os.replace(ckpt_path + '.tmp', ckpt_path)

    train_eval = evaluate(net, images, targets, cfg)
    val_eval = evaluate(net, val_images, val_targets, cfg)
    # Objects look twice as large at 512 px as in training; the scores at both sizes show what that costs.
    half = b['train_size'] / images.shape[-1]
    val_small = evaluate(net, F.interpolate(val_images.float(), scale_factor=half, mode='bilinear', align_corners=False, antialias=True),
                         val_targets, cfg)
    log(f'final at 512px: train {train_eval}, val {val_eval}; val at {b["train_size"]}px: {val_small}')
    parameters = export_with_reference(net.cpu(), cfg, run_path(cfg, 'backbone'), val_images[0], val_rows[0][0])
    torch.save(net.state_dict(), run_path(cfg, WEIGHTS))
    log(f'exported {parameters} parameters (BatchNorm folded) to {run_path(cfg, "backbone")}')
    summary = {'epochs': b['epochs'], 'seconds': round(seconds), 'train': train_eval, 'val': val_eval, 'val_at_train_size': val_small,
               'parameters': parameters, 'history': history}
    mark_done(cfg, STAGE, summary)
    # Only an interrupted training resumes; a rerun of a finished one starts afresh.
    os.remove(ckpt_path)
    return summary


if __name__ == '__main__':
    main(load_config(sys.argv[1]) if len(sys.argv) > 1 else load_config())
