import { describe, expect, it } from 'vitest';
import { neighbourAffinities } from './affinity';
import { createMaps, ChannelMaps } from './maps';
import { buildTransition, randomWalk, RandomWalk, transitionRow } from './random_walk';
import { seededRandom } from './seeded_random';
import { denseTransition, type Matrix } from './testing/dense_transition';

function randomMaps(c: number, h: number, w: number, seed: number, scale = 1): ChannelMaps {
  const m = createMaps(c, h, w);
  const r = seededRandom(seed);
  for (let i = 0; i < m.data.length; i++) m.data[i] = r() * scale;
  return m;
}

function matmul(x: Matrix, y: Matrix): Matrix {
  const n = x.length;
  const m = y[0].length;
  const out: Matrix = Array.from({ length: n }, () => new Float64Array(m));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < y.length; k++) {
      const v = x[i][k];
      if (v === 0) continue;
      for (let j = 0; j < m; j++) out[i][j] += v * y[k][j];
    }
  }
  return out;
}

function power(t: Matrix, steps: number): Matrix {
  let result: Matrix = t.map((_, i) => Float64Array.from(t, (__, j) => (i === j ? 1 : 0)));
  for (let s = 0; s < steps; s++) result = matmul(result, t);
  return result;
}

function camTimes(scores: ChannelMaps, t: Matrix): Float64Array {
  const n = scores.height * scores.width;
  const cam: Matrix = Array.from({ length: scores.channels }, (_, c) => Float64Array.from(scores.data.subarray(c * n, (c + 1) * n)));
  return Float64Array.from(matmul(cam, t).flatMap((row) => Array.from(row)));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('sparse random walk vs psa dense cam @ T^t (float64)', () => {
  const h = 9, w = 11, radius = 5, beta = 8;
  // Embeddings spread enough that W^8 varies over orders of magnitude.
  const embed = randomMaps(6, h, w, 1, 0.6);
  const scores = randomMaps(13, h, w, 2);
  const dense = denseTransition(embed, radius, beta);
  const transition = buildTransition(neighbourAffinities(embed, radius), beta);

  it.each([1, 2, 256])('matches after t = %i steps', (t) => {
    const expected = camTimes(scores, power(dense, t));
    const { final } = randomWalk(scores, transition, t);
    expect(maxAbsDiff(final.data, expected)).toBeLessThan(1e-5);
  });

  // Narrower channel groups for few channels (2, 4), and a partly filled last group of eight.
  it.each([1, 2, 3, 4, 9])('walks %i channels like the dense reference', (channels) => {
    const some = { ...scores, channels, data: scores.data.slice(0, channels * h * w) };
    const { final } = randomWalk(some, transition, 3);
    expect(maxAbsDiff(final.data, camTimes(some, power(dense, 3)))).toBeLessThan(1e-6);
  });

  it('returns every requested step from one pass', () => {
    const { snapshots, final } = randomWalk(scores, transition, 8, [0, 1, 2, 4, 8]);
    expect([...snapshots.keys()]).toEqual([0, 1, 2, 4, 8]);
    expect(maxAbsDiff(snapshots.get(0)!.data, scores.data)).toBe(0);
    for (const t of [1, 2, 4]) {
      expect(maxAbsDiff(snapshots.get(t)!.data, camTimes(scores, power(dense, t)))).toBeLessThan(1e-6);
    }
    expect(maxAbsDiff(snapshots.get(8)!.data, final.data)).toBe(0);
  });

  it('continues incrementally from where it stopped', () => {
    const walk = new RandomWalk(transition, scores);
    walk.advance(3);
    walk.advance(2);
    expect(walk.step).toBe(5);
    expect(maxAbsDiff(walk.current().data, camTimes(scores, power(dense, 5)))).toBeLessThan(1e-6);
  });

  it('transitionRow gives the weights each source contributes to one cell', () => {
    const cell = 4 * w + 5;
    const t5 = power(dense, 5);
    const expected = t5.map((row) => row[cell]);
    expect(maxAbsDiff(transitionRow(transition, cell, 5), expected)).toBeLessThan(1e-8); // W is stored in float32
  });
});

describe('random walk, hand-worked', () => {
  it('averages two cells by their affinity', () => {
    // Two cells, embedding values 0 and 1 -> W = e^-1; beta = 2 -> a = e^-2.
    const embed = createMaps(1, 1, 2);
    embed.data.set([0, 1]);
    const scores = createMaps(1, 1, 2);
    scores.data.set([1, 0]);
    const transition = buildTransition(neighbourAffinities(embed, 2), 2);
    const a = Math.exp(-2);
    const { final } = randomWalk(scores, transition, 1);
    expect(final.data[0]).toBeCloseTo(1 / (1 + a), 7);
    expect(final.data[1]).toBeCloseTo(a / (1 + a), 7);
  });

  it('keeps a constant map constant (rows of T sum to 1)', () => {
    const embed = randomMaps(4, 7, 6, 3);
    const scores = createMaps(2, 7, 6);
    scores.data.fill(0.25);
    const { final } = randomWalk(scores, buildTransition(neighbourAffinities(embed, 5), 8), 20);
    for (const v of final.data) expect(v).toBeCloseTo(0.25, 6);
  });

  it('rejects scores on another grid', () => {
    const transition = buildTransition(neighbourAffinities(randomMaps(2, 4, 4, 5), 3), 8);
    expect(() => randomWalk(createMaps(1, 4, 5), transition, 1)).toThrow(/4x5.*4x4/);
  });
});
