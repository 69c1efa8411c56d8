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

  it("rejects heads trained on another backbone's taps", async () => {
    await expect(loadModelSet(source(BACKBONE_TAP_CHANNELS))).rejects.toThrow("trained on fpn_s8 with 192 channels; this backbone's fpn_s8 has 4");
  });
});
