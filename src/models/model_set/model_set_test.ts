import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LayerBackbone } from '../backbone';
import { HEAD_KINDS, type HeadKind } from '../heads';
import { useNodeWasmBackend } from '../node_wasm';
import { BACKBONE_TAP_CHANNELS, FAKE_META, fakeHeadFiles, fakeHeadLayers, memoryHandler } from '../testing/fake_model_set';
import { tinyLayerBackbone } from '../testing/tiny_layer_backbone';
import { ownBackboneFile } from './backbone_source';
import { loadModelSet, type ModelSetSource } from './model_set';

const OWN = { format: 'affinitylab-backbone', file: 'backbone/model.json' };

describe('ownBackboneFile', () => {
  it('reads the own backbone of a set and leaves graph-backed sets alone', () => {
    expect(ownBackboneFile({ backbone: OWN }, 'm.json')).toBe('backbone/model.json');
    expect(ownBackboneFile({ backbone: { package: '@vladmandic/human@3.3.6', file: 'models/centernet.json' } }, 'm.json')).toBeUndefined();
    expect(ownBackboneFile({}, 'm.json')).toBeUndefined();
  });

  it('names the field and the allowed values', () => {
    expect(() => ownBackboneFile({ backbone: { format: 'graph-model', file: 'x.json' } }, 'm.json')).toThrow('m.json: backbone.format is "graph-model"; supported: "affinitylab-backbone"');
    expect(() => ownBackboneFile({ backbone: { ...OWN, file: '../other/model.json' } }, 'm.json')).toThrow('backbone.file must be a path inside the model-set folder');
  });
});

describe('loadModelSet with its own backbone', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  const source = (tapChannels: Record<string, number>): ModelSetSource => {
    const layers = fakeHeadLayers(FAKE_META.classes.length);
    return {
      id: 'tiny',
      meta: { ...FAKE_META, backbone: OWN },
      backbone: tinyLayerBackbone(2).handler,
      heads: Object.fromEntries(HEAD_KINDS.map((kind, i) => [kind, memoryHandler(fakeHeadFiles(kind, layers[kind], tapChannels, 5 + i))])) as Record<HeadKind, ReturnType<typeof memoryHandler>>,
    };
  };

  it('runs the backbone meta.json names and checks the heads against its taps', async () => {
    const set = await loadModelSet(source({ fpn_s8: 4, bb_s8: 4, bb_s16: 4, bb_s32: 6 }));
    expect(set.backbone).toBeInstanceOf(LayerBackbone);
    expect(set.backbone.tapShapes.bb_s32).toEqual({ channels: 6, stride: 4 });
    set.dispose();
  });

  it('rejects a meta.json whose classes disagree with the heads, naming both files, and frees what loaded', async () => {
    const before = tf.memory().numTensors;
    const twoClasses = { ...source({ fpn_s8: 4, bb_s8: 4, bb_s16: 4, bb_s32: 6 }), meta: { ...FAKE_META, backbone: OWN, classes: FAKE_META.classes.slice(0, 2) } };
    await expect(loadModelSet(twoClasses)).rejects.toThrow('tiny/cam/model.json: the CAM head outputs 3 channels, but tiny/meta.json gives it 2 classes (headClasses.cam, else classes)');
    const segLess = { ...source({ fpn_s8: 4, bb_s8: 4, bb_s16: 4, bb_s32: 6 }), meta: { ...FAKE_META, backbone: OWN, headClasses: { seg: [8, 12] } } };
    await expect(loadModelSet(segLess)).rejects.toThrow('tiny/seg/model.json: the segmentation head outputs 4 channels; expected 3: background and the 2 classes tiny/meta.json gives it');
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects heads trained on another backbone's taps", async () => {
    await expect(loadModelSet(source(BACKBONE_TAP_CHANNELS))).rejects.toThrow("trained on fpn_s8 with 192 channels; this backbone's fpn_s8 has 4");
  });
});

const AFF_OWN = { format: 'affinitylab-backbone', file: 'aff_backbone/model.json' };

describe('ownBackboneFile for the affinity backbone', () => {
  it('is optional, but always an own backbone file when present', () => {
    expect(ownBackboneFile({ backbone: OWN }, 'm.json', 'affBackbone')).toBeUndefined();
    expect(ownBackboneFile({ affBackbone: AFF_OWN }, 'm.json', 'affBackbone')).toBe('aff_backbone/model.json');
    expect(() => ownBackboneFile({ affBackbone: { file: 'x.json' } }, 'm.json', 'affBackbone')).toThrow('m.json: affBackbone.format is undefined; supported: "affinitylab-backbone"');
    expect(() => ownBackboneFile({ affBackbone: 'aff_backbone/model.json' }, 'm.json', 'affBackbone')).toThrow('m.json: affBackbone must be a JSON object');
    expect(() => ownBackboneFile({ affBackbone: { ...AFF_OWN, file: '/etc/model.json' } }, 'm.json', 'affBackbone')).toThrow('affBackbone.file must be a path inside the model-set folder');
  });
});

describe('loadModelSet with an affinity backbone', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  // The affinity backbone's bb_s32 tap is a 4-channel layer; the shared backbone's has 6.
  const affTaps = { fpn_s8: 4, bb_s8: 4, bb_s16: 4, bb_s32: 4 };
  const sharedTaps = { fpn_s8: 4, bb_s8: 4, bb_s16: 4, bb_s32: 6 };
  const narrowS32 = (json: Record<string, unknown>) => {
    (json.modelTopology as { taps: Record<string, unknown> }).taps.bb_s32 = { layer: 'sum', stride: 2 };
  };
  const source = (affHeadTaps: Record<string, number>, withAffFile = true): ModelSetSource => {
    const layers = fakeHeadLayers(FAKE_META.classes.length);
    const files = (kind: HeadKind, i: number) => fakeHeadFiles(kind, layers[kind], kind === 'aff' ? affHeadTaps : sharedTaps, 5 + i);
    return {
      id: 'tiny',
      meta: { ...FAKE_META, backbone: OWN, affBackbone: AFF_OWN },
      backbone: tinyLayerBackbone(2).handler,
      ...(withAffFile ? { affBackbone: tinyLayerBackbone(3, narrowS32).handler } : {}),
      heads: Object.fromEntries(HEAD_KINDS.map((kind, i) => [kind, memoryHandler(files(kind, i))])) as Record<HeadKind, ReturnType<typeof memoryHandler>>,
    };
  };

  it('checks the affinity head against the affinity backbone and the others against the shared one', async () => {
    const set = await loadModelSet(source(affTaps));
    expect(set.backbone.tapShapes.bb_s32.channels).toBe(6);
    expect(set.affBackbone?.tapShapes.bb_s32.channels).toBe(4);
    set.dispose();
    await expect(loadModelSet(source(sharedTaps))).rejects.toThrow("trained on bb_s32 with 6 channels; this backbone's bb_s32 has 4");
  });

  it('says which file is missing when meta.json names an affinity backbone the source lacks', async () => {
    await expect(loadModelSet(source(affTaps, false))).rejects.toThrow('tiny/meta.json names affBackbone aff_backbone/model.json, but no file was given for it');
  });
});
