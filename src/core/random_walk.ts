import { NeighbourAffinities } from './affinity';
import { ChannelMaps, createMaps } from './maps';

/**
 * The random-walk operator T = D^-1 A with A = W^beta over each cell's full
 * radius disc plus the cell itself (W_ii = 1), stored sparsely (CSR).
 * A is symmetric, so T v equals psa's column-normalised `cam @ (A / A.sum(0))`.
 */
export interface Transition {
  readonly height: number;
  readonly width: number;
  /** Row i's entries are rowStart[i] .. rowStart[i + 1] - 1. */
  readonly rowStart: Int32Array;
  readonly cols: Int32Array;
  /** Unnormalised A(i, j) = W_ij^beta. */
  readonly values: Float64Array;
  /** 1 / sum_j A(i, j). */
  readonly invDegree: Float64Array;
}

export function buildTransition(aff: NeighbourAffinities, beta: number): Transition {
  const { height, width, offsets, weights } = aff;
  const n = height * width;
  const k = offsets.length;
  const rowStart = new Int32Array(n + 1);
  const cols = new Int32Array(n * (k + 1));
  const values = new Float64Array(n * (k + 1));
  const invDegree = new Float64Array(n);
  let p = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      rowStart[i] = p;
      cols[p] = i;
      values[p++] = 1;
      let degree = 1;
      for (let o = 0; o < k; o++) {
        const ny = y + offsets[o].dy;
        const nx = x + offsets[o].dx;
        if (ny < 0 || ny >= height || nx < 0 || nx >= width) continue;
        const a = Math.pow(weights[i * k + o], beta);
        cols[p] = ny * width + nx;
        values[p++] = a;
        degree += a;
      }
      invDegree[i] = 1 / degree;
    }
  }
  rowStart[n] = p;
  return { height, width, rowStart, cols: cols.slice(0, p), values: values.slice(0, p), invDegree };
}

/**
 * Channels are walked in groups of up to eight: eight accumulators per cell
 * amortise each sparse entry's loads (about 3x faster than one channel at a
 * time). A walk of a few channels (the app's background + one or two classes)
 * uses a narrower group instead of paying for eight.
 */
function groupWidth(channels: number): 2 | 4 | 8 {
  return channels <= 2 ? 2 : channels <= 4 ? 4 : 8;
}

/**
 * A walk on (C, H, W) score maps that is advanced step by step and read at any
 * step: RandomWalk here, the WebAssembly kernel's walk in src/wasm.
 */
export interface SteppedWalk {
  /** Steps taken so far. */
  readonly step: number;
  advance(steps?: number): void;
  /** The current maps, (C, H, W). */
  current(): ChannelMaps;
}

/**
 * Iterates v <- T v on (C, H, W) score maps, one step at a time, so that every
 * intermediate t is available without restarting from t = 0.
 */
export class RandomWalk implements SteppedWalk {
  private state: Float64Array;
  private scratch: Float64Array;
  private t = 0;
  readonly channels: number;
  private readonly width: 2 | 4 | 8;
  private readonly groups: number;

  constructor(private readonly transition: Transition, scores: ChannelMaps) {
    const { height, width } = transition;
    if (scores.height !== height || scores.width !== width) {
      throw new Error(`scores are ${scores.height}x${scores.width} but the affinities are ${height}x${width}`);
    }
    this.channels = scores.channels;
    this.width = groupWidth(scores.channels);
    this.groups = Math.ceil(scores.channels / this.width);
    // Layout (group, cell, lane): a cell's channels of one group sit side by side.
    const size = this.groups * height * width * this.width;
    this.state = new Float64Array(size);
    this.scratch = new Float64Array(size);
    const n = height * width;
    for (let ch = 0; ch < this.channels; ch++) {
      const base = this.base(ch, n);
      for (let i = 0; i < n; i++) this.state[base + i * this.width] = scores.data[ch * n + i];
    }
  }

  get step(): number {
    return this.t;
  }

  advance(steps = 1): void {
    const step = this.width === 8 ? step8 : this.width === 4 ? step4 : step2;
    for (let s = 0; s < steps; s++) {
      step(this.transition, this.groups, this.state, this.scratch);
      [this.state, this.scratch] = [this.scratch, this.state];
      this.t++;
    }
  }

  /** The current maps, back in (C, H, W) order. */
  current(): ChannelMaps {
    const { height, width } = this.transition;
    const n = height * width;
    const out = createMaps(this.channels, height, width);
    for (let ch = 0; ch < this.channels; ch++) {
      const base = this.base(ch, n);
      for (let i = 0; i < n; i++) out.data[ch * n + i] = this.state[base + i * this.width];
    }
    return out;
  }

  /** Where channel ch's first cell sits in the state. */
  private base(ch: number, n: number): number {
    return Math.floor(ch / this.width) * n * this.width + (ch % this.width);
  }
}

// out = T v, one kernel per group width, unrolled by hand (V8 does not vectorise).
// `| 0` keeps the index arithmetic in int32, which lets V8 drop an overflow
// check per load (about 10% faster).

