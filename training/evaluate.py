#!/usr/bin/python3
"""Stage 8: mIoU of the CAM, CAM + random walk and segmentation-head
predictions against the pixel-exact masks, on val and train. Classes are
VOC indices (21), so absent VOC classes drop out as in src/core/metrics.ts.
Images without a prediction are skipped and the counts recorded (a
random walk stopped early). Writes <run>/eval.json and prints a table."""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools.config import load_config, run_path  # noqa: E402
from tools.dataset import VOC_CLASSES, pred_path, read_labels, read_mask, read_png  # noqa: E402
from tools.metrics import confusion, iou_per_class, mean_iou  # noqa: E402
from tools.progress import Progress  # noqa: E402
from tools.stages import EVALUATE, mark_done, stage_logger  # noqa: E402

SPLITS = ('val', 'train')
METHODS = ('cam', 'rw', 'seg')


def evaluate_split(cfg, split, log):
    data, run = cfg['paths']['data'], cfg['paths']['run']
    n = len(VOC_CLASSES)
    conf = {m: np.zeros((n, n), np.int64) for m in METHODS}
    counts = dict.fromkeys(METHODS, 0)
    rows = read_labels(data, split)
    progress = Progress(log, f'evaluate {split}', len(rows), unit='img')
    for i, (sid, _) in enumerate(rows):
        gt = read_mask(data, split, sid)
        for m in METHODS:
            if os.path.exists(pred_path(run, split, m, sid)):
                conf[m] += confusion(read_png(pred_path(run, split, m, sid)), gt, n)
                counts[m] += 1
        progress.update(i + 1)
    return {m: {'miou': round(100 * mean_iou(c), 2), 'images': counts[m],
                'iou': {VOC_CLASSES[k]: round(100 * float(v), 2) for k, v in enumerate(iou_per_class(c)) if not np.isnan(v)}}
            for m, c in conf.items()}


def table(results):
    lines = ['| split | CAM (bg 0.2) | CAM + RW | seg head |', '|---|---|---|---|']
    lines += [f'| {split} | ' + ' | '.join(f'{r[m]["miou"]:.1f}' for m in METHODS) + ' |' for split, r in results.items()]
    return '\n'.join(lines)


def main(cfg):
    log = stage_logger(cfg, EVALUATE)
    results = {split: evaluate_split(cfg, split, log) for split in SPLITS}
    with open(run_path(cfg, 'eval.json'), 'w') as f:
        json.dump({'miou_percent': results, 'rw': cfg['rw'], 'cam_bg_score': cfg['cam']['bg_score']}, f, indent=1)
    log('mIoU (%):\n' + table(results))
    mark_done(cfg, EVALUATE, {split: {m: r[m]['miou'] for m in METHODS} for split, r in results.items()})
    return results


if __name__ == '__main__':
    main(load_config())
