import { WALK_KERNEL_BASE64 } from './walk_kernel_binary';

/**
 * The random walk's WebAssembly SIMD kernel (walk_kernel.wat), compiled once
 * per thread. It is under a kilobyte, so compiling it synchronously is allowed
 * even on a page's main thread; the page's CSP allows it ('wasm-unsafe-eval').
 */

/** The kernel's one export: `steps` steps between the buffers at `a` (the maps) and `b`; returns the address of the result. */
export type WalkExport = (cells: number, groups: number, rowStart: number, taps: number, a: number, b: number, steps: number) => number;

let bytes: Uint8Array<ArrayBuffer> | null = null;
let supported: boolean | null = null;
let compiled: WebAssembly.Module | null = null;

function kernelBytes(): Uint8Array<ArrayBuffer> {
  bytes ??= Uint8Array.from(atob(WALK_KERNEL_BASE64), (c) => c.charCodeAt(0));
  return bytes;
}

/** Whether this engine runs the kernel: WebAssembly with fixed-width SIMD (Chrome 91, Firefox 89, Safari 16.4 and later). */
export function walkKernelSupported(): boolean {
  supported ??= typeof WebAssembly === 'object' && WebAssembly.validate(kernelBytes());
  return supported;
}

/** A fresh instance of the kernel on `memory`. */
export function instantiateWalkKernel(memory: WebAssembly.Memory): WalkExport {
  compiled ??= new WebAssembly.Module(kernelBytes());
  const instance = new WebAssembly.Instance(compiled, { env: { memory } });
  return instance.exports.walk as WalkExport;
}
