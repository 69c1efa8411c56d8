import type { ChannelMaps } from '../core/maps';
import type { DeviceWalkParams } from '../models/device_walk/device_walk';

/**
 * The pipeline worker's bookkeeping of the walk on its WebGPU device: the
 * newest run's walk inputs (a models/device_walk DeviceWalk), the page walk
 * started on them, and what a stale request gets. Apart from the DeviceWalk
 * itself, so that it is unit-tested with a stand-in.
 */

/** What the holder needs of a DeviceWalk. */
export interface WalkInputsOnDevice {
  start(params: DeviceWalkParams): Promise<number>;
  read(ts: readonly number[]): Promise<ChannelMaps[]>;
  dispose(): void;
}

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class DeviceWalkHolder {
  private held: { inputsId: number; inputs: WalkInputsOnDevice; walkId: number | null } | null = null;
  private lastInputsId = 0;
  private latestWalkId = 0;

  /** An id for the inputs of a run that starts now: ids follow the order runs start in, whatever order they end in. */
  nextInputsId(): number {
    return ++this.lastInputsId;
  }

  /** A run's inputs replace (and free) older ones; inputs older than those held are freed at once. */
  hold(inputsId: number, inputs: WalkInputsOnDevice): void {
    if (this.held && this.held.inputsId > inputsId) {
      inputs.dispose();
      return;
    }
    this.release();
    this.held = { inputsId, inputs, walkId: null };
  }

  /** Frees the held inputs (another model set, a lost device). */
  release(): void {
    this.held?.inputs.dispose();
    this.held = null;
  }

  /**
   * Starts page walk `walkId` on inputs `inputsId`; resolves with its GPU
   * time, or null when a newer walk was asked for meanwhile.
   */
  async start(inputsId: number, walkId: number, params: DeviceWalkParams): Promise<number | null> {
    this.latestWalkId = walkId;
    // A slider drag asks for many walks: let the newer requests arrive, and run only the latest.
    await yieldToEvents();
    if (walkId !== this.latestWalkId) return null;
    const held = this.held;
    if (held?.inputsId !== inputsId) throw new Error(`the walk's inputs ${inputsId} are no longer on the device`);
    held.walkId = walkId;
    return held.inputs.start(params);
  }

  /** Steps of page walk `walkId`, which must be the one started last on the held inputs. */
  async read(walkId: number, ts: readonly number[]): Promise<ChannelMaps[]> {
    if (this.held?.walkId !== walkId) throw new Error(`walk ${walkId} is not the one on the device`);
    return this.held.inputs.read(ts);
  }
}