function step8(transition: Transition, groups: number, v: Float64Array, out: Float64Array): void {
  const { rowStart, cols, values, invDegree } = transition;
  const n = invDegree.length;
  for (let o = 0; o < groups * n * 8; o += n * 8) {
    for (let i = 0; i < n; i++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      for (let p = rowStart[i], end = rowStart[i + 1]; p < end; p++) {
        const a = values[p];
        const j = (o + cols[p] * 8) | 0;
        s0 += a * v[j]; s1 += a * v[(j + 1) | 0]; s2 += a * v[(j + 2) | 0]; s3 += a * v[(j + 3) | 0];
        s4 += a * v[(j + 4) | 0]; s5 += a * v[(j + 5) | 0]; s6 += a * v[(j + 6) | 0]; s7 += a * v[(j + 7) | 0];
      }
      const inv = invDegree[i];
      const d = (o + i * 8) | 0;
      out[d] = s0 * inv; out[(d + 1) | 0] = s1 * inv; out[(d + 2) | 0] = s2 * inv; out[(d + 3) | 0] = s3 * inv;
      out[(d + 4) | 0] = s4 * inv; out[(d + 5) | 0] = s5 * inv; out[(d + 6) | 0] = s6 * inv; out[(d + 7) | 0] = s7 * inv;
    }
  }
}

function step4(transition: Transition, groups: number, v: Float64Array, out: Float64Array): void {
  const { rowStart, cols, values, invDegree } = transition;
  const n = invDegree.length;
  for (let o = 0; o < groups * n * 4; o += n * 4) {
    for (let i = 0; i < n; i++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = rowStart[i], end = rowStart[i + 1]; p < end; p++) {
        const a = values[p];
        const j = (o + cols[p] * 4) | 0;
        s0 += a * v[j]; s1 += a * v[(j + 1) | 0]; s2 += a * v[(j + 2) | 0]; s3 += a * v[(j + 3) | 0];
      }
      const inv = invDegree[i];
      const d = (o + i * 4) | 0;
      out[d] = s0 * inv; out[(d + 1) | 0] = s1 * inv; out[(d + 2) | 0] = s2 * inv; out[(d + 3) | 0] = s3 * inv;
    }
  }
}

/** Only for walks of one or two channels, so a single group. */
function step2(transition: Transition, _groups: number, v: Float64Array, out: Float64Array): void {
  const { rowStart, cols, values, invDegree } = transition;
  const n = invDegree.length;
  for (let i = 0; i < n; i++) {
    let s0 = 0, s1 = 0;
    for (let p = rowStart[i], end = rowStart[i + 1]; p < end; p++) {
      const a = values[p];
      const j = (cols[p] * 2) | 0;
      s0 += a * v[j]; s1 += a * v[(j + 1) | 0];
    }
    const inv = invDegree[i];
    out[(i * 2) | 0] = s0 * inv; out[(i * 2 + 1) | 0] = s1 * inv;
  }
}

export interface WalkResult {
  readonly final: ChannelMaps;
  /** Maps after each requested step (t = 0 is the input). */
  readonly snapshots: Map<number, ChannelMaps>;
}

/** Runs `steps` steps in one pass, keeping copies at the requested steps. */
export function randomWalk(
  scores: ChannelMaps,
  transition: Transition,
  steps: number,
  record: Iterable<number> = [],
): WalkResult {
  return recordWalk(new RandomWalk(transition, scores), steps, record);
}

/**
 * Advances a fresh walk to `steps`, keeping copies at the requested steps.
 * Each stretch between two of them is one advance() (for the WebAssembly
 * walk, one call into the kernel).
 */
export function recordWalk(walk: SteppedWalk, steps: number, record: Iterable<number> = []): WalkResult {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`steps must be a non-negative integer, got ${steps}`);
  const wanted = [...new Set(record)].filter((t) => Number.isInteger(t) && t >= 0 && t <= steps).sort((a, b) => a - b);
  const snapshots = new Map<number, ChannelMaps>();
  for (const t of wanted) {
    walk.advance(t - walk.step);
    snapshots.set(t, walk.current());
  }
  walk.advance(steps - walk.step);
  return { final: walk.current(), snapshots };
}

/**
 * Where a cell's revised score comes from after t steps: row `cell` of T^t,
 * i.e. (T^T)^t e_cell, computed as u'(j) = sum_i A(j, i) u(i) / D_i (A symmetric).
 */
export function transitionRow(transition: Transition, cell: number, steps: number): Float64Array {
  const { rowStart, cols, values, invDegree } = transition;
  const n = invDegree.length;
  let u = new Float64Array(n);
  let next = new Float64Array(n);
  u[cell] = 1;
  for (let s = 0; s < steps; s++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = rowStart[j], end = rowStart[j + 1]; p < end; p++) sum += values[p] * u[cols[p]] * invDegree[cols[p]];
      next[j] = sum;
    }
    [u, next] = [next, u];
  }
  return u;
}
