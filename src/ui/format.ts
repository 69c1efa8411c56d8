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
