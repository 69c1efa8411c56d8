/**
 * Test support only: bilinear resizing in float64, written from the
 * definition the app's resizes use (tf.image.resizeBilinear with
 * halfPixelCenters, torch's align_corners=False) and sharing no code with
 * tfjs or src/core/cam.ts, so tests of either have something else to agree
 * with. Output index d reads the input at s = (d + 0.5) * in / out - 0.5,
 * clamped to [0, in - 1], linearly between floor(s) and the next index.
 */

/** The two input indices an output index reads, with their weights. */
function sourceTaps(d: number, inSize: number, outSize: number): [number, number][] {
  const s = Math.min(inSize - 1, Math.max(0, ((d + 0.5) * inSize) / outSize - 0.5));
  const i0 = Math.floor(s);
  const i1 = Math.min(inSize - 1, i0 + 1);
  return [
    [i0, 1 - (s - i0)],
    [i1, s - i0],
  ];
}

/** h x w x c values, channels last (tfjs' HWC), resized to outHeight x outWidth x c. */
export function bilinearHwc(values: ArrayLike<number>, h: number, w: number, c: number, outHeight: number, outWidth: number): Float64Array {
  const out = new Float64Array(outHeight * outWidth * c);
  for (let y = 0; y < outHeight; y++) {
    const rows = sourceTaps(y, h, outHeight);
    for (let x = 0; x < outWidth; x++) {
      const cols = sourceTaps(x, w, outWidth);
      for (let ch = 0; ch < c; ch++) {
        let sum = 0;
        for (const [iy, wy] of rows) for (const [ix, wx] of cols) sum += wy * wx * values[(iy * w + ix) * c + ch];
        out[(y * outWidth + x) * c + ch] = sum;
      }
    }
  }
  return out;
}
