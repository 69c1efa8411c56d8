import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKBONE_MODEL_FILE, BACKBONE_MODEL_PACKAGE } from '../backbone';
import { HEAD_FILES } from '../model_set';
import { packageFilePath } from '../../io/node_package_path';
import { fileModelHandler } from '../node_io';
import { useNodeWasmBackend } from '../node_wasm';
import { seededRandom } from '../../core/seeded_random';
import { FAKE_META, fakeHeadFiles, fakeHeadLayers, fakeModelSetHeads, memoryHandler } from '../testing/fake_model_set';
import { tinyLayerBackbone } from '../testing/tiny_layer_backbone';
import { HEAD_KINDS, type HeadKind } from '../heads';
import { keptClasses } from '../../core/masks';
import { loadPipeline } from './pipeline';
import type { LoadProgress, PipelineStage } from './types';

const backboneJson = packageFilePath(BACKBONE_MODEL_PACKAGE, BACKBONE_MODEL_FILE);
const heads = fakeModelSetHeads(5);

function randomImage(width: number, height: number, seed: number) {
  const random = seededRandom(seed);
  return { width, height, data: Uint8Array.from({ length: width * height * 4 }, () => Math.floor(random() * 256)) };
}

describe('loadPipeline + run (real backbone, fake heads)', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  it('returns grid maps of the right shapes, finite, normalised, and frees every tensor', async () => {
    const baseline = tf.memory().numTensors;
    const pipeline = await loadPipeline({
      id: 'fake',
      meta: FAKE_META,
      backbone: fileModelHandler(backboneJson),
      heads: { cam: memoryHandler(heads.cam), aff: memoryHandler(heads.aff), seg: memoryHandler(heads.seg) },
    });
    expect(pipeline.meta).toMatchObject({ id: 'fake', inputSize: 512, gridStride: 8, trained: false, defaults: { alpha: 16, beta: 8, steps: 256, radius: 5, camBackground: 0.2 } });

    const stages: PipelineStage[] = [];
    // 300x200 -> 512x341 in the input, 64x43 valid grid cells.
    const result = await pipeline.run(randomImage(300, 200, 1), (s) => stages.push(s));
    expect(stages).toEqual(['backbone', 'cam', 'affinity', 'segmentation']);
    expect(result.placement).toEqual({ imageWidth: 300, imageHeight: 200, width: 512, height: 341, gridWidth: 64, gridHeight: 43 });
    expect([result.cams.channels, result.cams.height, result.cams.width]).toEqual([3, 64, 64]);
    expect([result.embedding.channels, result.embedding.height, result.embedding.width]).toEqual([6, 64, 64]);
    expect([result.segLogits.channels, result.segLogits.height, result.segLogits.width]).toEqual([4, 64, 64]);
    expect(result.classScores.length).toBe(3);
    for (const values of [result.cams.data, result.embedding.data, result.segLogits.data, result.classScores]) {
      expect(values.every(Number.isFinite)).toBe(true);
    }
    expect(Array.from(result.classScores).every((s) => s > 0 && s < 1)).toBe(true);
    expect(Object.keys(result.timings).sort()).toEqual(['affinity', 'backbone', 'cam', 'segmentation']);

    // Per class: max over the valid cells is ~1 (or all zero), cells in the padding are 0.
    const n = 64 * 64;
    for (let c = 0; c < 3; c++) {
      const channel = result.cams.data.subarray(c * n, (c + 1) * n);
      let peak = 0;
      channel.forEach((v, i) => {
        const inside = Math.floor(i / 64) < 43;
        if (inside) peak = Math.max(peak, v);
        else expect(v).toBe(0);
        expect(v).toBeGreaterThanOrEqual(0);
      });
      if (peak > 0) expect(peak).toBeCloseTo(1, 3);
    }

    pipeline.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('rejects RGBA data of the wrong length', async () => {
    const pipeline = await loadPipeline({
      id: 'fake',
      meta: FAKE_META,
      backbone: fileModelHandler(backboneJson),
      heads: { cam: memoryHandler(heads.cam), aff: memoryHandler(heads.aff), seg: memoryHandler(heads.seg) },
    });
    await expect(pipeline.run({ width: 4, height: 4, data: new Uint8Array(10) })).rejects.toThrow(/needs 64 bytes, got 10/);
    pipeline.dispose();
  });
});

// The tiny backbone with its stem at stride 8, so that its taps lie on the meta's grid.
const onGrid = (json: Record<string, unknown>) => {
  const topology = json.modelTopology as { layers: { name: string; stride?: number }[]; taps: Record<string, { stride: number }> };
  topology.layers.find((l) => l.name === 'stem')!.stride = 8;
  for (const tap of Object.values(topology.taps)) tap.stride *= 4;
};
const TINY_TAPS = { fpn_s8: 4, bb_s8: 4, bb_s16: 4, bb_s32: 6 };
/** The three fake heads for the tiny backbone's taps. */
const tinyHeadFiles = (seed: number) => {
  const layers = fakeHeadLayers(FAKE_META.classes.length);
  return Object.fromEntries(HEAD_KINDS.map((kind, i) => [kind, fakeHeadFiles(kind, layers[kind], TINY_TAPS, seed + i)]));
};

describe('loadPipeline with an affinity backbone', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  const tinyHeads = tinyHeadFiles(9);
  const own = (file: string) => ({ format: 'affinitylab-backbone', file });
  const pipelineOf = (shared: number, aff?: number) =>
    loadPipeline({
      id: 'tiny',
      meta: { ...FAKE_META, inputSize: 64, backbone: own('backbone/model.json'), ...(aff === undefined ? {} : { affBackbone: own('aff_backbone/model.json') }) },
      backbone: tinyLayerBackbone(shared, onGrid).handler,
      ...(aff === undefined ? {} : { affBackbone: tinyLayerBackbone(aff, onGrid).handler }),
      heads: Object.fromEntries(HEAD_KINDS.map((kind) => [kind, memoryHandler(tinyHeads[kind])])) as Record<HeadKind, tf.io.IOHandler>,
    });

  it('embeds with the affinity backbone and classifies and segments with the shared one', async () => {
    const baseline = tf.memory().numTensors;
    const image = randomImage(50, 40, 3);
    const both = await pipelineOf(2, 3);
    const result = await both.run(image);
    both.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
    // The same heads on a set whose only backbone is either of the two.
    const [sharedOnly, affOnly] = await Promise.all([pipelineOf(2), pipelineOf(3)]);
    const [fromShared, fromAff] = [await sharedOnly.run(image), await affOnly.run(image)];
    sharedOnly.dispose();
    affOnly.dispose();
    expect([result.embedding.channels, result.embedding.height, result.embedding.width]).toEqual([6, 8, 8]);
    expect(Array.from(result.embedding.data)).toEqual(Array.from(fromAff.embedding.data));
    expect(Array.from(result.embedding.data)).not.toEqual(Array.from(fromShared.embedding.data));
    expect(Array.from(result.cams.data)).toEqual(Array.from(fromShared.cams.data));
    expect(Array.from(result.segLogits.data)).toEqual(Array.from(fromShared.segLogits.data));
    expect(Array.from(result.segLogits.data)).not.toEqual(Array.from(fromAff.segLogits.data));
  });
});

