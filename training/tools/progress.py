"""Stage logs (one file per stage under the run directory) and progress lines with an ETA."""
import os
import time


class Logger:
    """Prints timestamped lines and appends them to a log file."""

    def __init__(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.path = path

    def __call__(self, msg):
        line = f'{time.strftime("%H:%M:%S")} {msg}'
        print(line, flush=True)
        with open(self.path, 'a') as f:
            f.write(line + '\n')


class Progress:
    """`label done/total rate ETA extra`, at most every `every` seconds and at the end."""

    def __init__(self, log, label, total, unit='it', every=15.0):
        self.log, self.label, self.total, self.unit, self.every = log, label, total, unit, every
        self.start = self.last = time.time()

    def update(self, done, extra=''):
        now = time.time()
        if now - self.last < self.every and done < self.total:
            return
        self.last = now
        rate = done / max(now - self.start, 1e-9)
        eta = (self.total - done) / rate if rate > 0 else float('inf')
        self.log(f'{self.label} {done}/{self.total}  {rate:.2f} {self.unit}/s  ETA {format_seconds(eta)}  {extra}'.rstrip())

    @property
    def elapsed(self):
        return time.time() - self.start


def format_seconds(s):
    if s == float('inf'):
        return '?'
    m, s = divmod(int(round(s)), 60)
    return f'{m}m{s:02d}s' if m else f'{s}s'
