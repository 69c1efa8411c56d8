import type { ChannelMaps } from '../core/maps';
import type { BackendInfo, BackendName } from '../gpu/backend';
import type { DeviceWalkParams } from '../models/device_walk/device_walk';
import type { LoadProgress, ModelSetMeta, PipelineStage, RgbaInput } from '../models/pipeline/types';
import type { TensorMemory } from '../models/tensor_memory';
import { transferable, type CallArgs, type CallEvent, type CallName, type CallValue, type PipelineReply, type PipelineRequest, type RunValue } from './pipeline_protocol';

/**
 * The page's side of the pipeline worker: each call becomes a promise, its
 * events go to the caller's callback. The page keeps only the meta of the
 * set the worker holds, so that it knows what it can run.
 */

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onEvent?: (event: unknown) => void;
}

export class PipelineClient {
  private worker: Worker | null = null;
  private nextCallId = 0;
  private readonly pending = new Map<number, Pending>();
  private active: { id: string; meta: ModelSetMeta } | null = null;
  private readonly deviceLostListeners = new Set<(message: string) => void>();

  /** Chooses and starts the worker's tfjs backend: `forced` (?backend=) first, `without` never. */
  initBackend(forced: BackendName | undefined, without: readonly BackendName[]): Promise<BackendInfo> {
    return this.call('initBackend', { forced, without: [...without] });
  }

  /**
   * Loads a model set in the worker and makes it the active one. Null when a
   * newer load started meanwhile; a failed load leaves the previous set active.
   */
  async activate(modelId: string, onProgress: (progress: LoadProgress) => void): Promise<ModelSetMeta | null> {
    const meta = await this.call('load', { modelId }, onProgress);
    if (meta) this.active = { id: modelId, meta };
    return meta;
  }

  /** The meta of set `modelId` if it is the active one, else null. */
  activeMeta(modelId: string): ModelSetMeta | null {
    return this.active?.id === modelId ? this.active.meta : null;
  }

  /** Runs the active set on `image`, whose pixel buffer moves to the worker (the caller must not use it again). */
  run(modelId: string, image: RgbaInput, onStage: (stage: PipelineStage) => void): Promise<RunValue> {
    return this.call('run', { modelId, image }, onStage, transferable([image.data]));
  }

  /** Walks page walk `walkId` on the worker's device from the inputs run `inputsId` left there; its GPU time, or null if a newer walk replaced it. */
  walkStart(inputsId: number, walkId: number, params: DeviceWalkParams): Promise<number | null> {
    return this.call('walkStart', { inputsId, walkId, ...params });
  }

  /** Steps `ts` of that walk, read back. */
  walkRead(walkId: number, ts: number[]): Promise<ChannelMaps[]> {
    return this.call('walkRead', { walkId, ts });
  }

  tensorMemory(): Promise<TensorMemory> {
    return this.call('memory', {});
  }

  loseDevice(): Promise<boolean> {
    return this.call('loseDevice', {});
  }

  /** Hears when the worker's WebGPU device is lost: the active set is gone with it. */
  onDeviceLost(listener: (message: string) => void): () => void {
    this.deviceLostListeners.add(listener);
    return () => this.deviceLostListeners.delete(listener);
  }

  private call<K extends CallName>(call: K, args: CallArgs<K>, onEvent?: (event: CallEvent<K>) => void, transfer: Transferable[] = []): Promise<CallValue<K>> {
    const callId = ++this.nextCallId;
    return new Promise<CallValue<K>>((resolve, reject) => {
      this.pending.set(callId, { resolve: resolve as (value: unknown) => void, reject, onEvent: onEvent as ((event: unknown) => void) | undefined });
      this.ensureWorker().postMessage({ call, callId, args } as PipelineRequest, transfer);
    });
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./pipeline_worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e: MessageEvent<PipelineReply>) => this.receive(e.data);
      this.worker.onerror = (e) => this.fail(`the pipeline worker failed: ${e.message || 'it could not start'}`);
    }
    return this.worker;
  }

  private receive(reply: PipelineReply): void {
    if (reply.type === 'device-lost') {
      this.active = null;
      for (const listener of this.deviceLostListeners) listener(reply.message);
      return;
    }
    const pending = this.pending.get(reply.callId);
    if (!pending) return;
    if (reply.type === 'event') {
      pending.onEvent?.(reply.event);
      return;
    }
    this.pending.delete(reply.callId);
    if (reply.type === 'done') pending.resolve(reply.value);
    else pending.reject(new Error(reply.message));
  }

  /** A worker that threw outside any call may hold nothing usable: fail what waits, and start afresh on the next call. */
  private fail(message: string): void {
    this.worker?.terminate();
    this.worker = null;
    this.active = null;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const pending of waiting) pending.reject(new Error(message));
  }
}

/** The app's one pipeline client (module level, like the walk client). */
export const pipelineClient = new PipelineClient();
