"""Stage bookkeeping: a log file per stage and a done marker holding the
stage's summary, written last, so that a killed stage is simply rerun."""
import json
import os

from .config import run_path
from .progress import Logger


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
