import { describe, expect, it } from 'vitest';
import { createMaps, type ChannelMaps } from '../core/maps';
import { GpuWalkSteps } from './gpu_walk_steps';

/** A reader whose reads the test answers one by one: step t's maps hold t. */
class FakeReader {
  readonly asked: { walkId: number; ts: number[] }[] = [];
  private readonly waiting: (() => void)[] = [];
  read = (walkId: number, ts: number[]): Promise<ChannelMaps[]> => {
    this.asked.push({ walkId, ts });
    return new Promise((resolve) => this.waiting.push(() => resolve(ts.map((t) => ({ ...createMaps(1, 1, 1), data: Float32Array.of(t) })))));
  };
  /** Answers the oldest read and lets its callbacks run. */
  async answer(): Promise<void> {
    this.waiting.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

const stepOf = (steps: GpuWalkSteps, t: number) => steps.stepAt(t)?.maps.data[0] ?? null;

describe('GpuWalkSteps', () => {
  it('reads nothing before the walk has run, then the step asked for last', async () => {
    const reader = new FakeReader();
    const steps = new GpuWalkSteps(reader.read);
    steps.begin(1);
    expect(steps.stepAt(256)).toBeNull();
    expect(steps.stepAt(128)).toBeNull();
    expect(reader.asked).toEqual([]);
    steps.ran(1);
    expect(reader.asked).toEqual([{ walkId: 1, ts: [128] }]);
    await reader.answer();
    expect(steps.stepAt(128)).toEqual({ t: 128, maps: expect.objectContaining({ data: Float32Array.of(128) }) });
  });

  it('keeps one read in flight and reads only the newest waiting step next; tells listeners of each', async () => {
    const reader = new FakeReader();
    const steps = new GpuWalkSteps(reader.read);
    const heard: [number, number][] = [];
    steps.subscribe((walkId, t) => heard.push([walkId, t]));
    steps.begin(2);
    steps.ran(2);
    steps.stepAt(10);
    steps.stepAt(11);
    steps.stepAt(12);
    expect(reader.asked.map((a) => a.ts)).toEqual([[10]]);
    // While t = 12 is on its way, the latest step read stands in.
    await reader.answer();
    expect(reader.asked.map((a) => a.ts)).toEqual([[10], [12]]);
    expect(steps.stepAt(12)).toMatchObject({ t: 10 });
    await reader.answer();
    expect(stepOf(steps, 12)).toBe(12);
    expect(heard).toEqual([[2, 10], [2, 12]]);
  });

  it('keeps the eight steps read last', async () => {
    const reader = new FakeReader();
    const steps = new GpuWalkSteps(reader.read);
    steps.begin(1);
    steps.ran(1);
    for (let t = 0; t < 9; t++) {
      steps.stepAt(t);
      await reader.answer();
    }
    steps.stepAt(0);
    steps.stepAt(8);
    expect(reader.asked).toHaveLength(10);
    expect(reader.asked.at(-1)!.ts).toEqual([0]);
  });

  it("drops a replaced walk's steps and a read that comes back after it was replaced", async () => {
    const reader = new FakeReader();
    const steps = new GpuWalkSteps(reader.read);
    const heard: number[] = [];
    steps.subscribe((walkId) => heard.push(walkId));
    steps.begin(1);
    steps.ran(1);
    steps.stepAt(5);
    steps.begin(2);
    steps.stepAt(5);
    await reader.answer();
    expect(heard).toEqual([]);
    expect(steps.stepAt(5)).toBeNull();
    steps.ran(1);
    expect(reader.asked).toHaveLength(1);
    steps.ran(2);
    expect(reader.asked.at(-1)).toEqual({ walkId: 2, ts: [5] });
    await reader.answer();
    expect(stepOf(steps, 5)).toBe(5);
    expect(heard).toEqual([2]);
  });

  it('reads for exports and the mIoU curve from the current walk', async () => {
    const reader = new FakeReader();
    const steps = new GpuWalkSteps(reader.read);
    steps.begin(3);
    steps.ran(3);
    const many = steps.readMany([0, 4, 8]);
    await reader.answer();
    expect((await many).map((m) => m.data[0])).toEqual([0, 4, 8]);
    const one = steps.read(7);
    await reader.answer();
    expect((await one).data[0]).toBe(7);
    expect(reader.asked.map((a) => a.walkId)).toEqual([3, 3]);
  });
});
