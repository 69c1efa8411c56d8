"""The optimisation loop shared by the three heads: shuffled mini-batches,
Adam with psa's poly learning-rate decay, progress lines and a loss history."""
import math

import torch

from .progress import Progress

POLY_POWER = 0.9  # psa's poly schedule: lr * (1 - step / total)^0.9


def fit(net, num_items, batch_loss, hp, log, label, param_groups=None):
    """Trains `net` for hp['epochs'] epochs over `num_items` items.

    `batch_loss(index)` gets a LongTensor of item indices and returns
    (loss, {name: float}) for that batch. Adam (not psa's SGD at lr 0.1)
    because the heads start from scratch on frozen features and must
    converge in a few epochs without a learning-rate search.
    `param_groups` (Adam's format) replaces net.parameters() at hp's lr and
    weight decay, e.g. to fine-tune a pretrained part more gently.
    Returns the per-epoch mean of every reported term.
    """
    steps_per_epoch = math.ceil(num_items / hp['batch_size'])
    total = hp['epochs'] * steps_per_epoch
    opt = torch.optim.Adam(param_groups or net.parameters(), lr=hp['lr'], weight_decay=hp['weight_decay'])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: (1 - step / total) ** POLY_POWER)
    progress = Progress(log, label, total, unit='batch')
    history = []
    net.train()
    for epoch in range(hp['epochs']):
        sums = {}
        order = torch.randperm(num_items)
        for b in range(steps_per_epoch):
            loss, parts = batch_loss(order[b * hp['batch_size']:(b + 1) * hp['batch_size']])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            for k, v in parts.items():
                sums[k] = sums.get(k, 0.0) + v
            done = epoch * steps_per_epoch + b + 1
            progress.update(done, f'epoch {epoch + 1}/{hp["epochs"]} ' +
                            ' '.join(f'{k} {v / (b + 1):.4f}' for k, v in sums.items()))
        history.append({k: v / steps_per_epoch for k, v in sums.items()})
    net.eval()
    return {'epochs': hp['epochs'], 'history': history, 'seconds': round(progress.elapsed, 1)}
