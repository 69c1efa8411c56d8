/**
 * The page's own WebGPU device for the random walk. The networks and tfjs
 * live in the pipeline worker, so the page cannot borrow tfjs' device; the
 * walk's inputs (embedding, t = 0 scores) reach the page as typed arrays
 * anyway, so a device of its own adds no read-back. Requested once, again
 * after a loss.
 */
let pending: Promise<GPUDevice | null> | null = null;

export function walkDevice(): Promise<GPUDevice | null> {
  pending ??= request();
  return pending;
}

async function request(): Promise<GPUDevice | null> {
  const adapter = typeof navigator !== 'undefined' && navigator.gpu ? await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' }) : null;
  if (!adapter) return null;
  const device = await adapter.requestDevice();
  void device.lost.then(() => {
    pending = null;
  });
  return device;
}
