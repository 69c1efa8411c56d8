import { describe, expect, it } from 'vitest';
import { fullDiscOffsets, halfDiscOffsets, halfDiscPairs } from './pairs';

describe('pair indexing', () => {
  it('lists psa\'s 34 half-disc directions for radius 5', () => {
    const expected: [number, number][] = [[0, 1], [0, 2], [0, 3], [0, 4]];
    for (let dy = 1; dy <= 4; dy++) {
      const maxDx = { 1: 4, 2: 4, 3: 3, 4: 2 }[dy]!;
      for (let dx = -maxDx; dx <= maxDx; dx++) expected.push([dy, dx]);
    }
    expect(halfDiscOffsets(5).map(({ dy, dx }) => [dy, dx])).toEqual(expected);
    expect(expected).toHaveLength(34);
  });

  it('the full disc has 68 neighbours: each half-disc direction both ways', () => {
    const full = fullDiscOffsets(5);
    expect(full).toHaveLength(68);
    const key = (dy: number, dx: number) => `${dy},${dx}`;
    const both = new Set(halfDiscOffsets(5).flatMap(({ dy, dx }) => [key(dy, dx), key(-dy, -dx)]));
    expect(new Set(full.map(({ dy, dx }) => key(dy, dx)))).toEqual(both);
  });

  it('gives 52 x 48 x 34 = 84,864 pairs on a 56x56 grid, all inside and within the radius', () => {
    const pairs = halfDiscPairs(56, 56, 5);
    expect(pairs.from.length).toBe(84_864);
    expect(pairs.sourcesPerOffset).toBe(52 * 48);
    const seen = new Set<string>();
    const problems: string[] = [];
    for (let p = 0; p < pairs.from.length; p++) {
      const [fy, fx] = [Math.floor(pairs.from[p] / 56), pairs.from[p] % 56];
      const [ty, tx] = [Math.floor(pairs.to[p] / 56), pairs.to[p] % 56];
      if (ty < 0 || ty >= 56 || tx < 0 || tx >= 56) problems.push(`pair ${p} leaves the grid`);
      if ((ty - fy) ** 2 + (tx - fx) ** 2 >= 25) problems.push(`pair ${p} is outside the radius`);
      const key = [Math.min(pairs.from[p], pairs.to[p]), Math.max(pairs.from[p], pairs.to[p])].join();
      if (seen.has(key)) problems.push(`pair ${p} repeats ${key}`);
      seen.add(key);
    }
    expect(problems).toEqual([]);
  });

  it('crops sources by r-1 at the bottom, left and right', () => {
    const pairs = halfDiscPairs(6, 9, 3);
    const sources = [...new Set(pairs.from)].sort((a, b) => a - b);
    const expected: number[] = [];
    for (let y = 0; y < 4; y++) for (let x = 2; x < 7; x++) expected.push(y * 9 + x);
    expect(sources).toEqual(expected);
  });

  it('rejects grids smaller than the disc', () => {
    expect(() => halfDiscPairs(3, 8, 5)).toThrow(/too small/);
  });
});
