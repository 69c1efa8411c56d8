import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { NeighbourAffinities } from '../src/core/affinity';
import { mapsFrom, type ChannelMaps } from '../src/core/maps';
import type { TensorMemory } from '../src/models/tensor_memory';
import { maxAbsDiff as maxAbsDiffOf } from './max_abs_diff';

/**
 * The app's ?test-hooks (src/state/test_hooks.ts) for the browser tests,
 * which may not import the page's state: its answers' shapes are restated here.
 */

export interface PlainMaps {
  channels: number;
  height: number;
  width: number;
  data: number[];
}

/** The finished current walk: where it ran, what it was made from, and the steps asked for. */
export interface WalkSnapshot {
  walkOn: string;
  keep: number[];
  alpha: number;
  beta: number;
  stride: number;
  region: { width: number; height: number };
  cams: PlainMaps;
  affinities: { height: number; width: number; offsets: { dy: number; dx: number }[]; weights: number[] };
  walked: PlainMaps[];
}

interface Hooks {
  tensorMemory(): Promise<TensorMemory>;
  loseGpuDevice(): Promise<boolean>;
  walkSnapshot(ts: number[]): Promise<WalkSnapshot | null>;
}

type WithHooks = { affinityLabTestHooks: Hooks };

export const tensorMemory = (page: Page) => page.evaluate(() => (window as unknown as WithHooks).affinityLabTestHooks.tensorMemory());

export const loseGpuDevice = (page: Page) => page.evaluate(() => (window as unknown as WithHooks).affinityLabTestHooks.loseGpuDevice());

/** Steps `ts` of the current walk once it has finished and its affinities are in. */
export async function walkSnapshot(page: Page, ts: number[], timeout: number): Promise<WalkSnapshot> {
  let taken: WalkSnapshot | null = null;
  await expect.poll(async () => (taken = await page.evaluate((steps) => (window as unknown as WithHooks).affinityLabTestHooks.walkSnapshot(steps), ts)) !== null, { timeout, interval: 250 }).toBe(true);
  return taken!;
}

export const toMaps = (m: PlainMaps): ChannelMaps => mapsFrom(Float32Array.from(m.data), m.channels, m.height, m.width);

export const toAffinities = (a: WalkSnapshot['affinities']): NeighbourAffinities => ({ ...a, weights: Float32Array.from(a.weights) });

/** Largest |a - b| (max_abs_diff.ts), after checking the lengths agree. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  return maxAbsDiffOf(a, b);
}
