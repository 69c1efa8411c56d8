import * as tf from '@tensorflow/tfjs';
import type { NeighbourAffinities } from '../src/core/affinity';
import type { ChannelMaps } from '../src/core/maps';

/**
 * psa's random walk (infer_aff.py) on the active tfjs backend: the dense
 * N x N affinity matrix A = W^beta (1 on the diagonal, 0 outside the radius),
 * normalised per column, squared `logt` times with matMul, then the (C, N)
 * scores times it. A is symmetric, so this equals `2^logt` steps of the
 * sparse walk (core/random_walk.ts).
 */
export interface DenseWalk {
  /** (C, H, W), the same layout as the sparse walk's maps. */
  walked: Float32Array;
  /** The squarings alone (the matrix on the device, read back once at the end). */
  squaringMs: number;
}

/** A as psa builds it, in float32, row-major. */
function denseAffinity(aff: NeighbourAffinities, beta: number): Float32Array {
  const { height, width, offsets, weights } = aff;
  const n = height * width;
  const k = offsets.length;
  const a = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const [y, x] = [Math.floor(i / width), i % width];
    a[i * n + i] = 1;
    offsets.forEach(({ dy, dx }, o) => {
      const [ny, nx] = [y + dy, x + dx];
      if (ny >= 0 && ny < height && nx >= 0 && nx < width) a[i * n + ny * width + nx] = Math.pow(weights[i * k + o], beta);
    });
  }
  return a;
}

export async function denseWalk(scores: ChannelMaps, aff: NeighbourAffinities, beta: number, logt: number): Promise<DenseWalk> {
  const n = aff.height * aff.width;
  let t = tf.tidy(() => {
    const a = tf.tensor2d(denseAffinity(aff, beta), [n, n]);
    return tf.div<tf.Tensor2D>(a, tf.sum(a, 0, true));
  });
  const started = performance.now();
  for (let s = 0; s < logt; s++) {
    const squared: tf.Tensor2D = tf.matMul(t, t);
    t.dispose();
    t = squared;
  }
  // The wasm backend computes eagerly; reading one value makes that true of any backend.
  const corner = tf.slice(t, [0, 0], [1, 1]);
  await corner.data();
  corner.dispose();
  const squaringMs = performance.now() - started;
  const walked = tf.tidy(() => tf.matMul(tf.tensor2d(scores.data, [scores.channels, n]), t));
  t.dispose();
  try {
    return { walked: (await walked.data()) as Float32Array, squaringMs };
  } finally {
    walked.dispose();
  }
}
