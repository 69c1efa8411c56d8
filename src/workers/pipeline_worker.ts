/// <reference lib="webworker" />
import { initBackend, loseGpuDevice, onGpuDeviceLost } from '../gpu/backend';
import type { PipelineResult } from '../models/pipeline/types';
import { activatePipeline, activePipeline } from '../models/pipeline_registry';
import { tensorMemory } from '../models/tensor_memory';
import { transferable, type CallArgs, type CallEvent, type CallName, type CallValue, type PipelineReply, type PipelineRequest } from './pipeline_protocol';

/**
 * Holds the tfjs backend and the networks off the UI thread: loading weights
 * and running the backbone take seconds on wasm, and the page must keep
 * drawing meanwhile. Calls run concurrently, as they did on the page; the
 * registry decides which of several overlapping loads wins.
 */

declare const self: DedicatedWorkerGlobalScope;

type Handler<K extends CallName> = (args: CallArgs<K>, emit: (event: CallEvent<K>) => void) => Promise<{ value: CallValue<K>; transfer?: Transferable[] }>;

const resultArrays = (r: PipelineResult) => [r.classScores, r.cams.data, r.embedding.data, r.segLogits.data];

const handlers: { [K in CallName]: Handler<K> } = {
  initBackend: async ({ forced, without }) => {
    const value = await initBackend(forced, without);
    onGpuDeviceLost((message) => post({ type: 'device-lost', message }));
    return { value };
  },
  load: async ({ modelId }, emit) => ({ value: (await activatePipeline(modelId, emit))?.meta ?? null }),
  run: async ({ modelId, image }, emit) => {
    const pipeline = activePipeline(modelId);
    if (!pipeline) throw new Error(`the model set "${modelId}" is not loaded`);
    const value = await pipeline.run(image, emit);
    return { value, transfer: transferable(resultArrays(value)) };
  },
  memory: async () => ({ value: tensorMemory() }),
  loseDevice: async () => ({ value: loseGpuDevice() }),
};

function post(reply: PipelineReply, transfer: Transferable[] = []): void {
  self.postMessage(reply, transfer);
}

async function answer<K extends CallName>({ call, callId, args }: { call: K; callId: number; args: CallArgs<K> }): Promise<void> {
  try {
    const { value, transfer } = await handlers[call](args, (event) => post({ type: 'event', callId, event }));
    post({ type: 'done', callId, value }, transfer);
  } catch (e) {
    post({ type: 'failed', callId, message: e instanceof Error ? e.message : String(e) });
  }
}

self.onmessage = (event: MessageEvent<PipelineRequest>) => void answer(event.data);
