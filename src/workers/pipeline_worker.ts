/// <reference lib="webworker" />
import { initBackend, loseGpuDevice, onGpuDeviceLost, tfjsDevice } from '../gpu/backend';
import { runWalkOnDevice } from '../models/device_walk/device_run';
import type { LabPipeline, PipelineStage, RgbaInput } from '../models/pipeline/types';
import { activatePipeline, activePipeline } from '../models/pipeline_registry';
import { tensorMemory } from '../models/tensor_memory';
import { DeviceWalkHolder } from './pipeline_device_walk';
import { transferable, type CallArgs, type CallEvent, type CallName, type CallValue, type PipelineReply, type PipelineRequest, type RunValue } from './pipeline_protocol';

/**
 * Holds the tfjs backend and the networks off the UI thread: loading weights
 * and running the backbone take seconds on wasm, and the page must keep
 * drawing meanwhile. On WebGPU it walks too, on tfjs' device, so that the
 * embedding and CAMs never leave it. Calls run concurrently, as they did on
 * the page; the registry decides which of several overlapping loads wins.
 */

declare const self: DedicatedWorkerGlobalScope;

type Handler<K extends CallName> = (args: CallArgs<K>, emit: (event: CallEvent<K>) => void) => Promise<{ value: CallValue<K>; transfer?: Transferable[] }>;

const deviceWalk = new DeviceWalkHolder();

const resultArrays = (r: RunValue) => [r.classScores, r.cams.data, r.segLogits.data, r.walk.on === 'gpu' ? r.walk.affinities.weights : r.walk.embedding.data];

/** The networks' outputs on `image`; on WebGPU the walk's inputs stay on the device, held for the walks that follow. */
async function runPipeline(pipeline: LabPipeline, image: RgbaInput, emit: (stage: PipelineStage) => void): Promise<RunValue> {
  if (!tfjsDevice()) {
    const { embedding, ...result } = await pipeline.run(image, emit);
    return { ...result, walk: { on: 'worker', embedding } };
  }
  const inputsId = deviceWalk.nextInputsId();
  const { result: { affinities, ...result }, walk } = await runWalkOnDevice(pipeline, image, emit);
  deviceWalk.hold(inputsId, walk);
  return { ...result, walk: { on: 'gpu', inputsId, affinities } };
}

const handlers: { [K in CallName]: Handler<K> } = {
  initBackend: async ({ forced, without }) => {
    const value = await initBackend(forced, without);
    onGpuDeviceLost((message) => {
      deviceWalk.release();
      post({ type: 'device-lost', message });
    });
    return { value };
  },
  load: async ({ modelId }, emit) => {
    const pipeline = await activatePipeline(modelId, emit);
    // The previous set's walk inputs go with it.
    if (pipeline) deviceWalk.release();
    return { value: pipeline?.meta ?? null };
  },
  run: async ({ modelId, image }, emit) => {
    const pipeline = activePipeline(modelId);
    if (!pipeline) throw new Error(`the model set "${modelId}" is not loaded`);
    const value = await runPipeline(pipeline, image, emit);
    return { value, transfer: transferable(resultArrays(value)) };
  },
  walkStart: async ({ inputsId, walkId, ...params }) => ({ value: await deviceWalk.start(inputsId, walkId, params) }),
  walkRead: async ({ walkId, ts }) => {
    const value = await deviceWalk.read(walkId, ts);
    return { value, transfer: transferable(value.map((m) => m.data)) };
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
