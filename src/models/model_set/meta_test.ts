import { describe, expect, it } from 'vitest';
import { validateMeta } from './meta';

const minimal = { classes: [{ channel: 0, index: 8, name: 'cat' }, { channel: 1, index: 15, name: 'person' }] };
const exported = {
  ...minimal,
  name: 'default',
  inputSize: 512,
  gridStride: 8,
  defaults: { alpha: 16, beta: 8, steps: 256, radius: 5, camBgScore: 0.25, classThreshold: 0.3, camNormEps: 1e-5, alphaLow: 4, alphaHigh: 32 },
  training: { train_cam: { seconds: 600 } },
  eval: null,
};

const ownBackbone = { backbone: { format: 'affinitylab-backbone', file: 'backbone/model.json' } };

describe('validateMeta', () => {
  it('fills in every default; without training records the set counts as untrained', () => {
    expect(validateMeta(minimal, 'dev', 'm.json')).toEqual({
      id: 'dev',
      name: 'dev',
      classes: [{ voc: 8, name: 'cat' }, { voc: 15, name: 'person' }],
      inputSize: 512,
      gridStride: 8,
      segGridStride: 8,
      defaults: { alpha: 16, beta: 8, steps: 256, radius: 5, camBackground: 0.2, classThreshold: 0.5 },
      headClasses: { cam: [8, 15], seg: [8, 15] },
      trained: false,
    });
  });

  it("reads export_tfjs.py's format; provenance becomes a copied summary", () => {
    expect(validateMeta({ ...exported, segGridStride: 4 }, 'default', 'm.json').segGridStride).toBe(4);
    const meta = validateMeta(exported, 'default', 'm.json');
    expect(meta).toMatchObject({ name: 'default', trained: true, defaults: { alpha: 16, beta: 8, steps: 256, radius: 5, camBackground: 0.25, classThreshold: 0.3 } });
    expect(meta.summary).toEqual({ training: { train_cam: { seconds: 600 } }, eval: null });
    expect(meta.summary!.training).not.toBe(exported.training);
  });

  it("reads heads that know fewer classes than the set, and the detector's class evidence", () => {
    const evidence = { detector: 'centernet-coco', gate: 0.4, threshold: 0.3, beta: 32, boxes: { relative: 0.5, minScore: 0.1 }, regions: { share: 0.3, minScore: 0.2 } };
    const meta = validateMeta({ ...minimal, headClasses: { cam: [15] }, classEvidence: evidence }, 'default', 'm.json');
    expect(meta.headClasses).toEqual({ cam: [15], seg: [8, 15] });
    expect(meta.classEvidence).toEqual(evidence);
    expect(meta.summary).toBeUndefined();
  });

  it('lets a set with its own backbone run at another input size (fully convolutional)', () => {
    expect(validateMeta({ ...minimal, ...ownBackbone, inputSize: 256 }, 'scratch', 'm.json').inputSize).toBe(256);
    expect(validateMeta({ ...minimal, ...ownBackbone, inputSize: 1024 }, 'scratch', 'm.json').inputSize).toBe(1024);
  });

  it('lets an explicit trained flag win', () => {
    expect(validateMeta({ ...exported, trained: false }, 'default', 'm.json').trained).toBe(false);
  });

  it.each([
    [{}, 'm.json: classes must be a non-empty list of {channel, index, name}'],
    [{ classes: [{ channel: 0, index: 0, name: 'background' }] }, 'm.json: classes[0].index is 0; allowed: integers 1..20 (PASCAL VOC, 0 is background)'],
    [{ classes: [{ channel: 0, index: 8, name: 'dog' }] }, 'm.json: classes[0].name is "dog", but VOC index 8 is "cat"'],
    [{ classes: [{ channel: 0, index: 8, name: 'unicorn' }] }, 'm.json: classes[0].name is "unicorn", but VOC index 8 is "cat"'],
    [{ classes: [{ channel: 0, index: 21, name: 'unicorn' }] }, 'm.json: classes[0].index is 21; allowed: integers 1..20 (PASCAL VOC, 0 is background)'],
    [{ classes: [minimal.classes[1]] }, 'm.json: classes[0].channel is 1; classes must be listed in channel order (expected 0)'],
    [{ classes: [minimal.classes[0], { ...minimal.classes[0], channel: 1 }] }, 'm.json: classes lists VOC index 8 twice'],
    [{ ...minimal, inputSize: 256 }, 'm.json: inputSize is 256; supported: 512 (the CenterNet backbone)'],
    [{ ...minimal, ...ownBackbone, inputSize: 272 }, 'm.json: inputSize is 272; supported: multiples of 32 from 64 to 1024'],
    [{ ...minimal, ...ownBackbone, inputSize: 2048 }, 'm.json: inputSize is 2048; supported: multiples of 32 from 64 to 1024'],
    [{ ...minimal, gridStride: 4 }, 'm.json: gridStride is 4; supported: 8'],
    [{ ...minimal, segGridStride: 2 }, 'm.json: segGridStride is 2; supported: 8, 4'],
    [{ ...minimal, defaults: { gamma: 3 } }, 'm.json: defaults.gamma is not a parameter; known: alpha, beta, steps, radius, camBgScore, classThreshold, camNormEps, alphaLow, alphaHigh'],
    [{ ...minimal, defaults: { camNormEps: 1e-6 } }, 'm.json: defaults.camNormEps is 0.000001; supported: 0.00001'],
    [{ ...minimal, defaults: { alphaLow: 0 } }, 'm.json: defaults.alphaLow is 0; allowed: a number > 0'],
    [{ ...minimal, defaults: { steps: 2.5 } }, 'm.json: defaults.steps is 2.5; allowed: an integer >= 0'],
    [{ ...minimal, defaults: { camBgScore: 2 } }, 'm.json: defaults.camBgScore is 2; allowed: a number in [0, 1]'],
    [{ ...minimal, defaults: { classThreshold: 1.5 } }, 'm.json: defaults.classThreshold is 1.5; allowed: a number in [0, 1]'],
    [{ ...minimal, defaults: { beta: -1 } }, 'm.json: defaults.beta is -1; allowed: a number > 0'],
    [{ ...minimal, trained: 'yes' }, 'm.json: trained must be true or false'],
    [{ ...minimal, headClasses: { seg: [8, 12] } }, "m.json: headClasses.seg[1] is 12; allowed: the set's classes (8, 15)"],
    [{ ...minimal, headClasses: { cam: [8, 8] } }, 'm.json: headClasses.cam lists VOC index 8 twice'],
    [{ ...minimal, classEvidence: { detector: 'yolo', gate: 0.4, threshold: 0.3, boxes: { relative: 0.5, minScore: 0.1 } } }, 'm.json: classEvidence.detector is "yolo"; supported: "centernet-coco"'],
    [{ ...minimal, classEvidence: { detector: 'centernet-coco', gate: 4, threshold: 0.3, boxes: { relative: 0.5, minScore: 0.1 } } }, 'm.json: classEvidence.gate is 4; allowed: a number in [0, 1]'],
    [{ ...minimal, classEvidence: { detector: 'centernet-coco', gate: 0.4, threshold: 0.3 } }, 'm.json: classEvidence.boxes must be a JSON object'],
    [
      { ...minimal, classEvidence: { detector: 'centernet-coco', gate: 0.4, threshold: 0.3, boxes: { relative: 0.5, minScore: 0.1 }, regions: { share: 0.3, minScore: 2 } } },
      'm.json: classEvidence.regions.minScore is 2; allowed: a number in [0, 1]',
    ],
    [{ ...minimal, classEvidence: { detector: 'centernet-coco', gate: 0.4, threshold: 0.3, boxes: { relative: 2, minScore: 0 } } }, 'm.json: classEvidence.boxes.relative is 2; allowed: a number in [0, 1]'],
    [{ ...minimal, classEvidence: { detector: 'centernet-coco', gate: 0.4, threshold: 0.3, beta: -1, boxes: { relative: 0.5, minScore: 0.1 } } }, 'm.json: classEvidence.beta is -1; allowed: a positive number'],
    [{ ...minimal, ...ownBackbone, classEvidence: { detector: 'centernet-coco', gate: 0.4, threshold: 0.3, boxes: { relative: 0.5, minScore: 0.1 } } }, 'm.json: classEvidence needs the CenterNet backbone (its detector head); this set has its own backbone'],
    [[], 'm.json must be a JSON object'],
  ])('rejects %j', (json, message) => {
    expect(() => validateMeta(json, 'default', 'm.json')).toThrow(message);
  });
});
