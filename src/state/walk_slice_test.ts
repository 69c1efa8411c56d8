import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_STEPS } from '../core/constants';
import { SYNTHETIC_META } from '../models/synthetic_pipeline';
import type { Analysis } from './model_slice';
import { useLabStore } from './store';
import { carryT } from './walk_slice';

describe('carryT', () => {
  it('keeps showing the last step when the user left t at the end', () => {
    expect(carryT(DEFAULT_STEPS, DEFAULT_STEPS, DEFAULT_STEPS)).toBe(DEFAULT_STEPS);
    expect(carryT(256, 256, 64)).toBe(64);
    expect(carryT(64, 64, 256)).toBe(256);
  });

  it('keeps a step the user chose, within the new walk', () => {
    expect(carryT(0, 256, 256)).toBe(0);
    expect(carryT(10, 256, 64)).toBe(10);
    expect(carryT(100, 256, 64)).toBe(64);
  });
});

describe('the store', () => {
  it('starts with t at the last step, so the first result shows where the walk ends', () => {
    const { t, steps } = useLabStore.getState();
    expect(t).toBe(steps);
  });
});

describe('beta', () => {
  it("follows each image's class evidence until the user moves it", async () => {
    const posted: unknown[] = [];
    vi.stubGlobal(
      'Worker',
      class {
        onmessage = null;
        onerror = null;
        postMessage(message: unknown) {
          posted.push(message);
        }
        addEventListener() {}
        terminate() {}
      },
    );
    const { createMaps } = await import('../core/maps');
    const cams = createMaps(SYNTHETIC_META.classes.length, 8, 8);
    const analysisWith = (beta: number): Analysis => ({
      id: 1,
      imageId: 1,
      modelId: 'm',
      keep: [0],
      keepGiven: false,
      groundTruth: null,
      placement: { imageWidth: 64, imageHeight: 64, width: 64, height: 64, gridWidth: 8, gridHeight: 8 },
      classScores: new Float32Array(SYNTHETIC_META.classes.length),
      classEvidence: { source: 'detector', threshold: 0.3, beta },
      cams,
      segLogits: cams,
      timings: {},
    });
    const embedding = createMaps(4, 8, 8);
    const store = useLabStore;
    store.setState({ modelMeta: SYNTHETIC_META, analysis: analysisWith(32), betaByHand: false, beta: SYNTHETIC_META.defaults.beta });
    store.getState().startWalk({ on: 'worker', embedding });
    expect(store.getState().beta).toBe(32);

    store.getState().setBeta(5);
    store.setState({ analysis: analysisWith(24) });
    store.getState().startWalk({ on: 'worker', embedding });
    expect(store.getState().beta).toBe(5);
    expect(posted.length).toBeGreaterThan(0);
    vi.unstubAllGlobals();
  });
});
