import type { BackendInfo, BackendName } from '../gpu/backend';
import type { LoadProgress, ModelSetMeta, PipelineResult, PipelineStage, RgbaInput } from '../models/pipeline/types';
import type { TensorMemory } from '../models/tensor_memory';

/**
 * Messages between the page and the pipeline worker, which holds the tfjs
 * backend and the networks. Each call carries an id; the worker answers it
 * with any number of events (load progress, stages), then one `done` or
 * `failed`. Results are typed arrays, their buffers transferred.
 */

/** What each call sends, what it ends with, and what it reports on the way. */
export interface PipelineCalls {
  /** Chooses and starts the tfjs backend (gpu/backend.ts initBackend). */
  initBackend: { args: { forced: BackendName | undefined; without: BackendName[] }; value: BackendInfo; event: never };
  /** Loads a model set and makes it the active one; null when a newer load replaced it first. */
  load: { args: { modelId: string }; value: ModelSetMeta | null; event: LoadProgress };
  /** Runs the active set's networks on one image (its pixel buffer is transferred). */
  run: { args: { modelId: string; image: RgbaInput }; value: PipelineResult; event: PipelineStage };
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
