/**
 * Which tfjs backend to try first, decided from what the browser says about
 * its GPUs. Pure (no DOM, no tfjs) so every case is unit-tested; the browser
 * side that gathers the facts is gpu_probe.ts.
 *
 * A software GPU (SwiftShader, llvmpipe, WebGPU's fallback adapter) runs the
 * networks several times slower than the wasm backend on the same CPU (34 s
 * against 6 s to the first result, 2-core machine without a GPU), so it comes
 * after wasm: "WebGPU first" only pays off on real hardware.
 */

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  /** WebGPU's own flag for a software adapter. */
  isFallbackAdapter: boolean;
}

/** What the browser reported about one GPU API: a device, or why there is none. */
export type GpuFact<T> = { ok: true; device: T } | { ok: false; missing: string };

export interface GpuFacts {
  webgpu: GpuFact<AdapterSummary>;
  /** The WebGL renderer string (UNMASKED_RENDERER_WEBGL when the browser gives it). */
  webgl: GpuFact<string>;
}

export interface BackendPlan {
  /** Backends to try in turn; the first that initialises is used. */
  order: BackendName[];
  /** Why order[0] comes first, in words for the badge. */
  reason: string;
}

/** Renderer names of software rasterisers, as they appear in adapter info and WebGL renderer strings. */
const SOFTWARE_RENDERERS: readonly [RegExp, string][] = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/lavapipe/i, 'lavapipe'],
  [/softpipe/i, 'softpipe'],
  [/basic render/i, 'Microsoft Basic Render Driver'],
  [/software/i, 'software renderer'],
];

/** The software rasteriser named in `text`, or null when it names none (hardware, or not said). */
export function softwareRenderer(text: string): string | null {
  return SOFTWARE_RENDERERS.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}

type GpuKind = { kind: 'hardware'; label: string } | { kind: 'software'; label: string } | { kind: 'missing'; label: string };

function webgpuKind(fact: GpuFact<AdapterSummary>): GpuKind {
  if (!fact.ok) return { kind: 'missing', label: `no WebGPU (${fact.missing})` };
  const { vendor, architecture, description, isFallbackAdapter } = fact.device;
  const named = softwareRenderer([vendor, architecture, description].join(' '));
  if (named || isFallbackAdapter) return { kind: 'software', label: `WebGPU adapter is software (${named ?? 'fallback adapter'})` };
  const shown = [vendor, architecture || description].filter(Boolean).join(' / ') || 'not named';
  return { kind: 'hardware', label: `WebGPU adapter is hardware (${shown})` };
}

function webglKind(fact: GpuFact<string>): GpuKind {
  if (!fact.ok) return { kind: 'missing', label: `no WebGL (${fact.missing})` };
  const named = softwareRenderer(fact.device);
  if (named) return { kind: 'software', label: `WebGL renderer is ${named}` };
  return { kind: 'hardware', label: `WebGL renderer is hardware (${fact.device || 'not named'})` };
}

/**
 * Hardware GPUs first (WebGPU, then WebGL), then wasm, then software GPUs,
 * then cpu. `forced` (from ?backend=) goes first whatever it is; the rest
 * stay in the automatic order as fallbacks. `without` leaves backends out
 * (WebGPU after its device was lost).
 */
export function planBackends(facts: GpuFacts, forced?: BackendName, without: readonly BackendName[] = []): BackendPlan {
  const plan = orderBackends(facts, forced);
  return { ...plan, order: plan.order.filter((name) => !without.includes(name)) };
}

function orderBackends(facts: GpuFacts, forced?: BackendName): BackendPlan {
  const gpus = [
    { name: 'webgpu' as const, ...webgpuKind(facts.webgpu) },
    { name: 'webgl' as const, ...webglKind(facts.webgl) },
  ];
  const hardware = gpus.filter((g) => g.kind === 'hardware');
  const software = gpus.filter((g) => g.kind === 'software');
  const automatic: BackendName[] = [...hardware.map((g) => g.name), 'wasm', ...software.map((g) => g.name), 'cpu'];
  if (forced) return { order: [forced, ...automatic.filter((n) => n !== forced)], reason: `asked for with ?backend=${forced}` };
  const reason = hardware.length > 0 ? hardware[0].label : gpus.map((g) => g.label).join('; ');
  return { order: automatic, reason };
}

export function isBackendName(value: string | null): value is BackendName {
  return value !== null && (BACKEND_NAMES as readonly string[]).includes(value);
}

/** The backend a ?backend= value forces, or a message for people when the value names none. */
export function parseBackendParam(value: string | null): { forced?: BackendName; notice: string | null } {
  if (value === null || value === '') return { notice: null };
  if (isBackendName(value)) return { forced: value, notice: null };
  return {
    notice: `?backend=${value} is not a backend; use one of ${BACKEND_NAMES.join(', ')}. The backend was chosen automatically.`,
  };
}
