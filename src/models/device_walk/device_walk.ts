import * as tf from '@tensorflow/tfjs';
import type { NeighbourAffinities } from '../../core/affinity';
import type { ChannelMaps } from '../../core/maps';
import type { MaskGeometry, ScoreOrder } from '../../core/masks';
import { fullDiscOffsets } from '../../core/pairs';
import { tfjsDevice, tfjsGpuBuffer } from '../../gpu/backend';
import { readBack } from '../../gpu/gpu_util';
import { RandomWalkWebGpu } from '../../gpu/random_walk_webgpu';
import { TransitionWebGpu } from '../../gpu/transition_webgpu';
import { affinitiesFromTaps } from '../../gpu/walk_layout';
import type { InputPlacement, ModelSetMeta } from '../pipeline/types';
import { packOnDevice, walkInputOnDevice } from './walk_input';

/**
 * One analysis' random walk on tfjs' own WebGPU device: the embedding and
 * the CAMs stay there as tensors from the networks to the walk. The
 * transition kernel reads the embedding's GPU buffer, the t = 0 scores are
 * tfjs ops on the CAMs (walk_input.ts), and the walk kernel keeps every step
 * on the GPU (gpu/random_walk_webgpu.ts), so only the steps asked for are
 * read back.
 */

/** What a walk is started with. */
export interface DeviceWalkParams {
  /** Class channels (meta.classes indices) walked after the background, in this order. */
  keep: number[];
  alpha: number;
  beta: number;
  steps: number;
  order: ScoreOrder;
}

/** Where the maps sit (the walk input's crop and pooling) and the transition's disc. */
export interface DeviceWalkGeometry extends Pick<MaskGeometry, 'stride' | 'region'> {
  radius: number;
}

export function deviceWalkGeometry(meta: ModelSetMeta, placement: InputPlacement): DeviceWalkGeometry {
  return { stride: meta.gridStride, region: { width: placement.width, height: placement.height }, radius: meta.defaults.radius };
}

/** A run's walk inputs on the device: owned by whoever holds them. */
export interface DeviceWalkInputs {
  /** f_aff as (D, H, W). */
  embedding: tf.Tensor3D;
  /** The set's CAMs, normalised, [1, H, W, C]. */
  cams: tf.Tensor4D;
}

export class DeviceWalk {
  private readonly device: GPUDevice;
  /** Holds the GPU buffer the transition kernel reads (tfjs dataToGPU's copy of the embedding) until dispose. */
  private readonly embedding: tf.Tensor;
  private readonly cams: tf.Tensor4D;
  private readonly transition: TransitionWebGpu;
  private walk: RandomWalkWebGpu | null = null;

  /** Takes both tensors. */
  constructor(inputs: DeviceWalkInputs, private readonly geometry: DeviceWalkGeometry) {
    const device = tfjsDevice();
    const [dims, height, width] = inputs.embedding.shape;
    // The kernels read a GPU buffer of the embedding's own, a copy tfjs makes; the tensor it came from goes.
    const own = device ? tfjsGpuBuffer(inputs.embedding) : null;
    inputs.embedding.dispose();
    if (!device || !own) {
      inputs.cams.dispose();
      throw new Error('the walk on the device needs the WebGPU backend');
    }
    this.device = device;
    this.embedding = own.ref;
    this.cams = inputs.cams;
    this.transition = new TransitionWebGpu(device, { buffer: own.buffer, dims, height, width }, geometry.radius);
  }

  /** W to every neighbour of the disc, read back as the core lays it out, for the views (the walk never needs it on the CPU). */
  async affinities(): Promise<NeighbourAffinities> {
    const table = this.transition.affinities();
    try {
      const [weights] = await readBack(this.device, [table.weights]);
      return affinitiesFromTaps(weights, table.height, table.width, fullDiscOffsets(this.geometry.radius));
    } finally {
      table.taps.destroy();
      table.weights.destroy();
    }
  }

  /** Builds the transition and the t = 0 scores and submits every step (the previous walk is freed); resolves with the time to the last step done. */
  async start({ keep, alpha, beta, steps, order }: DeviceWalkParams): Promise<number> {
    this.clear();
    const started = performance.now();
    const packed = tf.tidy(() => packOnDevice(walkInputOnDevice(this.cams, keep, this.geometry, alpha, order)));
    const scores = tfjsGpuBuffer(packed);
    packed.dispose();
    try {
      this.walk = new RandomWalkWebGpu(this.device, { table: this.transition.table(beta), scores: scores.buffer, channels: keep.length + 1, steps });
    } finally {
      // The walk copied the scores in its submission.
      scores.ref.dispose();
    }
    await this.walk.finished;
    return performance.now() - started;
  }

  /** Steps of the current walk, read back in one go. */
  read(ts: readonly number[]): Promise<ChannelMaps[]> {
    if (!this.walk) throw new Error('no walk has run on these inputs');
    return this.walk.mapsAtSteps(ts);
  }

  dispose(): void {
    this.clear();
    tf.dispose([this.embedding, this.cams]);
  }

  private clear(): void {
    this.walk?.dispose();
    this.walk = null;
  }
}

/** Keeps a run's walk inputs on the device (taking the tensors) and reads back W for the views. */
export async function keepWalkOnDevice(inputs: DeviceWalkInputs, geometry: DeviceWalkGeometry): Promise<{ walk: DeviceWalk; affinities: NeighbourAffinities }> {
  const walk = new DeviceWalk(inputs, geometry);
  try {
    return { walk, affinities: await walk.affinities() };
  } catch (e) {
    walk.dispose();
    throw e;
  }
}
