import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKBONE_MODEL_FILE, BACKBONE_MODEL_PACKAGE } from '../backbone';
import { HEAD_FILES } from '../model_set';
import { fileModelHandler, packageFilePath } from '../node_io';
import { useNodeWasmBackend } from '../node_wasm';
import { seededRandom } from '../../core/seeded_random';
import { FAKE_META, fakeModelSetHeads, memoryHandler } from '../testing/fake_model_set';
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

describe('loadPipeline from URLs', () => {
  let server: Server;
  let base: string;
  const files = new Map<string, Uint8Array>([
    ['/vendor/centernet.json', readFileSync(backboneJson)],
    ['/vendor/centernet.bin', readFileSync(backboneJson.replace(/\.json$/, '.bin'))],
    ['/models/fake/meta.json', new TextEncoder().encode(JSON.stringify(FAKE_META))],
  ]);
  for (const [kind, h] of Object.entries(heads)) {
    const modelPath = `/models/fake/${HEAD_FILES[kind as keyof typeof HEAD_FILES]}`;
    files.set(modelPath, new TextEncoder().encode(JSON.stringify(h.modelJson)));
    files.set(modelPath.replace('model.json', 'weights.bin'), h.weights);
  }

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
    const shardBytes = [...files].filter(([url]) => url.endsWith('.bin')).reduce((n, [, b]) => n + b.length, 0);
    expect(progress[0]).toEqual({ loaded: 0, total: shardBytes });
    expect(progress.at(-1)).toEqual({ loaded: shardBytes, total: shardBytes });
    expect(progress.every((p, i) => i === 0 || p.loaded >= progress[i - 1].loaded)).toBe(true);
    expect(pipeline.meta.id).toBe('fake');
    pipeline.dispose();
  });

  it('names the URL of a missing file', async () => {
    await expect(loadPipeline(`${base}/models/missing/`, undefined, { backboneUrl: `${base}/vendor/centernet.json` })).rejects.toThrow(
      `${base}/models/missing/meta.json: HTTP 404`,
    );
  });
});
