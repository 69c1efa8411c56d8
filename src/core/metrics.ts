import { IGNORE_LABEL } from './constants';

/** counts[gt * numClasses + pred]; pixels whose ground truth is ignore are skipped. */
export function confusionMatrix(pred: Uint8Array, gt: Uint8Array, numClasses: number): Float64Array {
  if (pred.length !== gt.length) throw new Error(`prediction has ${pred.length} pixels, ground truth ${gt.length}`);
  const counts = new Float64Array(numClasses * numClasses);
  for (let i = 0; i < gt.length; i++) {
    const g = gt[i];
    if (g === IGNORE_LABEL) continue;
    const p = pred[i];
    if (g >= numClasses || p >= numClasses) throw new Error(`label ${Math.max(g, p)} is outside 0..${numClasses - 1}`);
    counts[g * numClasses + p]++;
  }
  return counts;
}

/** Adds b into a (accumulating over a dataset). */
export function addConfusion(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}

/** Pixels per class in the ground truth (row sums) and in the prediction (column sums). */
function classTotals(confusion: Float64Array, numClasses: number): { gt: Float64Array; pred: Float64Array } {
  const gt = new Float64Array(numClasses);
  const pred = new Float64Array(numClasses);
  for (let g = 0; g < numClasses; g++) {
    for (let p = 0; p < numClasses; p++) {
      gt[g] += confusion[g * numClasses + p];
      pred[p] += confusion[g * numClasses + p];
    }
  }
  return { gt, pred };
}

/** IoU per class; NaN for a class absent from both prediction and ground truth. */
export function iouPerClass(confusion: Float64Array, numClasses: number): Float64Array {
  const { gt, pred } = classTotals(confusion, numClasses);
  const out = new Float64Array(numClasses);
  for (let c = 0; c < numClasses; c++) {
    const tp = confusion[c * numClasses + c];
    const union = gt[c] + pred[c] - tp;
    out[c] = union > 0 ? tp / union : NaN;
  }
  return out;
}

/** Mean over the classes that occur (NaN entries skipped), as VOC's mIoU. */
export function meanIoU(confusion: Float64Array, numClasses: number): number {
  const ious = iouPerClass(confusion, numClasses);
  let sum = 0;
  let count = 0;
  for (const v of ious) if (!Number.isNaN(v)) { sum += v; count++; }
  return count > 0 ? sum / count : NaN;
}

/** Classes the prediction uses that never occur in the ground truth: each enters meanIoU at IoU 0. */
export function classesOnlyPredicted(confusion: Float64Array, numClasses: number): number[] {
  const { gt, pred } = classTotals(confusion, numClasses);
  return Array.from(gt.keys()).filter((c) => gt[c] === 0 && pred[c] > 0);
}

/**
 * Mean IoU over the classes that occur in the ground truth only. On a set
 * that shows few classes, a class named wrongly somewhere still enters VOC's
 * mean at IoU 0; this mean leaves such classes out (their pixels still count
 * against the classes they took).
 */
export function meanIoUOverTruth(confusion: Float64Array, numClasses: number): number {
  const ious = iouPerClass(confusion, numClasses);
  const onlyPredicted = new Set(classesOnlyPredicted(confusion, numClasses));
  let sum = 0;
  let count = 0;
  ious.forEach((v, c) => {
    if (Number.isNaN(v) || onlyPredicted.has(c)) return;
    sum += v;
    count++;
  });
  return count > 0 ? sum / count : NaN;
}
