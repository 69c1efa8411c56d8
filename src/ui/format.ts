/** Number formatting shared by the panels. */

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

export function formatMillis(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** mIoU as a percentage, like the paper's tables; a dash when there is nothing to score. */
export function formatMiou(miou: number | null): string {
  return miou === null || Number.isNaN(miou) ? '–' : `${(miou * 100).toFixed(1)}%`;
}

/** Decimals a threshold needs as a percentage: 0 for 0.5, 1 for 0.505 (at most 2). */
function percentDigits(threshold: number): number {
  for (let digits = 0; digits < 2; digits++) {
    const units = threshold * 100 * 10 ** digits;
    if (Math.abs(units - Math.round(units)) < 1e-6) return digits;
  }
  return 2;
}

/** A class-score threshold as a percentage, e.g. "50%". */
export function formatThreshold(threshold: number): string {
  return `${(threshold * 100).toFixed(percentDigits(threshold))}%`;
}

/**
 * A class score as a percentage that agrees with the rule it is kept by: it
 * shows at least formatThreshold(threshold) exactly when score ≥ threshold.
 * Scores are floored at the threshold's precision (0.4996 shows 49%; rounding
 * showed 50% on a class that was not kept, next to "≥ 50%").
 */
export function formatScore(score: number, threshold: number): string {
  const digits = percentDigits(threshold);
  const scale = 10 ** digits;
  const thresholdUnits = Math.round(threshold * 100 * scale);
  const floored = Math.floor(score * 100 * scale);
  // Float error can put the floor on the wrong side (0.29 * 100 = 28.999999999999996).
  const units = score >= threshold ? Math.max(floored, thresholdUnits) : Math.min(floored, thresholdUnits - 1);
  return `${(units / scale).toFixed(digits)}%`;
}