describe('loadPipeline with a CAM-guided segmentation head', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  const tinyHeads = tinyHeadFiles(21);

  /** A guided head whose logit for a class is, by hand-set weights, that class's CAM itself. */
  function camEchoHead() {
    const conv = (name: string, input: string, filters: number) => ({ name, type: 'conv2d' as const, input, kernel: 1, dilation: 1, padding: 'same' as const, filters, bias: true, activation: 'relu' as const });
    const files = fakeHeadFiles('seg', [conv('trunk', 'fpn_s8', 3), conv('evidence', 'concat(trunk,class_cam)', 1), { ...conv('out', 'evidence', 1), activation: 'linear' }], { ...TINY_TAPS, class_cam: 1 }, 3);
    const topology = files.modelJson.modelTopology as { inputs: { tap: string }[]; classMap?: string };
    topology.inputs = topology.inputs.filter((i) => i.tap !== 'class_cam');
    topology.classMap = 'class_cam';
    const weights = new Float32Array(files.weights.buffer.slice(files.weights.byteOffset, files.weights.byteOffset + files.weights.byteLength));
    // Layout: trunk kernel 12 + bias 3, evidence kernel 4 (trunk x3, then the CAM) + bias 1, out kernel 1 + bias 1.
    weights.set([0, 0, 0, 1, 0, 1, 0], 15);
    return { ...files, weights: new Uint8Array(weights.buffer) };
  }

  it('asks the head about the kept classes only: background 0, each kept class its CAM, the rest never wins', async () => {
    const baseline = tf.memory().numTensors;
    const pipeline = await loadPipeline({
      id: 'tiny',
      meta: { ...FAKE_META, inputSize: 64, backbone: { format: 'affinitylab-backbone', file: 'backbone/model.json' } },
      backbone: tinyLayerBackbone(2, onGrid).handler,
      heads: { cam: memoryHandler(tinyHeads.cam), aff: memoryHandler(tinyHeads.aff), seg: memoryHandler(camEchoHead()) },
    });
    const result = await pipeline.run(randomImage(50, 40, 3));
    pipeline.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
    const n = 8 * 8;
    const keep = keptClasses(result.classScores, result.classEvidence.threshold);
    expect(keep.length).toBeGreaterThan(0);
    expect(result.segLogits.channels).toBe(4);
    expect(Array.from(result.segLogits.data.subarray(0, n))).toEqual(new Array(n).fill(0));
    for (let c = 0; c < 3; c++) {
      const logits = Array.from(result.segLogits.data.subarray((c + 1) * n, (c + 2) * n));
      if (!keep.includes(c)) {
        expect(logits).toEqual(new Array(n).fill(-1e9));
        continue;
      }
      const cam = result.cams.data.subarray(c * n, (c + 1) * n);
      logits.forEach((v, i) => expect(v).toBeCloseTo(cam[i], 5));
    }
  });
});

