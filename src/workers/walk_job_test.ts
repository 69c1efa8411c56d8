import { describe, expect, it } from 'vitest';
import { neighbourAffinities } from '../core/affinity';
import { createMaps } from '../core/maps';
import { affinityBoundary, evaluationSteps, scoreMiou } from './walk_job';

describe('affinityBoundary', () => {
  it('is high where the embedding changes and zero inside flat regions', () => {
    // Left half 0, right half 5: affinity across the seam is exp(-5).
    const embed = createMaps(1, 6, 8);
    for (let y = 0; y < 6; y++) for (let x = 4; x < 8; x++) embed.data[y * 8 + x] = 5;
    const boundary = affinityBoundary(neighbourAffinities(embed, 5));
    expect(boundary[2 * 8 + 0]).toBeCloseTo(0, 6);
    expect(boundary[2 * 8 + 3]).toBeGreaterThan(0.3);
    expect(boundary[2 * 8 + 4]).toBeGreaterThan(0.3);
    expect(boundary[2 * 8 + 7]).toBeCloseTo(0, 6);
  });
});

describe('evaluationSteps', () => {
  it('covers every early step, then every fourth, and always the last', () => {
    const ts = evaluationSteps(30);
    expect(ts.slice(0, 17)).toEqual([...Array(17).keys()]);
    expect(ts.slice(17)).toEqual([20, 24, 28, 30]);
  });
});

describe('scoreMiou', () => {
  it('scores the argmax mask of the valid region against ground truth', () => {
    // 2x2 grid, stride 2 -> 4x4 input; valid region 4x2 (top half).
    const scores = createMaps(2, 2, 2);
    scores.data.set([1, 0, 1, 1, /* class channel */ 0, 1, 0, 0]);
    const region = { width: 4, height: 2 };
    const perfect = scoreMiou(scores, {
      groundTruth: Uint8Array.from([0, 0, 8, 8, 0, 0, 8, 8]),
      region, stride: 2, classIdOfChannel: [0, 8], numClasses: 21,
    });
    expect(perfect).toBeCloseTo(1, 6);
    const ignoredRight = scoreMiou(scores, {
      groundTruth: Uint8Array.from([0, 0, 255, 255, 0, 0, 255, 255]),
      region, stride: 2, classIdOfChannel: [0, 8], numClasses: 21,
    });
    // Class 8 is predicted only where the ground truth is ignore, so only background counts.
    expect(ignoredRight).toBeCloseTo(1, 6);
  });
});
