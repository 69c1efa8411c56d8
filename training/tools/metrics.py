"""Confusion matrices and mIoU, as src/core/metrics.ts: ground-truth 255 is
skipped and classes absent from both prediction and ground truth do not count."""
import numpy as np

IGNORE = 255


def confusion(pred, gt, num_classes):
    """counts[gt, pred] over the pixels whose ground truth is not ignore."""
    keep = gt != IGNORE
    idx = gt[keep].astype(np.int64) * num_classes + pred[keep].astype(np.int64)
    return np.bincount(idx, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def iou_per_class(conf):
    tp = np.diag(conf).astype(np.float64)
    union = conf.sum(0) + conf.sum(1) - tp
    with np.errstate(invalid='ignore', divide='ignore'):
        return np.where(union > 0, tp / union, np.nan)


def mean_iou(conf):
    return float(np.nanmean(iou_per_class(conf)))
