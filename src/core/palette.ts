/**
 * The PASCAL VOC colour map: class k's RGB comes from spreading the bits of
 * k over the three channels, high bits first. 255 (ignore) is light grey-white
 * in VOC's own files; here it follows the same rule like any other index.
 */
export function vocPalette(size = 256): Uint8Array {
  const out = new Uint8Array(size * 3);
  for (let k = 0; k < size; k++) {
    let r = 0, g = 0, b = 0;
    let c = k;
    for (let bit = 7; bit >= 0; bit--) {
      r |= (c & 1) << bit;
      g |= ((c >> 1) & 1) << bit;
      b |= ((c >> 2) & 1) << bit;
      c >>= 3;
    }
    out.set([r, g, b], k * 3);
  }
  return out;
}
