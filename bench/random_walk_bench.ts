/**
 * What the random walk and the pipeline cost, in one run:
 * - walk: our sparse walk (the WebAssembly SIMD kernel, src/wasm; the plain
 *   JavaScript core, src/core, on its own row) against psa's dense method
 *   (T^(2^8) by repeated squaring with tfjs matMul, then the scores times it) on
 *   the wasm backend, in this process, on the same inputs;
 * - walk_webgpu: the WGSL transition and walk (src/gpu) against the core in
 *   Chromium (WebGPU on whatever adapter it finds; SwiftShader on a machine
 *   without a GPU);
 * - pipeline: median ms per stage of the default set on a 512 x 512 photo
 *   (Node, wasm) and the tensors still held after 50 full runs.
 *
 *   npm run bench [-- --json] [--runs 50]
 */
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { neighbourAffinities } from '../src/core/affinity';
import { DEFAULT_BETA, DEFAULT_RADIUS } from '../src/core/constants';
import { createMaps, type ChannelMaps } from '../src/core/maps';
import { camMask, keptClasses, segmentationMask, walkInput, walkMask } from '../src/core/masks';
import { buildTransition, randomWalk } from '../src/core/random_walk';
import { randomWalkWasm } from '../src/wasm/random_walk_wasm';
import { seededRandom } from '../src/core/seeded_random';
import { modelSetFromDir } from '../src/models/node_model_set';
import { useNodeWasmBackend } from '../src/models/node_wasm';
import { loadPipeline, maskGeometry } from '../src/models/pipeline';
import { maxAbsDiff } from '../e2e/max_abs_diff';
import { openWalkKernelPage } from '../e2e/walk_kernel_page';
import type { KernelCheck, KernelCheckSpec } from '../e2e/walk_kernel/protocol';
import { denseWalk } from './dense_walk';

const ROOT = path.join(import.meta.dirname, '..');
/** psa's setting: 448 px crops give a 56 x 56 grid; 21 VOC channels; 64-dim embeddings (our heads' f_aff); logt = 8. */
const WALK = { height: 56, width: 56, channels: 21, dims: 64, radius: DEFAULT_RADIUS, beta: DEFAULT_BETA, steps: 256, table: 'gpu' } satisfies KernelCheckSpec;
const LOGT = Math.log2(WALK.steps);
const WALK_SHAPE = { grid: `${WALK.height}x${WALK.width}`, channels: WALK.channels, steps: WALK.steps };
const PHOTO = 'eval/real/cat_chelsea.jpg';
const IMAGE_SIDE = 512;
const WARM_UP_RUNS = 2;

function randomMaps(channels: number, height: number, width: number, seed: number): ChannelMaps {
  const maps = createMaps(channels, height, width);
  const random = seededRandom(seed);
  for (let i = 0; i < maps.data.length; i++) maps.data[i] = random();
  return maps;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const round = (ms: number, digits = 1) => Number(ms.toFixed(digits));

/**
 * Wall and CPU time of f. Every method runs on this one thread (the wasm
 * backend with one thread, our kernel in wasm, the core in plain JavaScript), so CPU time is what
 * each would take on a core of its own; wall time also counts the other jobs
 * of a shared machine, which come and go over a minute-long dense run.
 */
async function timed<T>(f: () => T | Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const [wall, cpu] = [performance.now(), process.cpuUsage()];
  const value = await f();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
}

/** A difference as the report gives it: three significant digits. */
const sci = (value: number) => Number(value.toExponential(2));

/** Median CPU and wall time of `runs` runs of f, and its first result. */
async function medianOf<T>(runs: number, f: () => T) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await timed(f));
  return { value: all[0].value, cpuMs: median(all.map((r) => r.cpuMs)), wallMs: median(all.map((r) => r.wallMs)) };
}

