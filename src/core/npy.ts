/**
 * NumPy .npy (format 1.0–3.0) reading and writing: little-endian, C order.
 * Pure TypeScript on byte arrays so the CLI, tests and the browser's export
 * share it.
 */

// TextDecoder/TextEncoder are in browsers, workers and Node alike; src/core is type-checked
// without the DOM library (src/core/tsconfig.json), so the part used here is declared here.
declare const TextDecoder: new () => { decode(input: Uint8Array): string };
declare const TextEncoder: new () => { encode(input: string): Uint8Array };

export type NpyDtype = '<f4' | '<f8' | '<f2' | '|u1' | '<i4';

type NpyData = Float32Array | Float64Array | Uint8Array | Int32Array;

export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: number[];
  /** Values in C order; float16 files are widened to Float32Array. */
  readonly data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ITEM_SIZE: Record<NpyDtype, number> = { '<f4': 4, '<f8': 8, '<f2': 2, '|u1': 1, '<i4': 4 };

export class NpyError extends Error {}

export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyError('not a .npy file (bad magic)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyError('truncated .npy header');
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new NpyError(`unsupported .npy format version ${major}`);
  }
  if (headerStart + headerLength > bytes.length) throw new NpyError('truncated .npy header');
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength));
  const dtype = matchField(header, /'descr'\s*:\s*'([^']*)'/, 'descr');
  const fortran = matchField(header, /'fortran_order'\s*:\s*(True|False)/, 'fortran_order');
  const shapeText = matchField(header, /'shape'\s*:\s*\(([^)]*)\)/, 'shape');
  if (!(dtype in ITEM_SIZE)) {
    throw new NpyError(`unsupported dtype ${dtype} (supported: ${Object.keys(ITEM_SIZE).join(', ')})`);
  }
  if (fortran === 'True') throw new NpyError('Fortran-order arrays are not supported; save with C order');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyError(`bad shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = headerStart + headerLength;
  const itemSize = ITEM_SIZE[dtype as NpyDtype];
  if (bytes.length - offset < count * itemSize) {
    throw new NpyError(`data is truncated: expected ${count * itemSize} bytes, found ${bytes.length - offset}`);
  }
  return { dtype: dtype as NpyDtype, shape, data: readData(dtype as NpyDtype, bytes, offset, count) };
}

function matchField(header: string, pattern: RegExp, name: string): string {
  const m = pattern.exec(header);
  if (!m) throw new NpyError(`.npy header has no ${name}`);
  return m[1];
}

function readData(dtype: NpyDtype, bytes: Uint8Array, offset: number, count: number): NpyData {
  // Copy into a fresh buffer: aligned for the typed view, and independent of the
  // input (Node's Buffer#slice would return a view into a shared pool).
  const raw = new Uint8Array(count * ITEM_SIZE[dtype]);
  raw.set(bytes.subarray(offset, offset + raw.length));
  switch (dtype) {
    case '<f4': return new Float32Array(raw.buffer, 0, count);
    case '<f8': return new Float64Array(raw.buffer, 0, count);
    case '<i4': return new Int32Array(raw.buffer, 0, count);
    case '|u1': return raw;
    case '<f2': {
      const halves = new Uint16Array(raw.buffer, 0, count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(halves[i]);
      return out;
    }
  }
}

export function serializeNpy(data: NpyData, shape: number[], dtype: NpyDtype = defaultDtype(data)): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new NpyError(`shape (${shape.join(', ')}) needs ${count} values, got ${data.length}`);
  const shapeText = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${shapeText}), }`;
  // The data must start at a multiple of 64 bytes; the header ends with '\n'.
  const padded = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(padded - 10 - 1, ' ') + '\n';
  const body = encodeData(data, dtype);
  const out = new Uint8Array(10 + header.length + body.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}

function defaultDtype(data: NpyData): NpyDtype {
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Uint8Array) return '|u1';
  return '<f4';
}

function encodeData(data: NpyData, dtype: NpyDtype): Uint8Array {
  switch (dtype) {
    case '<f4': return new Uint8Array(Float32Array.from(data).buffer);
    case '<f8': return new Uint8Array(Float64Array.from(data).buffer);
    case '<i4': return new Uint8Array(Int32Array.from(data).buffer);
    case '|u1': return Uint8Array.from(data);
    case '<f2': {
      const halves = new Uint16Array(data.length);
      for (let i = 0; i < data.length; i++) halves[i] = floatToHalf(data[i]);
      return new Uint8Array(halves.buffer);
    }
  }
}

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Round-to-nearest-even float32 -> float16 bits. */
export function floatToHalf(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half++;
  return sign | half;
}
