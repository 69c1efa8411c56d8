import { describe, expect, it } from 'vitest';
import { createMaps } from '../../core/maps';
import type { AffinityGraph } from '../../workers/walk_client';
import { camHeat, neighbourHeat, normaliseMax } from './heat';

describe('neighbourHeat', () => {
  it('places each neighbour weight at its offset and skips cells outside the grid', () => {
    const graph: AffinityGraph = {
      inputsId: 1, height: 2, width: 2,
      offsets: [{ dy: 0, dx: 1 }, { dy: 1, dx: 0 }, { dy: 0, dx: -1 }],
      weights: Float32Array.from([0.5, 0.25, NaN, /* cell 1 */ NaN, 0.1, 0.9, /* cells 2, 3 */ 0, 0, 0, 0, 0, 0]),
      boundary: new Float32Array(4),
    };
    const heat = neighbourHeat(graph, 0);
    expect(heat[0]).toBe(1);
    expect(heat[1]).toBe(0.5);
    expect(heat[2]).toBe(0.25);
    expect(heat[3]).toBeNaN();
  });
});

describe('normaliseMax', () => {
  it('scales to a maximum of 1 and leaves all-zero maps alone', () => {
    expect([...normaliseMax(Float32Array.from([0.1, 0.4]))]).toEqual([0.25, 1]);
    expect([...normaliseMax(new Float32Array(2))]).toEqual([0, 0]);
  });
});

describe('camHeat', () => {
  it('returns a class channel, or the background from the kept classes only', () => {
    const cams = createMaps(2, 1, 2);
    cams.data.set([0.5, 0, /* class 1 */ 1, 0.2]);
    expect([...camHeat(cams, 1, [0], 2)]).toEqual([1, Math.fround(0.2)]);
    expect([...camHeat(cams, 'background', [0], 2)]).toEqual([0.25, 1]);
  });
});
