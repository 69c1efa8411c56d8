/** Largest |a - b| over two arrays of one length; a NaN (a neighbour off the grid) must stand on both sides, one alone counts as Infinity. Pure, so browser pages and Node tests share it. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    const diff = Math.abs(a[i] - b[i]);
    max = Math.max(max, Number.isNaN(diff) ? Infinity : diff);
  }
  return max;
}
