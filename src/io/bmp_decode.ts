import type { RgbaImage } from './rgba_image';

/**
 * Windows BMP to RGBA, for Node: libvips (sharp) has no BMP loader, while every
 * browser opens BMPs. Covers what Chromium's BMP reader reads: core (OS/2 1.x)
 * and info/V4/V5 headers; 1/4/8-bit palettes, 16/24/32-bit pixels, bit-field
 * masks, RLE8/RLE4; bottom-up and top-down rows.
 */

export interface BmpImage extends RgbaImage {
  /** Set when the pixel data ends early: the missing pixels stay transparent. */
  truncated: boolean;
}

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d; // "BM"
}

/** Throws, before allocating anything, for images over maxPixels. */
export function decodeBmp(bytes: Uint8Array, maxPixels = Infinity): BmpImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (end: number, what: string) => {
    if (end > bytes.length) throw new Error(`damaged BMP: the file ends inside the ${what}`);
  };
  need(18, 'file header');
  const pixelOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  const core = headerSize === 12;
  if (!core && headerSize < 40) throw new Error(`damaged BMP: unknown header size ${headerSize}`);
  need(14 + headerSize, 'header');
  const width = core ? view.getUint16(18, true) : view.getInt32(18, true);
  const rawHeight = core ? view.getInt16(20, true) : view.getInt32(22, true);
  const bpp = view.getUint16(core ? 24 : 28, true);
  const compression = core ? BI_RGB : view.getUint32(30, true);
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) throw new Error(`damaged BMP: size ${width}x${rawHeight}`);
  if (width * height > maxPixels) throw new Error(`the BMP is ${width}x${height} pixels, more than the ${maxPixels} this tool decodes`);
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw new Error(`damaged BMP: ${bpp} bits per pixel`);
  if (![BI_RGB, BI_RLE8, BI_RLE4, BI_BITFIELDS, BI_ALPHABITFIELDS].includes(compression)) {
    throw new Error(`BMP compression ${compression} (embedded JPEG/PNG or unknown) is not supported`);
  }

  let masks: number[] | null = null;
  let afterHeader = 14 + headerSize;
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    const count = compression === BI_ALPHABITFIELDS ? 4 : 3;
    // An info header (40 bytes) is followed by the masks; larger headers hold them.
    const at = headerSize === 40 ? afterHeader : 54;
    need(at + count * 4, 'colour masks');
    masks = Array.from({ length: count }, (_, k) => view.getUint32(at + k * 4, true));
    if (headerSize >= 56 && count === 3) masks.push(view.getUint32(66, true));
    if (headerSize === 40) afterHeader += count * 4;
  } else if (bpp === 16) {
    masks = [0x7c00, 0x03e0, 0x001f]; // 5-5-5
  }

  let palette: Uint8Array | null = null;
  if (bpp <= 8) {
    const entry = core ? 3 : 4;
    const used = core ? 0 : view.getUint32(46, true);
    const count = Math.min(used || 1 << bpp, 1 << bpp, Math.floor((pixelOffset - afterHeader) / entry));
    palette = new Uint8Array((1 << bpp) * 4); // indices past the palette read as opaque black
    for (let k = 0; k < 1 << bpp; k++) palette[k * 4 + 3] = 255;
    for (let k = 0; k < count; k++) {
      const at = afterHeader + k * entry;
      palette.set([bytes[at + 2], bytes[at + 1], bytes[at], 255], k * 4);
    }
  }

  const out = new Uint8Array(width * height * 4);
  const rowOf = (y: number) => (topDown ? y : height - 1 - y);
  const data = bytes.subarray(Math.min(pixelOffset, bytes.length));
  let truncated: boolean;
  if (compression === BI_RLE8 || compression === BI_RLE4) {
    truncated = decodeRle(data, compression === BI_RLE4 ? 4 : 8, width, height, palette!, out, rowOf);
  } else {
    truncated = decodeRows(data, bpp, width, height, palette, masks, out, rowOf);
  }
  return { width, height, data: out, truncated };
}

function decodeRows(
  data: Uint8Array,
  bpp: number,
  width: number,
  height: number,
  palette: Uint8Array | null,
  masks: number[] | null,
  out: Uint8Array,
  rowOf: (y: number) => number,
): boolean {
  const stride = Math.ceil((width * bpp) / 32) * 4;
  const fields = masks?.map(maskField);
  const rows = Math.min(height, Math.floor(data.length / stride));
  for (let y = 0; y < rows; y++) {
    const row = data.subarray(y * stride, (y + 1) * stride);
    const base = rowOf(y) * width * 4;
    for (let x = 0; x < width; x++) {
      const o = base + x * 4;
      if (palette) {
        const index = (row[(x * bpp) >> 3] >> (8 - bpp - ((x * bpp) & 7))) & ((1 << bpp) - 1);
        out.set(palette.subarray(index * 4, index * 4 + 4), o);
      } else if (fields) {
        const v = bpp === 16 ? row[x * 2] | (row[x * 2 + 1] << 8) : bpp === 24 ? row[x * 3] | (row[x * 3 + 1] << 8) | (row[x * 3 + 2] << 16) : (row[x * 4] | (row[x * 4 + 1] << 8) | (row[x * 4 + 2] << 16) | (row[x * 4 + 3] << 24)) >>> 0;
        for (let c = 0; c < 3; c++) out[o + c] = fields[c](v);
        out[o + 3] = fields.length === 4 && masks![3] !== 0 ? fields[3](v) : 255;
      } else {
        const p = x * (bpp >> 3);
        out[o] = row[p + 2];
        out[o + 1] = row[p + 1];
        out[o + 2] = row[p];
        out[o + 3] = 255; // a 32-bit BI_RGB image's fourth byte is not alpha (Chromium ignores it too)
      }
    }
  }
  return rows < height;
}

/** A bit-field mask -> its value scaled to 0..255. */
function maskField(mask: number): (v: number) => number {
  if (mask === 0) return () => 0;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  let bits = 0;
  while (((mask >>> (shift + bits)) & 1) === 1 && bits < 32) bits++;
  const max = 2 ** bits - 1;
  return (v) => Math.round((((v & mask) >>> shift) * 255) / max);
}

/** Run-length data; pixels it never sets stay transparent. Returns whether it ended before its end-of-bitmap code. */
function decodeRle(data: Uint8Array, bits: 4 | 8, width: number, height: number, palette: Uint8Array, out: Uint8Array, rowOf: (y: number) => number): boolean {
  let x = 0;
  let y = 0;
  let at = 0;
  const put = (index: number) => {
    if (x < width && y < height) out.set(palette.subarray(index * 4, index * 4 + 4), (rowOf(y) * width + x) * 4);
    x++;
  };
  while (at + 1 < data.length) {
    const count = data[at];
    const value = data[at + 1];
    at += 2;
    if (count > 0) {
      for (let k = 0; k < count; k++) put(bits === 8 ? value : k % 2 === 0 ? value >> 4 : value & 15);
    } else if (value === 0) {
      x = 0;
      y++;
    } else if (value === 1) {
      return false;
    } else if (value === 2) {
      if (at + 1 >= data.length) break;
      x += data[at];
      y += data[at + 1];
      at += 2;
    } else {
      const bytes = bits === 8 ? value : Math.ceil(value / 2);
      if (at + bytes > data.length) break;
      for (let k = 0; k < value; k++) put(bits === 8 ? data[at + k] : k % 2 === 0 ? data[at + (k >> 1)] >> 4 : data[at + (k >> 1)] & 15);
      at += bytes + (bytes % 2); // absolute runs are padded to 16 bits
    }
  }
  return true;
}
