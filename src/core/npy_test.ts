import { describe, expect, it } from 'vitest';
import { floatToHalf, NpyError, parseNpy, serializeNpy } from './npy';

/** Files written by NumPy 1.24 (np.save), base64. */
const NUMPY_F4_2x3 = 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPgAAAD8AAEA/AACAPwAAoD8=';
const NUMPY_F2_4 = 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAPgDA/3sBAA==';

const fromBase64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

describe('.npy', () => {
  it('reads NumPy float32 files', () => {
    const arr = parseNpy(fromBase64(NUMPY_F4_2x3)); // np.arange(6).reshape(2, 3) / 4
    expect(arr.dtype).toBe('<f4');
    expect(arr.shape).toEqual([2, 3]);
    expect(Array.from(arr.data)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
  });

  it('reads from a Node Buffer that is a view into a larger pool', () => {
    const pool = Buffer.alloc(4096, 0x7f);
    const file = fromBase64(NUMPY_F4_2x3);
    pool.set(file, 100);
    const arr = parseNpy(pool.subarray(100, 100 + file.length));
    expect(Array.from(arr.data)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
  });

  it('reads NumPy float16 files, subnormals included', () => {
    const arr = parseNpy(fromBase64(NUMPY_F2_4)); // [1.5, -2, 65504, 6e-8]
    expect(arr.shape).toEqual([4]);
    expect(Array.from(arr.data)).toEqual([1.5, -2, 65504, 2 ** -24]);
  });

  it('writes the layout NumPy reads: v1.0 header, 64-byte aligned data, C order', () => {
    const bytes = serializeNpy(Float32Array.from([0, 0.25, 0.5, 0.75, 1, 1.25]), [2, 3]);
    const numpy = fromBase64(NUMPY_F4_2x3);
    expect(Array.from(bytes.subarray(0, 8))).toEqual(Array.from(numpy.subarray(0, 8)));
    const headerLength = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLength) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect(Array.from(bytes.subarray(10 + headerLength))).toEqual(Array.from(numpy.subarray(128)));
  });

  it('round-trips float64, uint8, int32 and float16', () => {
    for (const [data, dtype] of [
      [Float64Array.from([Math.PI, -1e300]), '<f8'],
      [Uint8Array.from([0, 255, 7]), '|u1'],
      [Int32Array.from([-5, 2 ** 30]), '<i4'],
    ] as const) {
      const back = parseNpy(serializeNpy(data, [data.length], dtype));
      expect(back.dtype).toBe(dtype);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
    const halves = parseNpy(serializeNpy(Float32Array.from([1.5, -2, 65504, 2 ** -24, 0.1]), [5], '<f2'));
    // 0.1 narrows to 0x2E66: exponent 0b01011 = 11, so 2^(11 - 15) * (1 + 0x266 / 1024) = 1638 / 2^14.
    expect(Array.from(halves.data)).toEqual([1.5, -2, 65504, 2 ** -24, 1638 / 2 ** 14]);
  });

  it('reads float16 bit patterns written by hand: normals, subnormals, signed zero, infinities and NaN', () => {
    // [bits, value]: sign | 5 exponent bits (bias 15) | 10 fraction bits; exponent 0 is subnormal, 2^-14 * fraction / 1024.
    const cases: [number, number][] = [
      [0x3c00, 1], // exponent 15, fraction 0
      [0xc000, -2], // sign, exponent 16
      [0x3555, 1365 / 4096], // exponent 13: 2^-2 * (1 + 0x155 / 1024) = 1365 / 4096, the float16 nearest 1/3
      [0x7bff, 65504], // largest finite: 2^15 * (1 + 1023 / 1024)
      [0x0400, 2 ** -14], // smallest normal
      [0x03ff, 1023 * 2 ** -24], // largest subnormal
      [0x0001, 2 ** -24], // smallest subnormal
      [0x8000, -0],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
      [0x7e00, NaN], // exponent all ones, fraction non-zero
    ];
    const header = `{'descr': '<f2', 'fortran_order': False, 'shape': (${cases.length},), }`.padEnd(117, ' ') + '\n';
    const file = Uint8Array.from([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length, 0, ...Buffer.from(header), ...cases.flatMap(([bits]) => [bits & 0xff, bits >> 8])]);
    const arr = parseNpy(file);
    expect(arr.shape).toEqual([cases.length]);
    expect(Array.from(arr.data)).toEqual(cases.map(([, value]) => value));
  });

  it('rounds to nearest even when narrowing to float16', () => {
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // halfway, even stays
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway, odd rounds up
    expect(floatToHalf(1e6)).toBe(0x7c00);
    expect(floatToHalf(-0)).toBe(0x8000);
  });

  it('explains what is wrong with a bad file', () => {
    expect(() => parseNpy(new Uint8Array([1, 2, 3]))).toThrow(NpyError);
    const fortran = serializeNpy(Float32Array.from([1]), [1]);
    fortran.set(new TextEncoder().encode('True, '), fortran.indexOf(0x46)); // 'F' of False
    expect(() => parseNpy(fortran)).toThrow(/Fortran/);
    const truncated = fromBase64(NUMPY_F4_2x3).subarray(0, 140);
    expect(() => parseNpy(truncated)).toThrow(/truncated/);
    const int64 = fromBase64(NUMPY_F4_2x3);
    int64.set(new TextEncoder().encode('<i8'), 21);
    expect(() => parseNpy(int64)).toThrow(/unsupported dtype <i8/);
  });
});
