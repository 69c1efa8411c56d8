import { fullDiscOffsets } from '../core/pairs';
import { computePipeline, upload } from './gpu_util';
import type { GpuTapTable } from './random_walk_webgpu';
import { tapOffsets } from './walk_layout';

/**
 * The walk's transition built on the GPU from the AffinityNet embedding, the
 * core's float64 maths (core/affinity.ts neighbourAffinities, then
 * core/random_walk.ts buildTransition) in float32: W_ij = exp(-mean_d
 * |f_d(i) - f_d(j)|) over the radius disc, A = W^beta with A_ii = 1 and
 * T = D^-1 A, written straight into the tap table the walk kernel reads
 * (walk_layout.ts tapTable). The embedding stays on the GPU, so a new beta
 * costs one dispatch and no CPU work. The same kernel, unnormalised with
 * beta 1, gives W itself for the affinity view.
 */

/** Cells per workgroup side, one thread per cell. */
const TILE = 8;

const SHADER = /* wgsl */ `
struct Params { width: u32, height: u32, taps: u32, cells: u32, dims: u32, beta: f32, normalise: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> taps: array<vec2<i32>>;
@group(0) @binding(2) var<storage, read> embedding: array<f32>;
@group(0) @binding(3) var<storage, read_write> weights: array<f32>;

@compute @workgroup_size(${TILE}, ${TILE}, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= params.width || id.y >= params.height) { return; }
  let i = id.y * params.width + id.x;
  let size = vec2<i32>(i32(params.width), i32(params.height));
  var degree = 0.0;
  for (var k = 0u; k < params.taps; k++) {
    let at = vec2<i32>(id.xy) + taps[k];
    var a = 0.0;
    if (all(at >= vec2<i32>(0)) && all(at < size)) {
      let j = u32(at.y) * params.width + u32(at.x);
      var dist = 0.0;
      for (var d = 0u; d < params.dims; d++) {
        dist += abs(embedding[d * params.cells + i] - embedding[d * params.cells + j]);
      }
      // W^beta as one exp: pow(exp(x), beta) would lose the precision of W first.
      a = exp(-params.beta * dist / f32(params.dims));
    }
    weights[k * params.cells + i] = a;
    degree += a;
  }
  if (params.normalise == 0u) { return; }
  let inv = 1.0 / degree;
  for (var k = 0u; k < params.taps; k++) {
    weights[k * params.cells + i] *= inv;
  }
}
`;

/** A (D, H, W) float32 embedding in a GPU buffer: d * H * W + y * W + x. */
export interface GpuEmbedding {
  readonly buffer: GPUBuffer;
  readonly dims: number;
  readonly height: number;
  readonly width: number;
}

/** One analysis' embedding on the GPU (owned by the caller), from which each walk's transition is built. */
export class TransitionWebGpu {
  readonly height: number;
  readonly width: number;
  private readonly taps: Int32Array;

  /** The neighbours are the core's full disc of `radius`, in its order. */
  constructor(readonly device: GPUDevice, private readonly embedding: GpuEmbedding, radius: number) {
    const cells = embedding.height * embedding.width;
    if (embedding.buffer.size < embedding.dims * cells * 4) throw new Error(`${embedding.buffer.size} bytes cannot hold a ${embedding.dims}-dim embedding of ${embedding.height}x${embedding.width}`);
    this.height = embedding.height;
    this.width = embedding.width;
    this.taps = tapOffsets(fullDiscOffsets(radius));
  }

  /**
   * T for `beta` as a new table, owned by the caller. Its dispatch is
   * submitted here and not awaited: work submitted later (the walk) runs after it.
   */
  table(beta: number): GpuTapTable {
    return this.build(beta, true);
  }

  /** W itself (beta 1, unnormalised: 1 for the cell, 0 outside the grid) as a new table, owned by the caller; submitted like table(). */
  affinities(): GpuTapTable {
    return this.build(1, false);
  }

  private build(beta: number, normalise: boolean): GpuTapTable {
    const { device, height, width } = this;
    const cells = height * width;
    const tapCount = this.taps.length / 2;
    const params = new Uint32Array(8);
    params.set([width, height, tapCount, cells, this.embedding.dims]);
    new Float32Array(params.buffer)[5] = beta;
    params[6] = normalise ? 1 : 0;
    const uniform = upload(device, params, GPUBufferUsage.UNIFORM);
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
    const taps = upload(device, this.taps, usage);
    const weights = device.createBuffer({ size: tapCount * cells * 4, usage });
    const pipeline = computePipeline(device, SHADER);
    const encoder = device.createCommandEncoder({ label: 'random-walk transition' });
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    const entries = [uniform, taps, this.embedding.buffer, weights].map((buffer, binding) => ({ binding, resource: { buffer } }));
    pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
    pass.dispatchWorkgroups(Math.ceil(width / TILE), Math.ceil(height / TILE));
    pass.end();
    device.queue.submit([encoder.finish()]);
    // Destroying after submit is allowed: the submitted pass still reads it.
    uniform.destroy();
    return { height, width, tapCount, taps, weights };
  }
}
