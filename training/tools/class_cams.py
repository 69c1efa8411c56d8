"""Per-class CAM inputs of the CAM-guided segmentation head
(networks/cam_guided_seg_head.py): which classes it is asked about,
normalisation, padding to a fixed number of classes, and the augmentations:
detector-like box evidence and weakened maps."""
import torch

from .maps import normalize_cams

CLASS_THRESHOLD = 0.5  # src/core/masks.ts CLASS_SCORE_THRESHOLD
MAX_CLASSES = 3  # per composite image (training/data/build_dataset.py OBJECT_COUNTS)


def kept_channels(scores):
    """Channels scoring at least CLASS_THRESHOLD, best first; the best alone
    when none does (src/core/masks.ts keptClasses)."""
    order = torch.argsort(scores, descending=True).tolist()
    kept = [c for c in order if scores[c] >= CLASS_THRESHOLD]
    return kept or order[:1]


def padded(cams, classes, count, eps):
    """(K, H, W) raw CAMs of K classes -> (count, H, W) normalised CAMs, the
    (count,) class ids (0 for padding) and the (count,) mask of real ones."""
    k, h, w = cams.shape
    out = torch.zeros(count, h, w)
    out[:k] = normalize_cams(cams.unsqueeze(0), eps)[0]
    ids = torch.zeros(count, dtype=torch.long)
    ids[:k] = torch.as_tensor(classes, dtype=torch.long)
    return out, ids, ids > 0


def box_evidence(cams, valid, generator, eps, chance=0.5):
    """Replaces some classes' CAMs by what the app feeds the head on
    photographs (core/class_evidence.ts boxCams): a box around the class
    times the image's objectness (the max over its CAMs), renormalised. The
    box is the CAM's cells above a random level, grown by 0-3 cells a side,
    standing in for a detector's box. cams: (B, K, H, W), valid: (B, K)."""
    out = cams.clone()
    b, k, h, w = cams.shape
    objectness = (cams * valid[:, :, None, None]).amax(dim=1)
    for i in range(b):
        for j in range(k):
            if not valid[i, j] or torch.rand(1, generator=generator).item() >= chance:
                continue
            level = 0.2 + 0.3 * torch.rand(1, generator=generator).item()
            ys, xs = torch.nonzero(cams[i, j] >= level, as_tuple=True)
            if len(ys) == 0:
                continue
            grow = torch.randint(0, 4, (4,), generator=generator).tolist()
            y0, y1 = max(0, ys.min().item() - grow[0]), min(h, ys.max().item() + 1 + grow[1])
            x0, x1 = max(0, xs.min().item() - grow[2]), min(w, xs.max().item() + 1 + grow[3])
            box = torch.zeros(h, w)
            box[y0:y1, x0:x1] = 1
            ev = box * objectness[i]
            out[i, j] = ev / (ev.max() + eps)
    return out


def weakened(evidence, generator, weakest, chance=0.5):
    """Scales some classes' maps by U(weakest, 1): on photographs a box scoring
    half its class's best gives a CAM peaking at half, which a head that only
    saw peaks of 1 reads as background. evidence: (B, K, H, W)."""
    if weakest >= 1:
        return evidence
    b, k = evidence.shape[:2]
    scale = 1 - (1 - weakest) * torch.rand(b, k, generator=generator)
    scale = torch.where(torch.rand(b, k, generator=generator) < chance, scale, torch.ones(b, k))
    return evidence * scale[:, :, None, None]
