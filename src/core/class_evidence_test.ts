import { describe, expect, it } from 'vitest';
import { decodeCenterNet, evidenceSource, keptBoxRegions, placeChannels, placeScores, regionNamedClasses } from './class_evidence';
import { boxCams, objectness, withFallbackCams } from './testing/box_cams_reference';
import { mapsFrom } from './maps';

describe('objectness', () => {
  it('is the largest CAM at each cell', () => {
    expect(Array.from(objectness(mapsFrom(Float32Array.from([0.2, 1, 0, 0.5, 0.3, 0.1]), 2, 1, 3)))).toEqual([0.5, 1, 0.1].map(Math.fround));
  });
});

describe('boxCams', () => {
  const grid = { height: 2, width: 3 };
  const all = { height: 2, width: 3 };
  const select = { relative: 0.5, minScore: 0.1 };
  const eps = 1e-5;
  const cams = (detections: Parameters<typeof keptBoxRegions>[0], objectness: Float32Array, channels: number, region = all) =>
    boxCams(keptBoxRegions(detections, channels, 8, region, select), objectness, channels, grid);

  it('turns the kept boxes into cell regions: the cells whose centre lies inside, or the one under a small box', () => {
    // Cell centres at 4, 12, 20 (x) and 4, 12 (y); centres on the far edge are out, on the near edge in.
    const regions = keptBoxRegions(
      [
        { box: [4, 0, 20, 12], score: 0.8, channel: 1 },
        { box: [13, 1, 15, 3], score: 0.6, channel: 1 },
        { box: [-50, -50, 90, 90], score: 0.3, channel: 0 },
        { box: [0, 0, 24, 16], score: 0.35, channel: 1 },
      ],
      2, 8, { height: 2, width: 2 }, select,
    );
    expect(regions).toEqual([
      { channel: 1, weight: 1, y0: 0, y1: 1, x0: 0, x1: 2 },
      { channel: 1, weight: expect.closeTo(0.75, 12), y0: 0, y1: 1, x0: 1, x1: 2 },
      { channel: 0, weight: 1, y0: 0, y1: 2, x0: 0, x1: 2 },
    ]);
  });

  it("gives each kept box's cells its objectness over the box's own peak, times the score relative to the class's best", () => {
    // Cell centres at 4, 12, 20 (x) and 4, 12 (y); objectness row-major.
    const objectness = Float32Array.from([0.5, 0.25, 0.2, 0.9, 0.6, 0.1]);
    const out = cams(
      [
        { box: [0, 0, 13, 8], score: 0.8, channel: 1 }, // cells 0, 1: peak 0.5, weight 1
        { box: [16, 0, 24, 16], score: 0.6, channel: 1 }, // cells 2, 5: peak 0.2, weight 0.75
        { box: [0, 8, 8, 16], score: 0.3, channel: 1 }, // below half the best: dropped
        { box: [0, 0, 24, 16], score: 0.05, channel: 0 }, // below minScore: dropped
      ],
      objectness, 2,
    );
    expect(Array.from(out.data.subarray(0, 6))).toEqual([0, 0, 0, 0, 0, 0]);
    const expected = [0.5 / (0.5 + eps), 0.25 / (0.5 + eps), (0.75 * 0.2) / (0.2 + eps), 0, 0, (0.75 * 0.1) / (0.2 + eps)];
    out.data.subarray(6).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('lets a faint object reach its class peak beside a bright one', () => {
    const out = cams(
      [
        { box: [0, 0, 8, 8], score: 0.9, channel: 0 },
        { box: [16, 8, 24, 16], score: 0.9, channel: 0 },
      ],
      Float32Array.from([1, 0, 0, 0, 0, 0.05]), 1,
    );
    expect(out.data[0]).toBeCloseTo(1, 4);
    expect(out.data[5]).toBeCloseTo(1, 3);
  });

  it('keeps the larger value where boxes overlap, leaves padding empty and gives a box between centres the cell under its middle', () => {
    const objectness = Float32Array.from([1, 0.5, 1, 1, 1, 1]);
    const out = cams(
      [
        { box: [0, 0, 24, 16], score: 0.5, channel: 0 }, // cells 0, 1 of the 1x2 region; weight 0.5
        { box: [0, 0, 8, 8], score: 1, channel: 0 }, // cell 0 at 1
        { box: [13, 1, 15, 3], score: 1, channel: 1 }, // holds no centre: cell (0, 1)
      ],
      objectness, 2, { height: 1, width: 2 },
    );
    const c0 = [1 / (1 + eps), (0.5 * 0.5) / (1 + eps), 0, 0, 0, 0];
    out.data.subarray(0, 6).forEach((v, i) => expect(v).toBeCloseTo(c0[i], 6));
    expect(Array.from(out.data.subarray(6)).map((v) => Number(v.toFixed(4)))).toEqual([0, 1, 0, 0, 0, 0]);
    expect(() => boxCams([], new Float32Array(2), 1, grid)).toThrow(/2 cells/);
  });
});

describe('withFallbackCams', () => {
  it('keeps each class that has box evidence and gives the others their fallback CAM', () => {
    const boxes = mapsFrom(Float32Array.from([0, 0.5, 0, 0, 0, 0]), 3, 1, 2);
    const head = mapsFrom(Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), 3, 1, 2);
    expect(Array.from(withFallbackCams(boxes, head).data)).toEqual([0, 0.5, 0.3, 0.4, 0.5, 0.6].map(Math.fround));
    expect(Array.from(boxes.data)).toEqual([0, 0.5, 0, 0, 0, 0]);
    expect(() => withFallbackCams(boxes, mapsFrom(new Float32Array(4), 2, 1, 2))).toThrow(/2x1x2, the box CAMs 3x1x2/);
  });
});

describe("placing a head in the set's channels", () => {
  it('moves channel k to target[k] and fills the rest', () => {
    const maps = mapsFrom(Float32Array.from([1, 2, 3, 4]), 2, 1, 2);
    expect(Array.from(placeChannels(maps, [2, 0], 3, -7).data)).toEqual([3, 4, -7, -7, 1, 2]);
    expect(Array.from(placeScores(Float32Array.from([0.25, 0.5]), [2, 0], 3))).toEqual([0.5, 0, 0.25]);
    expect(() => placeChannels(maps, [0], 3)).toThrow(/2 channels, but 1 targets/);
  });
});

describe('evidenceSource', () => {
  it('takes the detector when it is sure of any class, the CAM head otherwise', () => {
    expect(evidenceSource(Float32Array.from([0.1, 0.45]), 0.4)).toBe('detector');
    expect(evidenceSource(Float32Array.from([0.1, 0.35]), 0.4)).toBe('cam-head');
  });
});

describe('decodeCenterNet', () => {
  it('turns each peak into a box around its cell corner, best first, dropping weak peaks', () => {
    // A 2-cell-wide grid at stride 4: cell 1 is (x 1, y 0), corner (4, 0); cell 2 is (x 0, y 1), corner (0, 4).
    const peaks = [
      { score: 0.5, cell: 2, channel: 1 },
      { score: 0.75, cell: 1, channel: 0 },
      { score: 0.05, cell: 3, channel: 0 },
    ];
    const sizes = Float32Array.from([3, 7, 11, 15, /* second peak */ 2, 6, 10, 14, /* third */ 4, 8, 12, 16]);
    expect(decodeCenterNet(peaks, sizes, 2, 4, 0.1)).toEqual([
      { box: [4 - 2, 0 - 6, 4 + 10, 0 + 14], score: 0.75, channel: 0 },
      { box: [0 - 3, 4 - 7, 0 + 11, 4 + 15], score: 0.5, channel: 1 },
    ]);
    expect(() => decodeCenterNet(peaks, new Float32Array(8), 2, 4, 0.1)).toThrow('box sizes must hold 4 values for each of 3 peaks, got 8');
  });
});

describe('regionNamedClasses', () => {
  // A 3x4 grid. Objectness peak 10: at share 0.5 the salient cells (>= 5) form
  // two 4-connected regions, {(0,0), (1,0), (1,1)} and {(0,3), (1,3)}; (2,2)
  // touches (1,1) only diagonally, so it is a third region of its own.
  const objectness = mapsFrom(Float32Array.from([
    6, 1, 1, 5,
    10, 7, 0, 9,
    0, 0, 8, 0,
  ]), 1, 3, 4);
  const heat = (values: number[][]) => mapsFrom(Float32Array.from(values.flat()), values.length, 3, 4);

  it("names each salient region's best class inside it when that reaches the minimum score", () => {
    const named = regionNamedClasses(objectness, heat([
      // class 0: strong outside every region (cell (0,1) is not salient)
      [0, 0.9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      // class 1: best in the left region (0.25 at (1,1)); in the right one 0.1
      [0.05, 0, 0, 0.1, 0, 0.25, 0, 0, 0, 0, 0, 0],
      // class 2: best in the right region (0.3 at (0,3)); in the left one 0.2
      [0.2, 0, 0, 0.3, 0, 0, 0, 0, 0, 0, 0, 0],
      // class 3: best at the lone diagonal cell (2,2), but only 0.15
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.15, 0],
    ]), { share: 0.5, minScore: 0.2 });
    expect(named).toEqual([1, 2]);
  });

  it('lets a lower share join the cells into one region, which names one class', () => {
    const named = regionNamedClasses(objectness, heat([
      [0, 0, 0, 0.4, 0, 0, 0, 0, 0, 0, 0, 0],
      [0.3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]), { share: 0, minScore: 0.2 });
    expect(named).toEqual([0]);
  });

  it('names nothing on an image without objectness, or where the best class is too weak', () => {
    const flat = mapsFrom(new Float32Array(12), 1, 3, 4);
    expect(regionNamedClasses(flat, heat([[0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]]), { share: 0.5, minScore: 0.2 })).toEqual([]);
    expect(regionNamedClasses(objectness, heat([[0.1, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 0.1, 0]]), { share: 0.5, minScore: 0.2 })).toEqual([]);
  });

  it('refuses heat on another grid', () => {
    expect(() => regionNamedClasses(objectness, mapsFrom(new Float32Array(4), 1, 2, 2), { share: 0.5, minScore: 0.2 })).toThrow('heat is 2x2');
  });
});
