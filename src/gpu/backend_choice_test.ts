import { describe, expect, it } from 'vitest';
import { planBackends, parseBackendParam, softwareRenderer, type AdapterSummary, type GpuFacts } from './backend_choice';

const adapter = (a: Partial<AdapterSummary>): GpuFacts['webgpu'] => ({
  ok: true,
  device: { vendor: '', architecture: '', description: '', isFallbackAdapter: false, ...a },
});
/** What headless Chromium on a machine without a GPU reports (read from this repo's e2e browser). */
const SWIFTSHADER_WEBGL = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const NVIDIA_WEBGL = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002503) Direct3D11 vs_5_0 ps_5_0, D3D11)';

describe('softwareRenderer', () => {
  it('names software rasterisers and nothing else', () => {
    expect(softwareRenderer(SWIFTSHADER_WEBGL)).toBe('SwiftShader');
    expect(softwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('llvmpipe');
    expect(softwareRenderer('Microsoft Basic Render Driver')).toBe('Microsoft Basic Render Driver');
    expect(softwareRenderer('Google SwiftShader')).toBe('SwiftShader');
    expect(softwareRenderer(NVIDIA_WEBGL)).toBeNull();
    expect(softwareRenderer('Apple M2')).toBeNull();
  });
});

describe('planBackends', () => {
  it('leaves out the backends it is told to (WebGPU after its device was lost)', () => {
    const facts: GpuFacts = { webgpu: adapter({ vendor: 'nvidia', architecture: 'ampere' }), webgl: { ok: true, device: NVIDIA_WEBGL } };
    expect(planBackends(facts, undefined, ['webgpu']).order).toEqual(['webgl', 'wasm', 'cpu']);
    expect(planBackends(facts, 'webgpu', ['webgpu']).order).toEqual(['webgl', 'wasm', 'cpu']);
  });

  it('puts a hardware WebGPU adapter first', () => {
    const plan = planBackends({ webgpu: adapter({ vendor: 'nvidia', architecture: 'ampere' }), webgl: { ok: true, device: NVIDIA_WEBGL } });
    expect(plan.order).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(plan.reason).toBe('WebGPU adapter is hardware (nvidia / ampere)');
  });

  it('chooses wasm over SwiftShader on both APIs, and says why', () => {
    const plan = planBackends({ webgpu: adapter({ vendor: 'google', architecture: 'swiftshader' }), webgl: { ok: true, device: SWIFTSHADER_WEBGL } });
    expect(plan.order).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
    expect(plan.reason).toBe('WebGPU adapter is software (SwiftShader); WebGL renderer is SwiftShader');
  });

  it("treats WebGPU's fallback adapter as software even when it names no rasteriser", () => {
    const plan = planBackends({ webgpu: adapter({ isFallbackAdapter: true }), webgl: { ok: false, missing: 'no context' } });
    expect(plan.order).toEqual(['wasm', 'webgpu', 'cpu']);
    expect(plan.reason).toBe('WebGPU adapter is software (fallback adapter); no WebGL (no context)');
  });

  it('takes hardware WebGL over wasm when WebGPU is missing or software', () => {
    const plan = planBackends({ webgpu: { ok: false, missing: 'navigator.gpu is missing' }, webgl: { ok: true, device: NVIDIA_WEBGL } });
    expect(plan.order).toEqual(['webgl', 'wasm', 'cpu']);
    expect(plan.reason).toBe(`WebGL renderer is hardware (${NVIDIA_WEBGL})`);
    expect(planBackends({ webgpu: adapter({ architecture: 'swiftshader' }), webgl: { ok: true, device: NVIDIA_WEBGL } }).order).toEqual([
      'webgl',
      'wasm',
      'webgpu',
      'cpu',
    ]);
  });

  it('puts a forced backend first and keeps the automatic order behind it', () => {
    const facts: GpuFacts = { webgpu: adapter({ architecture: 'swiftshader' }), webgl: { ok: true, device: SWIFTSHADER_WEBGL } };
    expect(planBackends(facts, 'webgpu')).toEqual({ order: ['webgpu', 'wasm', 'webgl', 'cpu'], reason: 'asked for with ?backend=webgpu' });
    expect(planBackends(facts, 'cpu').order).toEqual(['cpu', 'wasm', 'webgpu', 'webgl']);
  });
});

describe('parseBackendParam', () => {
  it('forces known names, ignores an absent one and explains an unknown one', () => {
    expect(parseBackendParam('wasm')).toEqual({ forced: 'wasm', notice: null });
    expect(parseBackendParam(null)).toEqual({ notice: null });
    expect(parseBackendParam('')).toEqual({ notice: null });
    expect(parseBackendParam('foo').notice).toBe('?backend=foo is not a backend; use one of webgpu, webgl, wasm, cpu. The backend was chosen automatically.');
  });
});