describe('loadPipeline from URLs', () => {
  let server: Server;
  let base: string;
  const files = new Map<string, Uint8Array>([
    ['/vendor/centernet.json', readFileSync(backboneJson)],
    ['/vendor/centernet.bin', readFileSync(backboneJson.replace(/\.json$/, '.bin'))],
    ['/models/fake/meta.json', new TextEncoder().encode(JSON.stringify(FAKE_META))],
  ]);
  const addModel = (modelPath: string, modelJson: string, weights: Uint8Array) => {
    files.set(modelPath, new TextEncoder().encode(modelJson));
    files.set(modelPath.replace('model.json', 'weights.bin'), weights);
  };
  for (const [kind, h] of Object.entries(heads)) addModel(`/models/fake/${HEAD_FILES[kind as keyof typeof HEAD_FILES]}`, JSON.stringify(h.modelJson), h.weights);
  // The same set plus an affinity backbone (the tiny one) whose taps the affinity head reads.
  const affHead = fakeHeadFiles('aff', fakeHeadLayers(FAKE_META.classes.length).aff, { bb_s8: 4, bb_s16: 4, bb_s32: 6 }, 7);
  const tiny = tinyLayerBackbone(3);
  files.set('/models/fake-aff/meta.json', new TextEncoder().encode(JSON.stringify({ ...FAKE_META, affBackbone: { format: 'affinitylab-backbone', file: 'aff_backbone/model.json' } })));
  addModel('/models/fake-aff/aff_backbone/model.json', tiny.modelJson, tiny.bytes);
  addModel('/models/fake-aff/aff/model.json', JSON.stringify(affHead.modelJson), affHead.weights);
  for (const kind of ['cam', 'seg'] as const) addModel(`/models/fake-aff/${HEAD_FILES[kind]}`, JSON.stringify(heads[kind].modelJson), heads[kind].weights);

  beforeAll(async () => {
    await useNodeWasmBackend();
    server = createServer((req, res) => {
      const body = files.get(req.url ?? '');
      res.writeHead(body ? 200 : 404, body ? { 'Content-Length': body.length } : {});
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => server?.close());

  it('streams every shard with one byte count whose total is known from the start', async () => {
    const progress: LoadProgress[] = [];
    const pipeline = await loadPipeline(`${base}/models/fake/`, (p) => progress.push(p), { backboneUrl: `${base}/vendor/centernet.json` });
    const shardBytes = [...files].filter(([url]) => url.endsWith('.bin') && !url.startsWith('/models/fake-aff/')).reduce((n, [, b]) => n + b.length, 0);
    expect(progress[0]).toEqual({ loaded: 0, total: shardBytes });
    expect(progress.at(-1)).toEqual({ loaded: shardBytes, total: shardBytes });
    expect(progress.every((p, i) => i === 0 || p.loaded >= progress[i - 1].loaded)).toBe(true);
    expect(pipeline.meta.id).toBe('fake');
    pipeline.dispose();
  });

  it('counts the affinity backbone in the byte total and loads it', async () => {
    const progress: LoadProgress[] = [];
    const pipeline = await loadPipeline(`${base}/models/fake-aff/`, (p) => progress.push(p), { backboneUrl: `${base}/vendor/centernet.json` });
    const shardBytes = [...files].filter(([url]) => url.endsWith('.bin') && !url.startsWith('/models/fake/')).reduce((n, [, b]) => n + b.length, 0);
    expect(progress[0]).toEqual({ loaded: 0, total: shardBytes });
    expect(progress.at(-1)).toEqual({ loaded: shardBytes, total: shardBytes });
    pipeline.dispose();
  });

  it('names the URL of a missing file', async () => {
    await expect(loadPipeline(`${base}/models/missing/`, undefined, { backboneUrl: `${base}/vendor/centernet.json` })).rejects.toThrow(
      `${base}/models/missing/meta.json: HTTP 404`,
    );
  });
});
