import { createMaps, type ChannelMaps } from '../core/maps';
import { RandomWalk, recordWalk, type SteppedWalk, type Transition, type WalkResult } from '../core/random_walk';
import { instantiateWalkKernel, walkKernelSupported, type WalkExport } from './walk_kernel';

/**
 * The random walk v <- T v (core/random_walk.ts, the reference) on the
 * WebAssembly SIMD kernel (walk_kernel.wat): float32, one thread; in Node
 * 3 to 5 times the core's speed at 1 to 3 channels, 10 to 14 times at 21.
 * Each walk has its own wasm memory holding T and two state buffers (layout
 * in walk_kernel.wat).
 */

const LANES = 4;
const I32_BYTES = 4;
const V128_BYTES = 16;
const TAP_BYTES = 8;
const PAGE_BYTES = 65536;
/** Where rowStart sits in the walk's memory; the taps and the state buffers follow. */
const ROW_START = 0;

export class RandomWalkWasm implements SteppedWalk {
  private readonly walk: WalkExport;
  private readonly memory: WebAssembly.Memory;
  private readonly height: number;
  private readonly width: number;
  private readonly channels: number;
  private readonly cells: number;
  private readonly groups: number;
  private readonly taps: number;
  /** The buffer holding the current maps, and the other one. */
  private at: number;
  private other: number;
  private t = 0;

  constructor(transition: Transition, scores: ChannelMaps) {
    const { height, width, rowStart, cols, values, invDegree } = transition;
    if (scores.height !== height || scores.width !== width) {
      throw new Error(`scores are ${scores.height}x${scores.width} but the affinities are ${height}x${width}`);
    }
    this.height = height;
    this.width = width;
    this.channels = scores.channels;
    this.cells = height * width;
    this.groups = Math.ceil(scores.channels / LANES);
    const rowBytes = this.groups * V128_BYTES;
    const entries = cols.length;
    this.taps = alignUp(ROW_START + (this.cells + 1) * I32_BYTES, V128_BYTES);
    this.at = this.taps + entries * TAP_BYTES;
    this.other = this.at + this.cells * rowBytes;
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((this.other + this.cells * rowBytes) / PAGE_BYTES)) });
    this.walk = instantiateWalkKernel(this.memory);

    const buffer = this.memory.buffer;
    new Int32Array(buffer, ROW_START, this.cells + 1).set(rowStart);
    const tapWeights = new Float32Array(buffer, this.taps, entries * 2);
    const tapRows = new Int32Array(buffer, this.taps, entries * 2);
    for (let i = 0; i < this.cells; i++) {
      for (let p = rowStart[i]; p < rowStart[i + 1]; p++) {
        tapWeights[2 * p] = values[p] * invDegree[i];
        tapRows[2 * p + 1] = cols[p] * rowBytes;
      }
    }
    const state = this.state(this.at);
    const stride = this.groups * LANES;
    for (let c = 0; c < scores.channels; c++) {
      for (let i = 0; i < this.cells; i++) state[i * stride + c] = scores.data[c * this.cells + i];
    }
  }

  get step(): number {
    return this.t;
  }

  /** `steps` steps in one call into the kernel. */
  advance(steps = 1): void {
    if (steps <= 0) return;
    const result = this.walk(this.cells, this.groups, ROW_START, this.taps, this.at, this.other, steps);
    if (result !== this.at) [this.at, this.other] = [this.other, this.at];
    this.t += steps;
  }

  /** The current maps, back in (C, H, W) order. */
  current(): ChannelMaps {
    const out = createMaps(this.channels, this.height, this.width);
    const state = this.state(this.at);
    const stride = this.groups * LANES;
    for (let c = 0; c < this.channels; c++) {
      for (let i = 0; i < this.cells; i++) out.data[c * this.cells + i] = state[i * stride + c];
    }
    return out;
  }

  private state(address: number): Float32Array {
    return new Float32Array(this.memory.buffer, address, this.cells * this.groups * LANES);
  }
}

function alignUp(bytes: number, to: number): number {
  return Math.ceil(bytes / to) * to;
}

/** randomWalk (core) on the kernel: `steps` steps, keeping copies at the requested steps. */
export function randomWalkWasm(scores: ChannelMaps, transition: Transition, steps: number, record: Iterable<number> = []): WalkResult {
  return recordWalk(new RandomWalkWasm(transition, scores), steps, record);
}

/** The fastest walk this engine runs on the CPU: the kernel where WebAssembly SIMD is there, the core's otherwise. */
export function cpuWalk(transition: Transition, scores: ChannelMaps): SteppedWalk {
  return walkKernelSupported() ? new RandomWalkWasm(transition, scores) : new RandomWalk(transition, scores);
}
