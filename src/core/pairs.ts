/**
 * Pixel-pair indexing on the feature grid.
 *
 * Two views of the same radius-r disc:
 * - the half disc (psa's training pairs): every unordered pair once, sources
 *   cropped so that every direction stays inside the grid;
 * - the full neighbourhood (the random walk): both directions of every pair
 *   for every cell, clipped at the grid border.
 */

/** A grid offset: neighbour = (y + dy, x + dx). */
export interface Offset {
  readonly dy: number;
  readonly dx: number;
}

/**
 * psa's direction list for radius r: (0, 1..r-1), then for dy = 1..r-1 every
 * dx in [-(r-1), r-1] with dx^2 + dy^2 < r^2. r = 5 gives 34 directions.
 */
export function halfDiscOffsets(radius: number): Offset[] {
  assertRadius(radius);
  const r2 = radius * radius;
  const out: Offset[] = [];
  for (let dx = 1; dx < radius; dx++) out.push({ dy: 0, dx });
  for (let dy = 1; dy < radius; dy++) {
    for (let dx = -radius + 1; dx < radius; dx++) if (dx * dx + dy * dy < r2) out.push({ dy, dx });
  }
  return out;
}

/** Every offset with 0 < dx^2 + dy^2 < r^2, row by row (r = 5 gives 68). */
export function fullDiscOffsets(radius: number): Offset[] {
  assertRadius(radius);
  const r2 = radius * radius;
  const out: Offset[] = [];
  for (let dy = -radius + 1; dy < radius; dy++) {
    for (let dx = -radius + 1; dx < radius; dx++) {
      const d2 = dx * dx + dy * dy;
      if (d2 > 0 && d2 < r2) out.push({ dy, dx });
    }
  }
  return out;
}

/** Pairs as flat cell indices (y * width + x), direction-major like psa. */
export interface PairIndices {
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly offsets: Offset[];
  /** Sources per direction: (height - r + 1) * (width - 2(r - 1)). */
  readonly sourcesPerOffset: number;
}

/**
 * psa's training pairs: sources are the grid cropped by r-1 at the bottom,
 * left and right, so every half-disc neighbour exists. On a 56x56 grid with
 * r = 5 that is 52 x 48 sources x 34 directions = 84,864 pairs.
 */
export function halfDiscPairs(height: number, width: number, radius: number): PairIndices {
  const offsets = halfDiscOffsets(radius);
  const m = radius - 1;
  const croppedH = height - m;
  const croppedW = width - 2 * m;
  if (croppedH <= 0 || croppedW <= 0) {
    throw new Error(`a ${height}x${width} grid is too small for radius ${radius}`);
  }
  const sources = croppedH * croppedW;
  const from = new Int32Array(sources * offsets.length);
  const to = new Int32Array(sources * offsets.length);
  offsets.forEach(({ dy, dx }, k) => {
    let p = k * sources;
    for (let y = 0; y < croppedH; y++) {
      for (let x = m; x < m + croppedW; x++, p++) {
        from[p] = y * width + x;
        to[p] = (y + dy) * width + (x + dx);
      }
    }
  });
  return { from, to, offsets, sourcesPerOffset: sources };
}

function assertRadius(radius: number): void {
  if (!Number.isInteger(radius) || radius < 1) throw new Error(`radius must be a positive integer, got ${radius}`);
}
