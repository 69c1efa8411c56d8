import { convertIndexedToRgb, decode as decodePngData, hasPngSignature } from 'fast-png';
import { jpegSize } from './jpeg_size';
import { unpackRows } from './label_png';
import { decodeJpeg } from './node_jpeg_decode';
import type { RgbaImage } from './rgba_image';

/**
 * JPEG and PNG files to RGBA pixels in pure JS, for Node (CLI, evaluation)
 * where no canvas exists. Node-only: the JPEG decoder reads its wasm from disk. JPEGs decode bit-identically to the browser (see
 * node_jpeg_decode.ts), so the CLI, evaluation, training features and the app all
 * see the same pixels.
 */

/** Largest image accepted, in pixels: checked from the header, before decoding. */
const MAX_PIXELS = 64 * 1024 * 1024;

export async function decodeImage(bytes: Uint8Array): Promise<RgbaImage> {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    const { width, height } = jpegSize(bytes);
    checkSize(width, height);
    return decodeJpeg(bytes);
  }
  if (hasPngSignature(bytes)) return decodePng(bytes);
  throw new Error('not a JPEG or PNG file');
}

function checkSize(width: number, height: number): void {
  if (width * height > MAX_PIXELS) throw new Error(`image is ${width}x${height}, larger than ${MAX_PIXELS} pixels`);
}

function decodePng(bytes: Uint8Array): RgbaImage {
  const png = decodePngData(bytes);
  const { width, height } = png;
  checkSize(width, height);
  let channels = png.channels;
  let values: ArrayLike<number> = png.data;
  let shift = png.depth === 16 ? 8 : 0; // keep the high byte of 16-bit samples
  if (png.palette) {
    values = convertIndexedToRgb(png);
    channels = png.palette[0].length;
    shift = 0;
  } else if (png.depth < 8) {
    // Sub-byte greyscale: unpack, then stretch 0..2^depth-1 to 0..255.
    const scale = 255 / ((1 << png.depth) - 1);
    values = unpackRows(png.data, width, height, png.depth).map((v) => Math.round(v * scale));
    shift = 0;
  }
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    // 1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA.
    const r = values[s] >> shift;
    const grey = channels < 3;
    out[i * 4] = r;
    out[i * 4 + 1] = grey ? r : values[s + 1] >> shift;
    out[i * 4 + 2] = grey ? r : values[s + 2] >> shift;
    out[i * 4 + 3] = channels === 2 || channels === 4 ? values[s + channels - 1] >> shift : 255;
  }
  return { width, height, data: out };
}
