import type { ChannelMaps } from '../core/maps';
import type { Offset } from '../core/pairs';
import type { Transition } from '../core/random_walk';
import { channelGroups, LANES, packChannels, tapTable, unpackChannels } from './walk_layout';

/**
 * The random walk v <- T v (core/random_walk.ts, the reference) as a WGSL
 * compute kernel in raw WebGPU, on whichever device it is given (tfjs'
 * own in the app). Every step of a walk goes into one command submission,
 * and every step's maps stay on the GPU in their own buffer, so showing a
 * step t reads back that step only.
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

/** One pipeline per device: compiling WGSL is the slow part of a first walk. */
const pipelines = new WeakMap<GPUDevice, GPUComputePipeline>();

function walkPipeline(device: GPUDevice): GPUComputePipeline {
  let pipeline = pipelines.get(device);
  if (!pipeline) {
    pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: SHADER }), entryPoint: 'main' } });
    pipelines.set(device, pipeline);
  }
  return pipeline;
}

function upload(device: GPUDevice, data: Float32Array | Int32Array | Uint32Array, usage: number): GPUBuffer {
  // Buffer sizes must be multiples of 4 and non-zero; 16 also suits a uniform.
  const buffer = device.createBuffer({ size: Math.max(data.byteLength, 16), usage, mappedAtCreation: true });
  new Uint8Array(buffer.getMappedRange(0, data.byteLength)).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  buffer.unmap();
  return buffer;
}

export interface WalkOnGpuInputs {
  transition: Transition;
  /** The neighbour offsets the transition was built over (NeighbourAffinities.offsets). */
  offsets: readonly Offset[];
  /** Scores at t = 0, (C, H, W) on the transition's grid. */
  scores: ChannelMaps;
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
  constructor(private readonly device: GPUDevice, { transition, offsets, scores, steps }: WalkOnGpuInputs) {
    const { height, width } = transition;
    if (scores.height !== height || scores.width !== width) throw new Error(`scores are ${scores.height}x${scores.width} but the transition is ${height}x${width}`);
    if (!Number.isInteger(steps) || steps < 0) throw new Error(`steps must be a non-negative integer, got ${steps}`);
    this.channels = scores.channels;
    this.height = height;
    this.width = width;
    this.steps = steps;
    const cells = height * width;
    const groups = channelGroups(scores.channels);
    const table = tapTable(transition, offsets);
    const tapCount = offsets.length + 1;
    // GPUBufferUsage exists only where WebGPU does, so it is read here rather than at module level.
    const storageIn = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    this.inputBuffers = [
      upload(device, Uint32Array.from([width, height, tapCount, cells]), GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST),
      upload(device, table.taps, storageIn),
      upload(device, table.weights, storageIn),
    ];
    const stepBytes = groups * cells * LANES * 4;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.stepBuffers = [upload(device, packChannels(scores), usage)];
    for (let t = 1; t <= steps; t++) this.stepBuffers.push(device.createBuffer({ size: stepBytes, usage }));

    const pipeline = walkPipeline(device);
    const encoder = device.createCommandEncoder({ label: 'random walk' });
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

  /** The maps after step t (0 = the input), read back from the GPU. */
  async mapsAt(t: number): Promise<ChannelMaps> {
    return (await this.mapsAtSteps([t]))[0];
  }

  /** Several steps in one read-back (one copy per step into a single staging buffer). */
  async mapsAtSteps(ts: readonly number[]): Promise<ChannelMaps[]> {
    if (this.disposed) throw new Error('the GPU walk was disposed');
    for (const t of ts) if (!Number.isInteger(t) || t < 0 || t > this.steps) throw new Error(`step ${t} is outside 0…${this.steps}`);
    const stepBytes = this.stepBuffers[0].size;
    const staging = this.device.createBuffer({ size: Math.max(stepBytes * ts.length, 16), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    try {
      const encoder = this.device.createCommandEncoder({ label: 'random walk read-back' });
      ts.forEach((t, k) => encoder.copyBufferToBuffer(this.stepBuffers[t], 0, staging, k * stepBytes, stepBytes));
      this.device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const all = new Float32Array(staging.getMappedRange().slice(0));
      const floats = stepBytes / 4;
      return ts.map((_, k) => unpackChannels(all.subarray(k * floats, (k + 1) * floats), this.channels, this.height, this.width));
    } finally {
      staging.destroy();
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const buffer of [...this.stepBuffers, ...this.inputBuffers]) buffer.destroy();
  }
}
