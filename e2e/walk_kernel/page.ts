import { neighbourAffinities } from '../../src/core/affinity';
import { createMaps, type ChannelMaps } from '../../src/core/maps';
import { buildTransition, RandomWalk } from '../../src/core/random_walk';
import { seededRandom } from '../../src/core/seeded_random';
import { RandomWalkWebGpu, uploadTapTable } from '../../src/gpu/random_walk_webgpu';
import { TransitionWebGpu } from '../../src/gpu/transition_webgpu';
import { tapTable } from '../../src/gpu/walk_layout';
import type { KernelCheck, KernelCheckSpec } from './protocol';

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

async function readBack(device: GPUDevice, buffer: GPUBuffer): Promise<Float32Array> {
  const staging = device.createBuffer({ size: buffer.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, buffer.size);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return new Float32Array(staging.getMappedRange().slice(0));
  } finally {
    staging.destroy();
  }
}

const maxAbsDiffOf = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
};

async function check(spec: KernelCheckSpec): Promise<KernelCheck> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter');
  const device = await adapter.requestDevice();
  const { height, width, channels, dims, radius, beta, steps } = spec;
  const embedding = randomMaps(dims, height, width, 2);
  const onGpu = new TransitionWebGpu(device, embedding, radius);
  try {
    const scores = randomMaps(channels, height, width, 1);
    const affinities = neighbourAffinities(embedding, radius);
    // What a beta change cost on the CPU: the transition and its tap table, from affinities computed once per image.
    const cpuTableStarted = performance.now();
    const transition = buildTransition(affinities, beta);
    const cpuTable = tapTable(transition, affinities.offsets);
    const transitionCpuMs = performance.now() - cpuTableStarted;

    // Compiles both pipelines, so the timed runs measure the work alone.
    const warmUp = new RandomWalkWebGpu(device, { table: onGpu.table(beta), scores, steps: 1 });
    await warmUp.finished;
    warmUp.dispose();

    const gpuTableStarted = performance.now();
    const gpuTable = onGpu.table(beta);
    await device.queue.onSubmittedWorkDone();
    const transitionGpuMs = performance.now() - gpuTableStarted;
    const tableMaxAbsDiff = maxAbsDiffOf(cpuTable.weights, await readBack(device, gpuTable.weights));
    if (spec.table === 'cpu') for (const buffer of [gpuTable.taps, gpuTable.weights]) buffer.destroy();
    const table = spec.table === 'gpu' ? gpuTable : uploadTapTable(device, transition, affinities.offsets);

    const started = performance.now();
    const gpu = new RandomWalkWebGpu(device, { table, scores, steps });
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
      transitionGpuMs,
      transitionCpuMs,
      adapter: { vendor, architecture, description },
    };
  } finally {
    onGpu.dispose();
    device.destroy();
  }
}

Object.assign(window, { walkKernelCheck: check });
