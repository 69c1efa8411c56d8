/** Intersection over union of two [x0, y0, x1, y1] boxes (a reference for tests). */
export function boxIou(a: readonly number[], b: readonly number[]): number {
  const overlap = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const area = (r: readonly number[]) => (r[2] - r[0]) * (r[3] - r[1]);
  return overlap / (area(a) + area(b) - overlap);
}
