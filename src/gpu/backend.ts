import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Fastest first; cpu always works. */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Served by the app itself (build/served_files.ts), never from a CDN. */
export const WASM_URL_PREFIX = '/vendor/tfjs-wasm/';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  /** A software adapter such as SwiftShader: correct, but slow. */
  isFallbackAdapter: boolean;
}

export interface BackendAttempt {
  name: BackendName;
  error: string;
}

export interface BackendInfo {
  name: BackendName;
  adapter: AdapterSummary | null;
  /** Faster backends that were tried first and why each failed. */
  skipped: BackendAttempt[];
}

/** The WebGPU adapter as the page sees it, or a reason why there is none. */
async function describeAdapter(): Promise<AdapterSummary> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator)) throw new Error('this browser has no WebGPU (navigator.gpu is missing)');
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter is available');
  // `info` replaced requestAdapterInfo(); isFallbackAdapter moved into it in newer browsers.
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacyFallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    description: info?.description ?? '',
    isFallbackAdapter: Boolean(info?.isFallbackAdapter ?? legacyFallback),
  };
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
 * Picks the first backend that works, in BACKEND_ORDER, starting at `preferred`
 * when one is asked for (e.g. ?backend=wasm), and reports what was skipped.
 */
export async function initBackend(preferred?: BackendName): Promise<BackendInfo> {
  setWasmPaths(WASM_URL_PREFIX);
  const order = preferred ? BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(preferred)) : BACKEND_ORDER;
  const skipped: BackendAttempt[] = [];
  for (const name of order) {
    try {
      const adapter = name === 'webgpu' ? await describeAdapter() : null;
      await trySelect(name);
      return { name, adapter, skipped };
    } catch (e) {
      skipped.push({ name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  throw new Error(`no tfjs backend works here: ${skipped.map((s) => `${s.name}: ${s.error}`).join('; ')}`);
}

export function isBackendName(value: string | null): value is BackendName {
  return value !== null && (BACKEND_ORDER as readonly string[]).includes(value);
}
