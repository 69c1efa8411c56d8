import { describe, expect, it } from 'vitest';
import { scaleBox, scoreObjects } from './box_localisation';

// A 4x2 mask: class 8 on the left three pixels of the top row, class 12 bottom right.
const mask = Uint8Array.from([8, 8, 8, 0, 0, 0, 0, 12]);

describe('scoreObjects', () => {
  it('counts the labelled pixels inside the class boxes and the box covered', () => {
    // Box over the left 2x2: 2 of the 3 class-8 pixels inside (2/3); 2 of its 4 pixels covered (1/2).
    const [cat] = scoreObjects(mask, 4, 2, [{ classId: 8, box: [0, 0, 2, 2] }]);
    expect(cat.inside).toBeCloseTo(2 / 3, 12);
    expect(cat.covered).toBeCloseTo(1 / 2, 12);
    expect(cat.found).toBe(true);
  });

  it('misses an object whose class lies mostly outside its boxes, or covers too little of its box', () => {
    // 1 of 3 inside.
    expect(scoreObjects(mask, 4, 2, [{ classId: 8, box: [2, 0, 4, 2] }])[0]).toMatchObject({ inside: 1 / 3, found: false });
    // All of class 12 inside, but 1 of the 4 box pixels covered (0.25 < 0.3).
    expect(scoreObjects(mask, 4, 2, [{ classId: 12, box: [2, 0, 4, 2] }])[0]).toMatchObject({ inside: 1, covered: 0.25, found: false });
    // Nothing labelled with the class at all.
    expect(scoreObjects(mask, 4, 2, [{ classId: 15, box: [0, 0, 4, 2] }])[0]).toMatchObject({ inside: 0, covered: 0, found: false });
  });

  it("counts a pixel inside any of the class's boxes, so two objects of one class share their pixels", () => {
    const objects = [
      { classId: 8, box: [0, 0, 1, 1] as const },
      { classId: 8, box: [1, 0, 3, 1] as const },
    ];
    const scores = scoreObjects(mask, 4, 2, objects);
    expect(scores.map((s) => s.inside)).toEqual([1, 1]);
    expect(scores.map((s) => s.covered)).toEqual([1, 1]);
  });

  it('rejects a mask of the wrong size', () => {
    expect(() => scoreObjects(mask, 3, 2, [])).toThrow(/8 pixels, expected 3x2/);
  });
});

describe('scaleBox', () => {
  it('scales all four coordinates by the width ratio', () => {
    expect(scaleBox([10, 20, 30, 40], 1000, 500)).toEqual([5, 10, 15, 20]);
  });
});
