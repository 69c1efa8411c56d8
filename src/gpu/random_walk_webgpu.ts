import type { ChannelMaps } from '../core/maps';
import type { Offset } from '../core/pairs';
import type { Transition } from '../core/random_walk';
import { computePipeline, readBack, upload } from './gpu_util';
import { channelGroups, LANES, packChannels, tapTable, unpackChannels } from './walk_layout';

/**
 * The random walk v <- T v (core/random_walk.ts, the reference) as a WGSL
 * compute kernel in raw WebGPU, on whichever device it is given (tfjs' own
 * in the app's pipeline worker, models/device_walk). Every step of a walk
 * goes into one command submission, and every step's maps stay on the GPU in
 * their own buffer, so showing a step t reads back that step only.
 */

/** Cells per workgroup side: 8 x 8 threads, one cell and one vec4 of channels each. */
const TILE = 8;

const SHADER = /* wgsl */ `
struct Grid { width: u32, height: u32, taps: u32, cells: u32 }

@group(0) @binding(0) var<uniform> grid: Grid;
@group(0) @binding(1) var<storage, read> taps: array<vec2<i32>>;
@group(0) @binding(2) var<storage, read> weights: array<f32>;
@group(0) @binding(3) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> dst: array<vec4<f32>>;

@compute @workgroup_size(${TILE}, ${TILE}, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= grid.width || id.y >= grid.height) { return; }
  let i = id.y * grid.width + id.x;
  let group = id.z * grid.cells;
  let last = vec2<i32>(i32(grid.width) - 1, i32(grid.height) - 1);
  var sum = vec4<f32>(0.0);
  for (var k = 0u; k < grid.taps; k++) {
    // Taps outside the grid have weight 0; clamping keeps their read in bounds.
    let at = clamp(vec2<i32>(id.xy) + taps[k], vec2<i32>(0), last);
    sum += weights[k * grid.cells + i] * src[group + u32(at.y) * grid.width + u32(at.x)];
  }
  dst[group + i] = sum;
}
`;

/**
 * The transition as the walk reads it (walk_layout.ts TapTable) in GPU
 * buffers: built on the GPU (transition_webgpu.ts) or uploaded from a core
 * Transition. The walk it is given to destroys it with its steps.
 */
export interface GpuTapTable {
  readonly height: number;
  readonly width: number;
  readonly tapCount: number;
  readonly taps: GPUBuffer;
  readonly weights: GPUBuffer;
}

export function uploadTapTable(device: GPUDevice, transition: Transition, offsets: readonly Offset[]): GpuTapTable {
  const { taps, weights } = tapTable(transition, offsets);
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const { height, width } = transition;
  return { height, width, tapCount: offsets.length + 1, taps: upload(device, taps, usage), weights: upload(device, weights, usage) };
}

/** (C, H, W) maps in a new buffer, packed as the walk reads its scores (walk_layout.ts packChannels). */
export function uploadScores(device: GPUDevice, maps: ChannelMaps): GPUBuffer {
  return upload(device, packChannels(maps), GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
}

export interface WalkOnGpuInputs {
  /** Owned by the walk from here on. */
  table: GpuTapTable;
  /**
   * Scores at t = 0 on the table's grid, packed (walk_layout.ts packChannels).
   * Copied in the walk's own submission, so the caller may free it as soon as the constructor returns.
   */
  scores: GPUBuffer;
  channels: number;
  steps: number;
}

export class RandomWalkWebGpu {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly steps: number;
  /** Resolves when the GPU has finished every step. */
  readonly finished: Promise<void>;
  private readonly stepBuffers: GPUBuffer[];
  private readonly inputBuffers: GPUBuffer[];
  private disposed = false;

  /** Uploads the inputs and submits all `steps` steps at once. */
  constructor(private readonly device: GPUDevice, { table, scores, channels, steps }: WalkOnGpuInputs) {
    const { height, width } = table;
    const tableBuffers = [table.taps, table.weights];
    const cells = height * width;
    const groups = channelGroups(channels);
    const stepBytes = groups * cells * LANES * 4;
    const problem = !Number.isInteger(steps) || steps < 0
      ? `steps must be a non-negative integer, got ${steps}`
      : scores.size < stepBytes ? `${scores.size} bytes of scores cannot hold ${channels} channels of ${height}x${width}` : null;
    if (problem) {
      // The table is the walk's to free even when it refuses it.
      for (const buffer of tableBuffers) buffer.destroy();
      throw new Error(problem);
    }
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.steps = steps;
    // GPUBufferUsage exists only where WebGPU does, so it is read here rather than at module level.
    this.inputBuffers = [upload(device, Uint32Array.from([width, height, table.tapCount, cells]), GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST), ...tableBuffers];
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.stepBuffers = [];
    for (let t = 0; t <= steps; t++) this.stepBuffers.push(device.createBuffer({ size: stepBytes, usage }));

    const pipeline = computePipeline(device, SHADER);
    const encoder = device.createCommandEncoder({ label: 'random walk' });
    encoder.copyBufferToBuffer(scores, 0, this.stepBuffers[0], 0, stepBytes);
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    const fixed = this.inputBuffers.map((buffer, binding) => ({ binding, resource: { buffer } }));
    for (let t = 0; t < steps; t++) {
      const entries = [...fixed, { binding: 3, resource: { buffer: this.stepBuffers[t] } }, { binding: 4, resource: { buffer: this.stepBuffers[t + 1] } }];
      pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
      pass.dispatchWorkgroups(Math.ceil(width / TILE), Math.ceil(height / TILE), groups);
    }
    pass.end();
    device.queue.submit([encoder.finish()]);
    this.finished = device.queue.onSubmittedWorkDone();
  }

  /** The maps after each step in `ts` (0 = the input), read back from the GPU in one go. */
  async mapsAtSteps(ts: readonly number[]): Promise<ChannelMaps[]> {
    if (this.disposed) throw new Error('the GPU walk was disposed');
    for (const t of ts) if (!Number.isInteger(t) || t < 0 || t > this.steps) throw new Error(`step ${t} is outside 0…${this.steps}`);
    const packed = await readBack(this.device, ts.map((t) => this.stepBuffers[t]));
    return packed.map((p) => unpackChannels(p, this.channels, this.height, this.width));
  }

  dispose(): void {
    this.disposed = true;
    for (const buffer of [...this.stepBuffers, ...this.inputBuffers]) buffer.destroy();
  }
}
