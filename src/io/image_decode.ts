import { convertIndexedToRgb, decode as decodePngData, hasPngSignature } from 'fast-png';
import jpeg from 'jpeg-js';
import { unpackRows } from './label_png';

/**
 * JPEG and PNG files to RGBA pixels in pure JS, for Node (CLI, evaluation)
 * where no canvas exists. JPEGs go through jpeg-js, the decoder the training
 * features were extracted with, so evaluation sees the same pixels.
 */

export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes; alpha is kept but the networks ignore it. */
  data: Uint8Array;
}

/** Largest image accepted, in pixels: jpeg-js' own default cap is 100 MP, too much for one process here. */
const MAX_PIXELS = 64 * 1024 * 1024;

export function decodeImage(bytes: Uint8Array): RgbaImage {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    const { width, height, data } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 2 ** 20 });
    return { width, height, data };
  }
  if (hasPngSignature(bytes)) return decodePng(bytes);
  throw new Error('not a JPEG or PNG file');
}

function decodePng(bytes: Uint8Array): RgbaImage {
  const png = decodePngData(bytes);
  const { width, height } = png;
  if (width * height > MAX_PIXELS) throw new Error(`image is ${width}x${height}, larger than ${MAX_PIXELS} pixels`);
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
