import * as tf from '@tensorflow/tfjs';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { planBackends, type BackendName } from './backend_choice';
import { probeGpus } from './gpu_probe';

export type { BackendName } from './backend_choice';

/** Served by the app itself (build/served_files.ts), never from a CDN. */
export const WASM_URL_PREFIX = '/vendor/tfjs-wasm/';

export interface BackendAttempt {
  name: BackendName;
  error: string;
}

export interface BackendInfo {
  name: BackendName;
  /** Why the plan put its first backend first (planBackends). */
  reason: string;
  /** Backends tried before `name` and why each failed. */
  skipped: BackendAttempt[];
}

/** setBackend can succeed on a backend that then fails its first kernel, so run one. */
async function trySelect(name: BackendName): Promise<void> {
  if (!tf.findBackendFactory(name)) throw new Error(`the ${name} backend is not registered in this browser`);
  // The threaded wasm build's workers, once minified, die with "e is not defined"
  // (tfjs stringifies a factory whose closure variable the minifier renamed) and
  // setBackend never settles; the single-threaded SIMD build works.
  if (name === 'wasm') tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend failed to initialise`);
  await tf.ready();
  const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
  const value = (await probe.data())[0];
  probe.dispose();
  if (value !== 3) throw new Error(`the ${name} backend computed 1 + 2 = ${value}`);
}

/**
 * Uses the first backend of planBackends' order that works: hardware GPUs,
 * then wasm, then software GPUs, then cpu; `forced` (?backend=) first,
 * `without` never.
 */
export async function initBackend(forced?: BackendName, without: readonly BackendName[] = []): Promise<BackendInfo> {
  setWasmPaths(WASM_URL_PREFIX);
  const plan = planBackends(await probeGpus(), forced, without);
  const skipped: BackendAttempt[] = [];
  for (const name of plan.order) {
    try {
      await trySelect(name);
      return { name, reason: plan.reason, skipped };
    } catch (e) {
      skipped.push({ name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  throw new Error(`no tfjs backend works here: ${skipped.map((s) => `${s.name}: ${s.error}`).join('; ')}`);
}

/**
 * Calls back once if the active backend is WebGPU and its device is lost (a
 * driver reset, the GPU process crashing, the device destroyed): every tensor
 * on it is gone, and no further op can run.
 */
export function onGpuDeviceLost(callback: (message: string) => void): void {
  const backend = tf.backend();
  if (!(backend instanceof WebGPUBackend)) return;
  void backend.device.lost.then((info) => callback((info.message || info.reason || 'no reason given').replace(/\.$/, '')));
}

/** tfjs' own WebGPU device when the active backend is WebGPU, else null: the random walk's kernels run on it next to the networks' tensors. */
export function tfjsDevice(): GPUDevice | null {
  const backend = tf.backend();
  return backend instanceof WebGPUBackend ? backend.device : null;
}

/**
 * The tensor's data in a GPU buffer of its own on tfjs' WebGPU device (tfjs'
 * dataToGPU copy), freed by disposing `ref`. Data still on the CPU (a tensor
 * just made from an array) is uploaded first: dataToGPU would refuse it.
 */
export function tfjsGpuBuffer(tensor: tf.Tensor): { ref: tf.Tensor; buffer: GPUBuffer } {
  const backend = tf.backend();
  if (!(backend instanceof WebGPUBackend)) throw new Error('GPU buffers of tensors need the WebGPU backend');
  backend.uploadToGPU(tensor.dataId);
  const { tensorRef, buffer } = tensor.dataToGPU();
  return { ref: tensorRef, buffer: buffer! };
}

/** Destroys the WebGPU device as a driver reset loses it, for the browser tests (?test-hooks); false if the backend is not WebGPU. */
export function loseGpuDevice(): boolean {
  const backend = tf.backend();
  if (!(backend instanceof WebGPUBackend)) return false;
  backend.device.destroy();
  return true;
}
