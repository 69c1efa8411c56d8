import { unzlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { vocPalette } from '../core/palette';
import { decodeLabelPng, encodeLabelPng } from './label_png';

/** Splits a PNG into its chunks by hand, independently of the encoder. */
function chunks(bytes: Uint8Array): Map<string, Uint8Array[]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(Array.from(bytes.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const out = new Map<string, Uint8Array[]>();
  for (let at = 8; at < bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    out.set(type, [...(out.get(type) ?? []), bytes.subarray(at + 8, at + 8 + length)]);
    at += 12 + length;
  }
  return out;
}

describe('encodeLabelPng', () => {
  const width = 5;
  const height = 3;
  const labels = Uint8Array.from({ length: width * height }, (_, i) => [0, 8, 15, 255, 3][i % 5]);

  it('writes an 8-bit indexed PNG whose pixels are the labels and whose palette is VOC', () => {
    const parts = chunks(encodeLabelPng({ width, height, labels }));
    const ihdr = new DataView(parts.get('IHDR')![0].buffer, parts.get('IHDR')![0].byteOffset);
    expect([ihdr.getUint32(0), ihdr.getUint32(4), ihdr.getUint8(8), ihdr.getUint8(9), ihdr.getUint8(12)]).toEqual([width, height, 8, 3, 0]);
    expect(parts.get('PLTE')![0]).toEqual(vocPalette());
    // Raw scanlines: one filter byte, then the row; undo the filters by hand.
    const raw = unzlibSync(concat(parts.get('IDAT')!));
    expect(raw.length).toBe(height * (width + 1));
    const rows: number[] = [];
    let prev = new Uint8Array(width);
    for (let y = 0; y < height; y++) {
      const filter = raw[y * (width + 1)];
      const line = raw.slice(y * (width + 1) + 1, (y + 1) * (width + 1));
      if (filter === 2) for (let x = 0; x < width; x++) line[x] = (line[x] + prev[x]) & 255;
      else if (filter === 1) for (let x = 1; x < width; x++) line[x] = (line[x] + line[x - 1]) & 255;
      else expect(filter).toBe(0);
      rows.push(...line);
      prev = line;
    }
    expect(rows).toEqual(Array.from(labels));
  });

  it('round-trips through decodeLabelPng', () => {
    const decoded = decodeLabelPng(encodeLabelPng({ width, height, labels }));
    expect(decoded.width).toBe(width);
    expect(decoded.height).toBe(height);
    expect(Array.from(decoded.labels)).toEqual(Array.from(labels));
  });

  it('rejects a label array of the wrong size', () => {
    expect(() => encodeLabelPng({ width, height, labels: new Uint8Array(3) })).toThrow(/5x3 label image needs 15 labels, got 3/);
  });
});

describe('decodeLabelPng', () => {
  it('reads palette indices of a PIL-written 4-bit "P" PNG, not colours', () => {
    // PIL: Image.fromarray(np.arange(12).reshape(3, 4), 'P') with a ramp palette.
    const bytes = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADBAMAAABG2rP1AAAAJFBMVEUAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiPpn+jGAAAAEUlEQVR4nGNgVGZwTWfoXA0ABbgCBSRfPvAAAAAASUVORK5CYII=',
      'base64',
    );
    const decoded = decodeLabelPng(bytes);
    expect([decoded.width, decoded.height]).toEqual([4, 3]);
    expect(Array.from(decoded.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
