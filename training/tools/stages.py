"""Stage bookkeeping: a log file per stage and a done marker holding the
stage's summary, written last, so that a killed stage is simply rerun."""
import json
import os

from .config import run_path, setup_torch
from .heads import load_head
from .progress import Logger

# Stage names, in pipeline order: each names its done marker and log, and
# export_tfjs reads earlier stages' summaries by them.
FEATURES = 'features'
TRAIN_BACKBONE = 'train_backbone'
TRAIN_CAM = 'train_cam'
INFER_CAM = 'infer_cam'
MAKE_AFF_LABELS = 'make_aff_labels'
TRAIN_AFF = 'train_aff'
INFER_RW = 'infer_rw'
TRAIN_SEG = 'train_seg'
INFER_SEG = 'infer_seg'
EVALUATE = 'evaluate'
EXPORT_TFJS = 'export_tfjs'


def stage_logger(cfg, stage):
    return Logger(run_path(cfg, 'logs', f'{stage}.log'))


def done_path(cfg, stage):
    return run_path(cfg, 'done', f'{stage}.json')


def is_done(cfg, stage):
    return os.path.exists(done_path(cfg, stage))


def mark_done(cfg, stage, summary):
    path = done_path(cfg, stage)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + '.tmp', 'w') as f:
        json.dump(summary, f, indent=1)
    os.replace(path + '.tmp', path)


def read_summary(cfg, stage):
    with open(done_path(cfg, stage)) as f:
        return json.load(f)


def run_inference_stage(cfg, stage, head, infer_split, splits, extra_summary=None):
    """What every inference stage does around its per-split work: load the
    trained `head` (heads.load_head), run `infer_split(cfg, net, split,
    device, log)` on each split, then mark the stage done with the image counts."""
    log = stage_logger(cfg, stage)
    device = setup_torch(cfg)
    net = load_head(cfg, head, device)
    counts = {split: infer_split(cfg, net, split, device, log) for split in splits}
    mark_done(cfg, stage, {'images': counts, **(extra_summary or {})})
    return counts
