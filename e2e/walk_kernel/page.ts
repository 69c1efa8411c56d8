import { neighbourAffinities } from '../../src/core/affinity';
import { createMaps, type ChannelMaps } from '../../src/core/maps';
import { buildTransition, RandomWalk } from '../../src/core/random_walk';
import { seededRandom } from '../../src/core/seeded_random';
import { readBack, upload } from '../../src/gpu/gpu_util';
import { RandomWalkWebGpu, uploadScores, uploadTapTable } from '../../src/gpu/random_walk_webgpu';
import { TransitionWebGpu } from '../../src/gpu/transition_webgpu';
import { affinitiesFromTaps, tapTable } from '../../src/gpu/walk_layout';
import type { KernelCheck, KernelCheckSpec } from './protocol';
import { maxAbsDiff as maxAbsDiffOf } from '../max_abs_diff';

/**
 * A page that runs the WGSL kernels (the transition and the walk) and the
 * typed-array core on the same random inputs and reports how far apart they
 * are and how long each took. Used by e2e/walk_kernel.e2e.ts and
 * bench/random_walk_bench.ts.
 */

function randomMaps(channels: number, height: number, width: number, seed: number): ChannelMaps {
  const maps = createMaps(channels, height, width);
  const random = seededRandom(seed);
  for (let i = 0; i < maps.data.length; i++) maps.data[i] = random();
  return maps;
}


async function check(spec: KernelCheckSpec): Promise<KernelCheck> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter');
  const device = await adapter.requestDevice();
  const { height, width, channels, dims, radius, beta, steps } = spec;
  const embedding = randomMaps(dims, height, width, 2);
  const embeddingBuffer = upload(device, embedding.data, GPUBufferUsage.STORAGE);
  const onGpu = new TransitionWebGpu(device, { buffer: embeddingBuffer, dims, height, width }, radius);
  const scores = randomMaps(channels, height, width, 1);
  const scoresBuffer = uploadScores(device, scores);
  try {
    const affinities = neighbourAffinities(embedding, radius);
    const gpuAffinities = onGpu.affinities();
    const [affinityWeights] = await readBack(device, [gpuAffinities.weights]);
    for (const buffer of [gpuAffinities.taps, gpuAffinities.weights]) buffer.destroy();
    const affinitiesMaxAbsDiff = maxAbsDiffOf(affinities.weights, affinitiesFromTaps(affinityWeights, height, width, affinities.offsets).weights);
    // What a beta change cost on the CPU: the transition and its tap table, from affinities computed once per image.
    const cpuTableStarted = performance.now();
    const transition = buildTransition(affinities, beta);
    const cpuTable = tapTable(transition, affinities.offsets);
    const transitionCpuMs = performance.now() - cpuTableStarted;

    // Compiles both pipelines, so the timed runs measure the work alone.
    const warmUp = new RandomWalkWebGpu(device, { table: onGpu.table(beta), scores: scoresBuffer, channels, steps: 1 });
    await warmUp.finished;
    warmUp.dispose();

    const gpuTableStarted = performance.now();
    const gpuTable = onGpu.table(beta);
    await device.queue.onSubmittedWorkDone();
    const transitionGpuMs = performance.now() - gpuTableStarted;
    const tableMaxAbsDiff = maxAbsDiffOf(cpuTable.weights, (await readBack(device, [gpuTable.weights]))[0]);
    if (spec.table === 'cpu') for (const buffer of [gpuTable.taps, gpuTable.weights]) buffer.destroy();
    const table = spec.table === 'gpu' ? gpuTable : uploadTapTable(device, transition, affinities.offsets);

    const started = performance.now();
    const gpu = new RandomWalkWebGpu(device, { table, scores: scoresBuffer, channels, steps });
    await gpu.finished;
    const gpuMs = performance.now() - started;
    const compared = [...new Set([0, 1, 2, steps >> 1, steps])].filter((t) => t <= steps).sort((a, b) => a - b);
    const fromGpu = await gpu.mapsAtSteps(compared);
    gpu.dispose();

    const cpuStarted = performance.now();
    const walk = new RandomWalk(transition, scores);
    let maxAbsDiff = 0;
    compared.forEach((t, k) => {
      walk.advance(t - walk.step);
      maxAbsDiff = Math.max(maxAbsDiff, maxAbsDiffOf(walk.current().data, fromGpu[k].data));
    });
    const cpuMs = performance.now() - cpuStarted;
    const { vendor, architecture, description } = adapter.info;
    return {
      maxAbsDiff,
      compared,
      gpuMs,
      gpuStepMs: gpuMs / steps,
      cpuStepMs: cpuMs / steps,
      tableMaxAbsDiff,
      affinitiesMaxAbsDiff,
      transitionGpuMs,
      transitionCpuMs,
      adapter: { vendor, architecture, description },
    };
  } finally {
    embeddingBuffer.destroy();
    scoresBuffer.destroy();
    device.destroy();
  }
}

Object.assign(window, { walkKernelCheck: check });
