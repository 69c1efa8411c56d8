import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleBox, scoreObjects } from '../../core/box_localisation';
import { VOC_CLASSES } from '../../core/constants';
import { boxIou } from '../../core/testing/box_iou';
import { keptByEvidence, stageMasks } from '../../core/masks';
import { resizeLabelsNearest } from '../../core/label_maps';
import { decodeImage } from '../../io/node_image_decode';
import { decodeLabelPng } from '../../io/label_png';
import { modelSetFromDir } from '../node_model_set';
import { useNodeWasmBackend } from '../node_wasm';
import { resultParameters } from './image_masks';
import { loadPipeline } from './pipeline';
import { maskGeometry } from './mask_geometry';

/**
 * The shipped default set on a real photograph and on one of its clip-art
 * composites: which source names the classes, and whether the detector's
 * evidence lands on the object of the hand-drawn box in eval/real/photos.json.
 */
const ROOT = path.join(__dirname, '..', '..', '..');
const dog = JSON.parse(readFileSync(path.join(ROOT, 'eval/real/photos.json'), 'utf8')).find((p: { file: string }) => p.file === 'dog_daisy.jpg');

describe('default set: class evidence', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  it('lets the detector name the dog of a photograph, puts its CAM on the dog, and frees every tensor', async () => {
    const baseline = tf.memory().numTensors;
    const pipeline = await loadPipeline(modelSetFromDir(path.join(ROOT, 'models/default')));
    const { meta } = pipeline;
    expect(meta.classes.map((c) => c.voc)).toEqual(VOC_CLASSES.map((_, i) => i).slice(1));
    const image = await decodeImage(readFileSync(path.join(ROOT, 'eval/real', dog.file)));
    const result = await pipeline.run(image);
    pipeline.dispose();
    expect(tf.memory().numTensors).toBe(baseline);

    // The detector's box CAMs walk with the set's sharper beta for them, and the salient region on the dog names the dog too (docs/algorithm.md §1b).
    const { boxes, ...evidence } = result.classEvidence;
    expect(evidence).toEqual({ source: 'detector', threshold: meta.classEvidence!.threshold, beta: 32, named: [meta.classes.findIndex((c) => c.name === 'dog')] });
    const keep = keptByEvidence(result.classScores, result.classEvidence);
    expect(keep.map((c) => meta.classes[c].name)).toEqual(['dog']);

    // The one box that became the dog's CAM (shown by the CAM view) matches the hand-drawn box: IoU > 0.7 at the grid's resolution.
    const { placement } = result;
    const box = scaleBox(dog.objects[0].box, image.width, placement.width);
    expect(boxes).toHaveLength(1);
    const { channel, weight, x0, y0, x1, y1 } = boxes![0];
    expect([channel, weight]).toEqual([keep[0], 1]);
    const s = meta.gridStride;
    expect(boxIou([x0 * s, y0 * s, x1 * s, y1 * s], box)).toBeGreaterThan(0.7);

    // Most of the dog CAM's mass lies on grid cells whose centre is inside the hand-drawn box.
    const { cams } = result;
    const { width, height } = cams;
    const n = width * height;
    let inside = 0;
    let total = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = cams.data[keep[0] * n + y * width + x];
        const [cx, cy] = [(x + 0.5) * meta.gridStride, (y + 0.5) * meta.gridStride];
        total += v;
        if (cx >= box[0] && cx < box[2] && cy >= box[1] && cy < box[3]) inside += v;
      }
    }
    expect(inside / total).toBeGreaterThan(0.9);

    // The revised CAM finds the dog by the check set's rule.
    const [masks] = stageMasks(result, maskGeometry(meta, placement), [keep], resultParameters({ ...meta.defaults, order: 'psa' }, result));
    const [score] = scoreObjects(masks.rw, placement.width, placement.height, [{ classId: 12, box }]);
    expect(score.found).toBe(true);
  });

  it('leaves a clip-art composite to the CAM head, whose classes the segmentation head is asked about and finds', async () => {
    const pipeline = await loadPipeline(modelSetFromDir(path.join(ROOT, 'models/default')));
    const { meta } = pipeline;
    const image = await decodeImage(readFileSync(path.join(ROOT, 'public/samples/val-cow-cat.jpg')));
    const result = await pipeline.run(image);
    pipeline.dispose();
    expect(result.classEvidence).toEqual({ source: 'cam-head', threshold: meta.defaults.classThreshold, beta: meta.defaults.beta });
    // The composites hold all 20 classes, so both heads know every class of the set.
    expect(meta.headClasses.cam).toEqual(meta.classes.map((c) => c.voc));
    // No score reaches 0.5 here, so the best class alone is kept: the cow.
    const keep = keptByEvidence(result.classScores, result.classEvidence);
    expect(keep.map((c) => meta.classes[c].name)).toEqual(['cow']);
    // The CAM-guided head has logits for the kept class only; every other class sits below it.
    const n = result.segLogits.height * result.segLogits.width;
    for (let k = 0; k < meta.classes.length; k++) {
      if (!keep.includes(k)) expect(result.segLogits.data.subarray((1 + k) * n, (2 + k) * n).every((v) => v === -1e9)).toBe(true);
    }
    // Its mask finds the cow by the check set's rule, with the box around the cow's ground-truth pixels.
    const truth = decodeLabelPng(readFileSync(path.join(ROOT, 'public/samples/val-cow-cat.png'))).labels;
    const box: [number, number, number, number] = [image.width, image.height, 0, 0];
    truth.forEach((v, i) => {
      if (v !== 10) return;
      const [x, y] = [i % image.width, Math.floor(i / image.width)];
      [box[0], box[1], box[2], box[3]] = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x + 1), Math.max(box[3], y + 1)];
    });
    const [masks] = stageMasks(result, maskGeometry(meta, result.placement), [keep], { ...meta.defaults, order: 'psa' });
    const final = resizeLabelsNearest(masks.final, result.placement.width, result.placement.height, image.width, image.height);
    const [score] = scoreObjects(final, image.width, image.height, [{ classId: 10, box }]);
    expect(score.found).toBe(true);
  });
});
