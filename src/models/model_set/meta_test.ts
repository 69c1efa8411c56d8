import { describe, expect, it } from 'vitest';
import { validateMeta } from './meta';

const minimal = { classes: [{ voc: 8, name: 'cat' }, { voc: 15, name: 'person' }] };

describe('validateMeta', () => {
  it('fills in every default and does not share objects with its input', () => {
    const input = { ...minimal, summary: { data: { images: 2000 } } };
    const meta = validateMeta(input, 'default', 'm.json');
    expect(meta).toEqual({
      id: 'default',
      name: 'default',
      classes: minimal.classes,
      inputSize: 512,
      gridStride: 8,
      defaults: { alpha: 16, beta: 8, steps: 256, radius: 5, camBackground: 0.2 },
      trained: false,
      summary: { data: { images: 2000 } },
    });
    expect(meta.summary).not.toBe(input.summary);
  });

  it('keeps given parameters', () => {
    const meta = validateMeta({ ...minimal, name: 'COCO backbone', trained: true, defaults: { alpha: 24, steps: 0 } }, 'default', 'm.json');
    expect(meta).toMatchObject({ name: 'COCO backbone', trained: true, defaults: { alpha: 24, beta: 8, steps: 0 } });
  });

  it.each([
    [{}, 'm.json: classes must be a non-empty list of {voc, name}'],
    [{ classes: [{ voc: 0, name: 'background' }] }, 'm.json: classes[0].voc is 0; allowed: integers 1..20 (PASCAL VOC, 0 is background)'],
    [{ classes: [{ voc: 8, name: 'dog' }] }, 'm.json: classes[0].name is "dog", but VOC index 8 is "cat"'],
    [{ classes: [minimal.classes[0], minimal.classes[0]] }, 'm.json: classes lists VOC index 8 twice'],
    [{ ...minimal, inputSize: 448 }, 'm.json: inputSize is 448; supported: 512'],
    [{ ...minimal, gridStride: 4 }, 'm.json: gridStride is 4; supported: 8'],
    [{ ...minimal, defaults: { gamma: 3 } }, 'm.json: defaults.gamma is not a parameter; known: alpha, beta, steps, radius, camBackground'],
    [{ ...minimal, defaults: { steps: 2.5 } }, 'm.json: defaults.steps is 2.5; allowed: an integer >= 0'],
    [{ ...minimal, defaults: { camBackground: 2 } }, 'm.json: defaults.camBackground is 2; allowed: a number in [0, 1]'],
    [{ ...minimal, defaults: { beta: -1 } }, 'm.json: defaults.beta is -1; allowed: a number > 0'],
    [{ ...minimal, trained: 'yes' }, 'm.json: trained must be true or false'],
    [[], 'm.json must be a JSON object'],
  ])('rejects %j', (json, message) => {
    expect(() => validateMeta(json, 'default', 'm.json')).toThrow(message);
  });
});
