import type { AdapterSummary, GpuFact, GpuFacts } from './backend_choice';

/**
 * Asks the browser what its GPUs are, for planBackends (backend_choice.ts).
 * Reads names only, runs nothing on them: cheap enough to do at every start.
 */

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function webgpuAdapter(): Promise<GpuFact<AdapterSummary>> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator)) return { ok: false, missing: 'navigator.gpu is missing' };
  try {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { ok: false, missing: 'no adapter' };
    // `info` replaced requestAdapterInfo(); isFallbackAdapter moved into it in newer browsers.
    const info = adapter.info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined;
    const legacyFallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
    return {
      ok: true,
      device: {
        vendor: info?.vendor ?? '',
        architecture: info?.architecture ?? '',
        description: info?.description ?? '',
        isFallbackAdapter: Boolean(info?.isFallbackAdapter ?? legacyFallback),
      },
    };
  } catch (e) {
    return { ok: false, missing: message(e) };
  }
}

function webglRenderer(): GpuFact<string> {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    if (!gl) return { ok: false, missing: 'no context' };
    // Chromium masks gl.RENDERER ("WebKit WebGL") but still answers the debug extension; Firefox unmasks RENDERER itself.
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { ok: true, device: renderer };
  } catch (e) {
    return { ok: false, missing: message(e) };
  }
}

export async function probeGpus(): Promise<GpuFacts> {
  return { webgpu: await webgpuAdapter(), webgl: webglRenderer() };
}
