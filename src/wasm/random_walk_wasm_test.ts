import { describe, expect, it } from 'vitest';
import { neighbourAffinities } from '../core/affinity';
import { createMaps, type ChannelMaps } from '../core/maps';
import { stageMasks, type MaskParameters } from '../core/masks';
import { buildTransition, randomWalk, RandomWalk } from '../core/random_walk';
import { seededRandom } from '../core/seeded_random';
import { cpuWalk, randomWalkWasm, RandomWalkWasm } from './random_walk_wasm';
import { walkKernelSupported } from './walk_kernel';

function randomMaps(c: number, h: number, w: number, seed: number, scale = 1): ChannelMaps {
  const m = createMaps(c, h, w);
  const r = seededRandom(seed);
  for (let i = 0; i < m.data.length; i++) m.data[i] = r() * scale;
  return m;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Embeddings spread enough that W^8 varies over orders of magnitude, as in the core's tests. */
function walkInputs(channels: number, h: number, w: number, seed = 1) {
  const transition = buildTransition(neighbourAffinities(randomMaps(6, h, w, seed, 0.6), 5), 8);
  return { transition, scores: randomMaps(channels, h, w, seed + 1) };
}

describe('random walk on the WebAssembly SIMD kernel vs the core (float64)', () => {
  it('runs in this Node', () => {
    expect(walkKernelSupported()).toBe(true);
    const { transition, scores } = walkInputs(3, 4, 4);
    expect(cpuWalk(transition, scores)).toBeInstanceOf(RandomWalkWasm);
  });

  it('matches the core at every recorded step up to t = 256 on a small grid', () => {
    const { transition, scores } = walkInputs(13, 9, 11);
    const record = [0, 1, 2, 3, 16, 100, 256];
    const core = randomWalk(scores, transition, 256, record);
    const wasm = randomWalkWasm(scores, transition, 256, record);
    expect([...wasm.snapshots.keys()]).toEqual(record);
    for (const t of record) expect(maxAbsDiff(wasm.snapshots.get(t)!.data, core.snapshots.get(t)!.data), `t = ${t}`).toBeLessThan(1e-5);
    expect(maxAbsDiff(wasm.final.data, core.final.data)).toBeLessThan(1e-5);
  });

  it("matches the core at psa's setting: 56 x 56, 21 channels, radius 5, t = 256", () => {
    const transition = buildTransition(neighbourAffinities(randomMaps(64, 56, 56, 2), 5), 8);
    const scores = randomMaps(21, 56, 56, 1);
    const core = randomWalk(scores, transition, 256).final;
    const wasm = randomWalkWasm(scores, transition, 256).final;
    expect(maxAbsDiff(wasm.data, core.data)).toBeLessThan(1e-5);
  });

  // Every way the kernel splits a cell's groups of four channels: blocks of six, four, two and one.
  it.each([1, 2, 3, 4, 5, 8, 9, 12, 13, 17, 21, 24, 26, 44])('matches the core with %i channels', (channels) => {
    const { transition, scores } = walkInputs(channels, 7, 6, channels);
    const core = randomWalk(scores, transition, 16).final;
    const wasm = randomWalkWasm(scores, transition, 16).final;
    expect(wasm.channels).toBe(channels);
    expect(maxAbsDiff(wasm.data, core.data)).toBeLessThan(1e-5);
  });

  it.each([
    [1, 1],
    [1, 7],
    [7, 1],
    [2, 2],
  ])('matches the core on a %i x %i grid', (h, w) => {
    const { transition, scores } = walkInputs(5, h, w);
    expect(maxAbsDiff(randomWalkWasm(scores, transition, 32).final.data, randomWalk(scores, transition, 32).final.data)).toBeLessThan(1e-5);
  });

  it('gives the input back at t = 0', () => {
    const { transition, scores } = walkInputs(7, 5, 6);
    const { final, snapshots } = randomWalkWasm(scores, transition, 0, [0]);
    expect(final.data).toEqual(scores.data);
    expect(snapshots.get(0)!.data).toEqual(scores.data);
  });

  it('keeps the requested steps within 0 .. steps, in order, whatever order they are asked in', () => {
    const { transition, scores } = walkInputs(3, 5, 5);
    const wasm = randomWalkWasm(scores, transition, 8, [8, 3, 0, 3, 9, -1, 2.5]);
    const core = randomWalk(scores, transition, 8, [8, 3, 0, 3, 9, -1, 2.5]);
    expect([...wasm.snapshots.keys()]).toEqual([0, 3, 8]);
    expect([...core.snapshots.keys()]).toEqual([0, 3, 8]);
  });

  it('gives the same maps stepped one at a time as in one call', () => {
    const { transition, scores } = walkInputs(6, 6, 6);
    const single = new RandomWalkWasm(transition, scores);
    for (let t = 0; t < 10; t++) single.advance();
    const batched = new RandomWalkWasm(transition, scores);
    batched.advance(4);
    batched.advance(6);
    expect(single.step).toBe(10);
    expect(batched.step).toBe(10);
    expect(batched.current().data).toEqual(single.current().data);
    expect(maxAbsDiff(single.current().data, stepped(new RandomWalk(transition, scores), 10))).toBeLessThan(1e-5);
  });

  it('rejects scores whose grid is not the transition’s', () => {
    const { transition } = walkInputs(2, 4, 5);
    expect(() => new RandomWalkWasm(transition, randomMaps(2, 5, 4, 1))).toThrow(/5x4 but the affinities are 4x5/);
  });
});

function stepped(walk: RandomWalk, steps: number): Float32Array {
  walk.advance(steps);
  return walk.current().data;
}

describe('the masks on the kernel', () => {
  it('equal the core walk\'s masks (stageMasks with cpuWalk)', () => {
    const h = 12;
    const w = 10;
    // Three blobs (left, middle, right) with noise, so each mask has several labels.
    const cams = randomMaps(3, h, w, 7, 0.2);
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < h * w; i++) cams.data[c * h * w + i] += Math.exp(-(((i % w) - 1 - 4 * c) ** 2) / 4);
    }
    const inputs = { cams, embedding: randomMaps(6, h, w, 8, 0.6), segLogits: randomMaps(4, h, w, 9) };
    const g = { stride: 4, region: { width: 4 * w, height: 4 * h }, vocOfChannel: [3, 8, 12] };
    const p: MaskParameters = { alpha: 4, beta: 8, steps: 2, radius: 5, camBackground: 0.2, order: 'psa' };
    const keepSets = [[0, 2], [0, 1, 2]];
    const core = stageMasks(inputs, g, keepSets, p);
    const wasm = stageMasks(inputs, g, keepSets, p, cpuWalk);
    keepSets.forEach((_, k) => {
      expect(wasm[k].rw).toEqual(core[k].rw);
      expect(new Set(core[k].rw).size).toBeGreaterThan(1);
    });
  });
});

