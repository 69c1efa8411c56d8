import { describe, expect, it } from 'vitest';
import { createMaps, type ChannelMaps } from '../core/maps';
import type { DeviceWalkParams } from '../models/device_walk/device_walk';
import { DeviceWalkHolder, type WalkInputsOnDevice } from './pipeline_device_walk';

/** Stands in for a DeviceWalk: records its walks and whether it was freed. */
class FakeInputs implements WalkInputsOnDevice {
  readonly started: DeviceWalkParams[] = [];
  disposed = false;
  constructor(readonly name: string) {}
  async start(params: DeviceWalkParams): Promise<number> {
    this.started.push(params);
    return 7;
  }
  async read(ts: readonly number[]): Promise<ChannelMaps[]> {
    return ts.map((t) => ({ ...createMaps(1, 1, 1), data: Float32Array.of(t) }));
  }
  dispose(): void {
    this.disposed = true;
  }
}

const params = (alpha: number): DeviceWalkParams => ({ keep: [0], alpha, beta: 8, steps: 4, order: 'psa' });

describe('DeviceWalkHolder', () => {
  it('starts a walk on the held inputs and reads that walk only', async () => {
    const holder = new DeviceWalkHolder();
    const inputs = new FakeInputs('a');
    const id = holder.nextInputsId();
    holder.hold(id, inputs);
    expect(await holder.start(id, 3, params(16))).toBe(7);
    expect(inputs.started).toEqual([params(16)]);
    expect((await holder.read(3, [0, 2])).map((m) => m.data[0])).toEqual([0, 2]);
    await expect(holder.read(2, [0])).rejects.toThrow('walk 2 is not the one on the device');
  });

  it('runs only the latest of walks asked for together (a slider drag)', async () => {
    const holder = new DeviceWalkHolder();
    const inputs = new FakeInputs('a');
    const id = holder.nextInputsId();
    holder.hold(id, inputs);
    const results = await Promise.all([holder.start(id, 1, params(1)), holder.start(id, 2, params(2)), holder.start(id, 3, params(3))]);
    expect(results).toEqual([null, null, 7]);
    expect(inputs.started).toEqual([params(3)]);
  });

  it('frees inputs a newer run replaced, keeps the newer when an older run ends last, and frees on release', async () => {
    const holder = new DeviceWalkHolder();
    const [first, second] = [holder.nextInputsId(), holder.nextInputsId()];
    const [older, newer] = [new FakeInputs('older'), new FakeInputs('newer')];
    holder.hold(second, newer);
    holder.hold(first, older);
    expect(older.disposed).toBe(true);
    expect(newer.disposed).toBe(false);
    await expect(holder.start(first, 1, params(16))).rejects.toThrow('inputs 1 are no longer on the device');
    expect(await holder.start(second, 2, params(16))).toBe(7);

    const third = holder.nextInputsId();
    const latest = new FakeInputs('latest');
    holder.hold(third, latest);
    expect(newer.disposed).toBe(true);
    await expect(holder.read(2, [0])).rejects.toThrow('not the one on the device');
    holder.release();
    expect(latest.disposed).toBe(true);
    await expect(holder.start(third, 3, params(16))).rejects.toThrow('no longer on the device');
  });
});
