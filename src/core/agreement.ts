/**
 * How well two pipelines' label maps agree, and the check that they agree
 * well enough (npm run eval against the PyTorch pipeline, and the shipped
 * sets' reference test).
 */

/** Share of pixels that carry the same label in both maps. */
export function pixelAgreement(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`label maps of ${a.length} and ${b.length} pixels cannot be compared`);
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/**
 * One message per stage whose agreement (a share of pixels) is below
 * `threshold`; empty when all reach it. NaN means the stage was not
 * compared, which is no shortfall.
 */
export function agreementShortfalls(agreement: Readonly<Record<string, number>>, threshold: number): string[] {
  return Object.entries(agreement)
    .filter(([, share]) => share < threshold)
    .map(([stage, share]) => `${stage}: ${(100 * share).toFixed(2)}% of pixels agree, below the required ${(100 * threshold).toFixed(1)}%`);
}
