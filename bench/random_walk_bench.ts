/**
 * Sparse step-by-step random walk (ours) vs psa's dense method (T^t by logt
 * squarings of an N x N matrix, then cam @ T^t), side by side on the same
 * inputs in one run. Prints times and their ratio per grid size.
 */
import { neighbourAffinities } from '../src/core/affinity';
import { DEFAULT_BETA, DEFAULT_RADIUS } from '../src/core/constants';
import { ChannelMaps, createMaps } from '../src/core/maps';
import { fullDiscOffsets } from '../src/core/pairs';
import { buildTransition, randomWalk } from '../src/core/random_walk';

const CHANNELS = 21;
const EMBED_DIMS = 64;
const LOGT = 8;

function randomMaps(c: number, size: number, seed: number): ChannelMaps {
  const m = createMaps(c, size, size);
  let s = seed;
  for (let i = 0; i < m.data.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    m.data[i] = s / 2 ** 32;
  }
  return m;
}

/** psa's method in float64: A dense, column-normalised, squared LOGT times, then cam @ T. */
function denseWalk(scores: ChannelMaps, embed: ChannelMaps): Float64Array {
  const size = embed.height;
  const n = size * size;
  const aff = neighbourAffinities(embed, DEFAULT_RADIUS);
  const offsets = fullDiscOffsets(DEFAULT_RADIUS);
  let t: Float64Array = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    t[i * n + i] = 1;
    offsets.forEach(({ dy, dx }, k) => {
      const y = Math.floor(i / size) + dy;
      const x = (i % size) + dx;
      if (y >= 0 && y < size && x >= 0 && x < size) t[i * n + y * size + x] = Math.pow(aff.weights[i * offsets.length + k], DEFAULT_BETA);
    });
  }
  const colSum = new Float64Array(n);
  for (let i = 0; i < n * n; i++) colSum[i % n] += t[i];
  for (let i = 0; i < n * n; i++) t[i] /= colSum[i % n];
  for (let s = 0; s < LOGT; s++) t = square(t, n);
  const out = new Float64Array(scores.channels * n);
  for (let c = 0; c < scores.channels; c++) {
    for (let j = 0; j < n; j++) {
      const v = scores.data[c * n + j];
      for (let i = 0; i < n; i++) out[c * n + i] += v * t[j * n + i];
    }
  }
  return out;
}

function square(m: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const v = m[i * n + k];
      if (v === 0) continue;
      const row = k * n;
      const dst = i * n;
      for (let j = 0; j < n; j++) out[dst + j] += v * m[row + j];
    }
  }
  return out;
}

function time<T>(f: () => T): [T, number] {
  const start = performance.now();
  const result = f();
  return [result, performance.now() - start];
}

console.log(`random walk, ${CHANNELS} channels, ${EMBED_DIMS}-dim embeddings, radius ${DEFAULT_RADIUS}, beta ${DEFAULT_BETA}, t = ${2 ** LOGT}`);
console.log('| grid | N | sparse (ms) | dense T^t (ms) | dense / sparse | dense matrix (MB) | max abs diff |');
console.log('|---|---|---|---|---|---|---|');
for (const size of [16, 24, 32, 40]) {
  const scores = randomMaps(CHANNELS, size, 1);
  const embed = randomMaps(EMBED_DIMS, size, 2);
  const [sparse, sparseMs] = time(() => randomWalk(scores, buildTransition(neighbourAffinities(embed, DEFAULT_RADIUS), DEFAULT_BETA), 2 ** LOGT).final);
  const [dense, denseMs] = time(() => denseWalk(scores, embed));
  let diff = 0;
  for (let i = 0; i < dense.length; i++) diff = Math.max(diff, Math.abs(dense[i] - sparse.data[i]));
  const n = size * size;
  console.log(`| ${size}x${size} | ${n} | ${sparseMs.toFixed(0)} | ${denseMs.toFixed(0)} | ${(denseMs / sparseMs).toFixed(1)}x | ${((n * n * 8) / 2 ** 20).toFixed(1)} | ${diff.toExponential(1)} |`);
}
