import { describe, expect, it } from 'vitest';
import { SYNTHETIC_META, SyntheticPipeline } from './synthetic_pipeline';

describe('SyntheticPipeline', () => {
  it('returns every output of the pipeline contract, on the grid, and says it is untrained', async () => {
    // A red square on grey.
    const width = 120, height = 80;
    const data = new Uint8ClampedArray(width * height * 4).fill(128);
    for (let y = 20; y < 60; y++) for (let x = 40; x < 80; x++) data.set([220, 30, 30, 255], (y * width + x) * 4);
    const stages: string[] = [];
    const result = await new SyntheticPipeline().run({ width, height, data }, (s) => stages.push(s));
    const grid = SYNTHETIC_META.inputSize / SYNTHETIC_META.gridStride;
    const classes = SYNTHETIC_META.classes.length;
    expect(SYNTHETIC_META.trained).toBe(false);
    expect(stages).toEqual(['backbone', 'cam', 'affinity', 'segmentation']);
    expect(result.cams).toMatchObject({ channels: classes, height: grid, width: grid });
    expect(result.segLogits).toMatchObject({ channels: classes + 1, height: grid, width: grid });
    expect(result.embedding).toMatchObject({ height: grid, width: grid });
    expect(result.classScores).toHaveLength(classes);
    expect(result.placement).toMatchObject({ imageWidth: width, imageHeight: height, width: 256, gridWidth: 32 });
    expect(Math.max(...result.cams.data)).toBeLessThanOrEqual(1);
  });
});
