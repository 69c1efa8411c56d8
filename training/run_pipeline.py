#!/usr/bin/python3
"""`npm run train`: every stage of a model set in order, skipping stages whose
done marker exists (data/runs/<name>/done/<stage>.json), so a stopped run
resumes where it stopped. Each stage logs to data/runs/<name>/logs/<stage>.log.

    /usr/bin/python3 training/run_pipeline.py [--config training/config/default.json ...] [--redo STAGE]

--config may be repeated to build several model sets in turn (`npm run
train` builds default, then scratch). --redo STAGE reruns STAGE and every
later stage.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate  # noqa: E402
import export_tfjs  # noqa: E402
import infer_cam  # noqa: E402
import infer_rw  # noqa: E402
import infer_seg  # noqa: E402
import make_aff_labels  # noqa: E402
import train_aff  # noqa: E402
import train_backbone  # noqa: E402
import train_cam  # noqa: E402
import train_seg  # noqa: E402
from tools import feature_cache  # noqa: E402
from tools.backbone_parity import parity  # noqa: E402
from tools.config import DEFAULT_CONFIG, ROOT, all_taps, load_config, run_path  # noqa: E402
from tools.progress import Logger, format_seconds  # noqa: E402
from tools.stages import EVALUATE, EXPORT_TFJS, FEATURES, INFER_CAM, INFER_RW, INFER_SEG, MAKE_AFF_LABELS, TRAIN_AFF  # noqa: E402
from tools.stages import TRAIN_BACKBONE, TRAIN_CAM, TRAIN_SEG, done_path, is_done, mark_done, stage_logger  # noqa: E402


def own_backbone(cfg):
    """model.json of the set's own backbone (train_backbone), or None for the CenterNet graph."""
    return run_path(cfg, 'backbone', 'model.json') if 'backbone' in cfg else None


def extract_features(cfg):
    """Stage 0: cache the backbone taps with the app's own tfjs code (Node).
    For a set with its own backbone, also compare PyTorch's and the TS
    features of one image (backbone_parity.parity)."""
    log = stage_logger(cfg, FEATURES)
    model_json = own_backbone(cfg)
    feature_cache.fill(cfg, cfg['paths']['features'], all_taps(cfg), log, model_json)
    summary = {'features': cfg['paths']['features']}
    if model_json:
        summary['parity'] = parity(cfg, log)
    mark_done(cfg, FEATURES, summary)


STAGES = [
    (FEATURES, extract_features),
    (TRAIN_CAM, train_cam.main),
    (INFER_CAM, infer_cam.main),
    (MAKE_AFF_LABELS, make_aff_labels.main),
    (TRAIN_AFF, train_aff.main),
    (INFER_RW, infer_rw.main),
    (TRAIN_SEG, train_seg.main),
    (INFER_SEG, infer_seg.main),
    (EVALUATE, evaluate.main),
    (EXPORT_TFJS, export_tfjs.main),
]


def stages(cfg):
    """STAGES, preceded by training the backbone for a set that has its own."""
    return ([(TRAIN_BACKBONE, train_backbone.main)] if 'backbone' in cfg else []) + STAGES


def clear_from(cfg, stage):
    names = [name for name, _ in stages(cfg)]
    if stage not in names:
        raise SystemExit(f'unknown stage {stage!r}; stages: {", ".join(names)}')
    for name in names[names.index(stage):]:
        if is_done(cfg, name):
            os.remove(done_path(cfg, name))


def main(cfg):
    """Runs every stage of `cfg` that is not done yet."""
    log = Logger(os.path.join(cfg['paths']['run'], 'logs', 'pipeline.log'))
    start = time.time()
    todo = stages(cfg)
    for n, (name, stage_main) in enumerate(todo, 1):
        if is_done(cfg, name):
            log(f'[{n}/{len(todo)}] {name}: done already, skipped')
            continue
        log(f'[{n}/{len(todo)}] {name}: started')
        t0 = time.time()
        stage_main(cfg)
        log(f'[{n}/{len(todo)}] {name}: finished in {format_seconds(time.time() - t0)}')
    log(f'pipeline {cfg["name"]} complete ({format_seconds(time.time() - start)} this run)')


def cli(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--config', action='append', help=f'a model set config; repeatable (default: {os.path.relpath(DEFAULT_CONFIG, ROOT)})')
    parser.add_argument('--redo', metavar='STAGE', help='rerun this stage and all later ones')
    args = parser.parse_args(argv)
    for path in args.config or [DEFAULT_CONFIG]:
        cfg = load_config(path)
        if args.redo:
            clear_from(cfg, args.redo)
        main(cfg)


if __name__ == '__main__':
    cli()
