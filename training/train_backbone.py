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
which the features stage compares with the TypeScript backbone's
(tools/backbone_parity.py).
"""
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools.backbone import build_backbone, normalise, weights_path  # noqa: E402
from tools.backbone_export import export_with_reference  # noqa: E402
from tools.config import load_config, run_path, setup_torch  # noqa: E402
from tools.dataset import class_indices, label_vector, read_images, read_labels  # noqa: E402
from tools.progress import Progress, format_seconds  # noqa: E402
from tools.stages import TRAIN_BACKBONE, mark_done, stage_logger  # noqa: E402


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


def main(cfg):
    log = stage_logger(cfg, TRAIN_BACKBONE)
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

    net = build_backbone(cfg).to(device).to(memory_format=torch.channels_last)
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
    torch.save(net.state_dict(), weights_path(cfg))
    log(f'exported {parameters} parameters (BatchNorm folded) to {run_path(cfg, "backbone")}')
    summary = {'epochs': b['epochs'], 'seconds': round(seconds), 'train': train_eval, 'val': val_eval, 'val_at_train_size': val_small,
               'parameters': parameters, 'history': history}
    mark_done(cfg, TRAIN_BACKBONE, summary)
    # Only an interrupted training resumes; a rerun of a finished one starts afresh.
    os.remove(ckpt_path)
    return summary


if __name__ == '__main__':
    main(load_config(sys.argv[1]) if len(sys.argv) > 1 else load_config())
