import { describe, expect, it } from 'vitest';
import { neighbourAffinities } from '../core/affinity';
import { createMaps } from '../core/maps';
import { affinityBoundary, evaluationSteps } from './walk_job';

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