async function walkAgainstDense() {
  const scores = randomMaps(WALK.channels, WALK.height, WALK.width, 1);
  const affinities = neighbourAffinities(randomMaps(WALK.dims, WALK.height, WALK.width, 2), WALK.radius);
  // Every method starts from the same affinities W and includes building its operator from them.
  const sparse = await medianOf(5, () => randomWalkWasm(scores, buildTransition(affinities, WALK.beta), WALK.steps).final);
  const core = await medianOf(3, () => randomWalk(scores, buildTransition(affinities, WALK.beta), WALK.steps).final);
  const dense = await timed(() => denseWalk(scores, affinities, WALK.beta, LOGT));
  return {
    ...WALK_SHAPE,
    embedding_dims: WALK.dims,
    radius: WALK.radius,
    beta: WALK.beta,
    sparse_method: 'src/wasm/random_walk_wasm.ts: step by step over the radius disc, WebAssembly SIMD kernel (float32, 4 channels a lane), one thread; the core builds T',
    core_js_method: 'src/core/random_walk.ts: the same walk in plain JavaScript, typed arrays (float64), one thread',
    dense_method: `psa: dense ${WALK.height * WALK.width}^2 T squared ${LOGT} times with tfjs matMul, then scores x T, wasm backend (float32), one thread`,
    sparse_cpu_ms: round(sparse.cpuMs),
    sparse_wall_ms: round(sparse.wallMs),
    sparse_ms_per_step: round(sparse.cpuMs / WALK.steps, 3),
    core_js_cpu_ms: round(core.cpuMs),
    core_js_wall_ms: round(core.wallMs),
    core_js_ms_per_step: round(core.cpuMs / WALK.steps, 3),
    dense_cpu_ms: round(dense.cpuMs),
    dense_wall_ms: round(dense.wallMs),
    dense_wall_ms_per_squaring: round(dense.value.squaringMs / LOGT),
    /** CPU time of the dense method over that of the sparse (wasm) walk (wall-time ratio below). */
    speedup_vs_dense: round(dense.cpuMs / sparse.cpuMs),
    speedup_vs_dense_wall: round(dense.wallMs / sparse.wallMs),
    speedup_core_js_vs_dense: round(dense.cpuMs / core.cpuMs),
    speedup_core_js_vs_dense_wall: round(dense.wallMs / core.wallMs),
    /** The sparse (wasm) walk against the dense one. */
    max_abs_diff: sci(maxAbsDiff(dense.value.walked, sparse.value.data)),
    core_js_max_abs_diff: sci(maxAbsDiff(dense.value.walked, core.value.data)),
    sparse_vs_core_js_max_abs_diff: sci(maxAbsDiff(sparse.value.data, core.value.data)),
  };
}

interface WebGpuWalkReport {
  grid: string;
  channels: number;
  steps: number;
  adapter: KernelCheck['adapter'];
  compared_steps: number[];
  max_abs_diff: number;
  ms: number;
  ms_per_step: number;
  core_ms_per_step_same_page: number;
  transition_ms: number;
  transition_core_ms_same_page: number;
  transition_max_abs_diff: number;
}

async function walkOnWebGpu(): Promise<WebGpuWalkReport | { error: string }> {
  let page;
  try {
    page = await openWalkKernelPage();
    const check = await page.check(WALK);
    return {
      ...WALK_SHAPE,
      adapter: check.adapter,
      compared_steps: check.compared,
      max_abs_diff: sci(check.maxAbsDiff),
      ms: round(check.gpuMs),
      ms_per_step: round(check.gpuStepMs, 3),
      core_ms_per_step_same_page: round(check.cpuStepMs, 3),
      transition_ms: round(check.transitionGpuMs),
      transition_core_ms_same_page: round(check.transitionCpuMs),
      transition_max_abs_diff: sci(check.tableMaxAbsDiff),
    };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  } finally {
    await page?.close();
  }
}

