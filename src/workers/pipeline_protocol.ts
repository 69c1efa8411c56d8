import type { NeighbourAffinities } from '../core/affinity';
import type { ChannelMaps } from '../core/maps';
import type { BackendInfo, BackendName } from '../gpu/backend';
import type { DeviceWalkParams } from '../models/device_walk/device_walk';
import type { LoadProgress, ModelSetMeta, PipelineResult, PipelineStage, RgbaInput } from '../models/pipeline/types';
import type { TensorMemory } from '../models/tensor_memory';

/**
 * Messages between the page and the pipeline worker, which holds the tfjs
 * backend and the networks, and on WebGPU the random walk. Each call carries
 * an id; the worker answers it with any number of events (load progress,
 * stages), then one `done` or `failed`. Results are typed arrays, their
 * buffers transferred.
 */

/**
 * What a run hands on for the walk. 'worker': the embedding, for the walk
 * worker's CPU walk. 'gpu' (WebGPU): the walk's inputs stay on the pipeline
 * worker's device as `inputsId` (the embedding never comes back), and W comes
 * read back for the affinity view.
 */
export type RunWalk = { on: 'worker'; embedding: ChannelMaps } | { on: 'gpu'; inputsId: number; affinities: NeighbourAffinities };

/** A run's answer: the networks' outputs (the embedding aside) and what the walk gets from them. */
export interface RunValue extends Omit<PipelineResult, 'embedding'> {
  walk: RunWalk;
}

/** What each call sends, what it ends with, and what it reports on the way. */
export interface PipelineCalls {
  /** Chooses and starts the tfjs backend (gpu/backend.ts initBackend). */
  initBackend: { args: { forced: BackendName | undefined; without: BackendName[] }; value: BackendInfo; event: never };
  /** Loads a model set and makes it the active one; null when a newer load replaced it first. */
  load: { args: { modelId: string }; value: ModelSetMeta | null; event: LoadProgress };
  /** Runs the active set's networks on one image (its pixel buffer is transferred). */
  run: { args: { modelId: string; image: RgbaInput }; value: RunValue; event: PipelineStage };
  /** Walks page walk `walkId` on the device from the inputs run `inputsId` kept there; its GPU time, or null if a newer walk replaced it first. */
  walkStart: { args: DeviceWalkParams & { inputsId: number; walkId: number }; value: number | null; event: never };
  /** Steps of that walk, read back from the device. */
  walkRead: { args: { walkId: number; ts: number[] }; value: ChannelMaps[]; event: never };
  /** Live tensors on the worker's backend (?test-hooks). */
  memory: { args: Record<string, never>; value: TensorMemory; event: never };
  /** Destroys the WebGPU device as a driver reset would (?test-hooks); false if the backend is not WebGPU. */
  loseDevice: { args: Record<string, never>; value: boolean; event: never };
}

export type CallName = keyof PipelineCalls;
export type CallArgs<K extends CallName> = PipelineCalls[K]['args'];
export type CallValue<K extends CallName> = PipelineCalls[K]['value'];
export type CallEvent<K extends CallName> = PipelineCalls[K]['event'];

export type PipelineRequest = { [K in CallName]: { call: K; callId: number; args: CallArgs<K> } }[CallName];

export type PipelineReply =
  | { type: 'event'; callId: number; event: CallEvent<CallName> }
  | { type: 'done'; callId: number; value: CallValue<CallName> }
  | { type: 'failed'; callId: number; message: string }
  /** Not an answer: the WebGPU device went away, and every tensor with it. */
  | { type: 'device-lost'; message: string };

/**
 * The distinct buffers of `arrays` that each array spans whole, for the
 * transfer list: a view into a larger buffer (a backend's heap) is copied
 * instead, and a buffer may be listed only once.
 */
export function transferable(arrays: ArrayBufferView[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) buffers.add(a.buffer);
  return [...buffers];
}
