import { IGNORE_LABEL } from './constants';
import { PairIndices } from './pairs';

/**
 * Grid labels for AffinityNet training from two argmax maps (docs/algorithm.md §2):
 * where the low-alpha map (background amplified) says foreground, keep that
 * class; where the high-alpha map says background, it is confident background
 * (0); everything else is ignore.
 */
export function combineAlphaLabels(lowAlpha: Uint8Array, highAlpha: Uint8Array, background = 0): Uint8Array {
  if (lowAlpha.length !== highAlpha.length) {
    throw new Error(`label maps differ in size: ${lowAlpha.length} vs ${highAlpha.length}`);
  }
  const out = new Uint8Array(lowAlpha.length);
  for (let i = 0; i < out.length; i++) {
    if (highAlpha[i] === background) out[i] = background;
    else out[i] = lowAlpha[i] === background ? IGNORE_LABEL : lowAlpha[i];
  }
  return out;
}

/** 1 where the pair is in the set, per pair in `pairs` order. */
export interface PairLabels {
  readonly bgPos: Uint8Array;
  readonly fgPos: Uint8Array;
  readonly neg: Uint8Array;
}

/**
 * Affinity labels of pairs: same label (not ignore) -> positive, split into
 * background and foreground positives; different labels, neither ignore ->
 * negative; any ignore -> no label.
 */
export function pairLabels(labels: Uint8Array, pairs: PairIndices, background = 0): PairLabels {
  const m = pairs.from.length;
  const bgPos = new Uint8Array(m);
  const fgPos = new Uint8Array(m);
  const neg = new Uint8Array(m);
  for (let p = 0; p < m; p++) {
    const a = labels[pairs.from[p]];
    const b = labels[pairs.to[p]];
    if (a === IGNORE_LABEL || b === IGNORE_LABEL) continue;
    if (a !== b) neg[p] = 1;
    else if (a === background) bgPos[p] = 1;
    else fgPos[p] = 1;
  }
  return { bgPos, fgPos, neg };
}