async function photo(): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { data, info } = await sharp(path.join(ROOT, PHOTO)).resize(IMAGE_SIDE, IMAGE_SIDE, { fit: 'fill' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** The default set end to end as the CLI runs it: networks, then the walk (the wasm kernel) and the three masks (src/core). */
async function pipelineRuns(runs: number) {
  const pipeline = await loadPipeline(modelSetFromDir(path.join(ROOT, 'models/default')));
  const image = await photo();
  const { defaults } = pipeline.meta;
  const fullRun = async () => {
    const result = await pipeline.run(image);
    const times: Record<string, number> = { ...result.timings };
    const time = <T>(stage: string, f: () => T): T => {
      const started = performance.now();
      const value = f();
      times[stage] = performance.now() - started;
      return value;
    };
    const g = maskGeometry(pipeline.meta, result.placement);
    const keep = keptClasses(result.classScores, result.classEvidence.threshold);
    const scores = time('walk_input', () => walkInput(result.cams, keep, g, defaults.alpha));
    const transition = time('transition', () => buildTransition(neighbourAffinities(result.embedding, defaults.radius), defaults.beta));
    const walked = time('walk', () => randomWalkWasm(scores, transition, defaults.steps).final);
    time('masks', () => [camMask(result.cams, keep, g, defaults.camBackground), walkMask(walked, keep, g), segmentationMask(result.segLogits, g)]);
    times.total = Object.values(times).reduce((a, b) => a + b, 0);
    return { times, grid: `${result.cams.height}x${result.cams.width}`, channels: scores.channels };
  };
  for (let i = 0; i < WARM_UP_RUNS; i++) await fullRun();
  const before = tf.memory();
  const all: Record<string, number[]> = {};
  let shape = { grid: '', channels: 0 };
  for (let i = 0; i < runs; i++) {
    const { times, ...rest } = await fullRun();
    shape = rest;
    for (const [stage, ms] of Object.entries(times)) (all[stage] ??= []).push(ms);
  }
  const after = tf.memory();
  pipeline.dispose();
  return {
    pipeline: {
      model_set: 'default',
      image: `${PHOTO} resized to ${IMAGE_SIDE}x${IMAGE_SIDE}`,
      walk_grid: shape.grid,
      walk_channels: shape.channels,
      steps: defaults.steps,
      warm_up_runs: WARM_UP_RUNS,
      runs,
      median_ms: Object.fromEntries(Object.entries(all).map(([stage, ms]) => [stage, round(median(ms))])),
    },
    memory: {
      runs,
      tensors_before: before.numTensors,
      tensors_after: after.numTensors,
      leaked_tensors: after.numTensors - before.numTensors,
      leaked_bytes: after.numBytes - before.numBytes,
    },
  };
}

type Report = Awaited<ReturnType<typeof bench>>;

async function bench(runs: number) {
  const threads = 1;
  await useNodeWasmBackend(threads);
  const walk = await walkAgainstDense();
  const walkWebGpu = await walkOnWebGpu();
  const { pipeline, memory } = await pipelineRuns(runs);
  return {
    command: ['npm run bench --', ...process.argv.slice(2)].join(' '),
    backends: {
      node: `tfjs ${tf.getBackend()}, ${threads} thread (SIMD), Node ${process.version}`,
      browser: !('error' in walkWebGpu) ? `WebGPU in Chromium, adapter ${Object.values(walkWebGpu.adapter).filter(Boolean).join(' / ')}` : `none (${walkWebGpu.error})`,
    },
    walk,
    walk_webgpu: walkWebGpu,
    pipeline,
    memory,
  };
}

function table(report: Report): string {
  const { walk, walk_webgpu: gpu, pipeline, memory } = report;
  const rows: [string, string][] = [
    ['backends', `${report.backends.node}; ${report.backends.browser}`],
    [`walk ${walk.grid}, ${walk.channels} ch, t = ${walk.steps}: sparse (wasm SIMD kernel), CPU / wall`, `${walk.sparse_cpu_ms} / ${walk.sparse_wall_ms} ms (${walk.sparse_ms_per_step} ms/step)`],
    ['walk: sparse in plain JavaScript (core), CPU / wall', `${walk.core_js_cpu_ms} / ${walk.core_js_wall_ms} ms (${walk.core_js_ms_per_step} ms/step)`],
    ['walk: dense psa method, tfjs matMul on wasm, CPU / wall', `${walk.dense_cpu_ms} / ${walk.dense_wall_ms} ms (${walk.dense_wall_ms_per_squaring} ms/squaring)`],
    ['walk: speedup of the sparse walk (wasm), CPU time (wall time)', `${walk.speedup_vs_dense}x (${walk.speedup_vs_dense_wall}x)`],
    ['walk: speedup of the core walk (JavaScript), CPU time (wall time)', `${walk.speedup_core_js_vs_dense}x (${walk.speedup_core_js_vs_dense_wall}x)`],
    ['walk: max abs diff vs dense, sparse wasm (core)', `${walk.max_abs_diff} (${walk.core_js_max_abs_diff})`],
    ['walk: max abs diff, sparse wasm vs core', String(walk.sparse_vs_core_js_max_abs_diff)],
    'error' in gpu
      ? ['walk on WebGPU', `not run: ${gpu.error}`]
      : [`walk on WebGPU (${gpu.adapter.description || gpu.adapter.architecture}), ${gpu.grid}, ${gpu.channels} ch`, `${gpu.ms} ms (${gpu.ms_per_step} ms/step; core in the same page ${gpu.core_ms_per_step_same_page} ms/step)`],
    ...('error' in gpu
      ? []
      : ([
          ['walk on WebGPU: max abs diff vs core', String(gpu.max_abs_diff)],
          ['transition on WebGPU (tap table from the embedding)', `${gpu.transition_ms} ms (core's buildTransition + tap table in the same page ${gpu.transition_core_ms_same_page} ms)`],
          ['transition on WebGPU: max abs diff vs core', String(gpu.transition_max_abs_diff)],
        ] as [string, string][])),
    ...Object.entries(pipeline.median_ms).map(([stage, ms]): [string, string] => [`pipeline ${IMAGE_SIDE}x${IMAGE_SIDE}, median: ${stage}`, `${ms} ms`]),
    [`tensors leaked over ${memory.runs} full runs`, String(memory.leaked_tensors)],
  ];
  return ['| measure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, runs: { type: 'string', default: '50' } } });
  const report = await bench(Number(values.runs));
  console.log(values.json ? JSON.stringify(report, null, 2) : table(report));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
