import { neighbourAffinities } from '../../src/core/affinity';
import { createMaps, type ChannelMaps } from '../../src/core/maps';
import { buildTransition, RandomWalk } from '../../src/core/random_walk';
import { seededRandom } from '../../src/core/seeded_random';
import { RandomWalkWebGpu } from '../../src/gpu/random_walk_webgpu';
import type { KernelCheck, KernelCheckSpec } from './protocol';

/**
 * A page that runs the WGSL walk and the typed-array core on the same random
 * inputs and reports how far apart they are and how long the GPU took. Used
 * by e2e/walk_kernel.e2e.ts and bench/random_walk_bench.ts.
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
  try {
    const { height, width, channels, dims, radius, beta, steps } = spec;
    const scores = randomMaps(channels, height, width, 1);
    const affinities = neighbourAffinities(randomMaps(dims, height, width, 2), radius);
    const inputs = { transition: buildTransition(affinities, beta), offsets: affinities.offsets, scores };
    // Compiles the pipeline, so the timed walk measures the steps alone.
    const warmUp = new RandomWalkWebGpu(device, { ...inputs, steps: 1 });
    await warmUp.finished;
    warmUp.dispose();

    const started = performance.now();
    const gpu = new RandomWalkWebGpu(device, { ...inputs, steps });
    await gpu.finished;
    const gpuMs = performance.now() - started;
    const compared = [...new Set([0, 1, 2, steps >> 1, steps])].filter((t) => t <= steps).sort((a, b) => a - b);
    const fromGpu = await gpu.mapsAtSteps(compared);
    gpu.dispose();

    const cpuStarted = performance.now();
    const walk = new RandomWalk(inputs.transition, scores);
    let maxAbsDiff = 0;
    compared.forEach((t, k) => {
      walk.advance(t - walk.step);
      const reference = walk.current().data;
      for (let i = 0; i < reference.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(reference[i] - fromGpu[k].data[i]));
    });
    const cpuMs = performance.now() - cpuStarted;
    const { vendor, architecture, description } = adapter.info;
    return { maxAbsDiff, compared, gpuMs, gpuStepMs: gpuMs / steps, cpuStepMs: cpuMs / steps, adapter: { vendor, architecture, description } };
  } finally {
    device.destroy();
  }
}

Object.assign(window, { walkKernelCheck: check });
