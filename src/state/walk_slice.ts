import type { StateCreator } from 'zustand';
import { DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_STEPS } from '../core/constants';
import type { ChannelMaps } from '../core/maps';
import { walkDevice } from '../gpu/walk_device';
import type { LabState } from './store';
import { walkClient, type WalkEvent } from '../workers/walk_client';
import { evaluationSteps } from '../workers/walk_job';
import type { WalkSite } from '../workers/walk_protocol';
import { gpuWalkSteps } from './walk_steps';

/**
 * Random-walk parameters and progress. The steps themselves stay in the walk
 * client or on the GPU (walk_steps.ts: they are large and change every few
 * milliseconds); the store keeps the step index, how many steps exist, and
 * small results.
 */
export interface WalkSlice {
  alpha: number;
  beta: number;
  /** The user moved beta since the model set loaded; until then each image walks with the beta of its class evidence. */
  betaByHand: boolean;
  /**
   * The step shown everywhere (0 … steps). It starts at the last step, so
   * the first result shows the walk's outcome, and while the walk computes
   * the views show each newest step as it arrives.
   */
  t: number;
  steps: number;
  /** The t slider moves along log(1 + t), so the first steps (where most happens) get more room. */
  logScale: boolean;
  playing: boolean;
  walkId: number;
  /** Where the current walk runs: the GPU's own kernel on WebGPU, else the worker. */
  walkOn: WalkSite;
  /** Steps computed so far (t = 0 … walkAvailable - 1). */
  walkAvailable: number;
  /** Counts GPU steps read back, so views redraw when the step they asked for arrives. */
  walkReads: number;
  walkMillis: number | null;
  walkError: string | null;
  /** mIoU of the revised mask against ground truth at the listed steps. */
  miouCurve: { ts: number[]; values: number[] } | null;
  /** Inputs id of the affinity graph the worker has sent, or 0. */
  affinityReady: number;
  setAlpha: (alpha: number) => void;
  setBeta: (beta: number) => void;
  setT: (t: number) => void;
  setLogScale: (on: boolean) => void;
  setPlaying: (on: boolean) => void;
  /** Hands a new image's networks outputs to the worker and starts the walk. */
  startWalk: (embedding: ChannelMaps) => void;
  /** Restarts the walk of the current analysis with the current parameters. */
  restartWalk: () => void;
}

/**
 * t for a new walk of `steps` steps: a t at the end of the previous walk
 * moves to the end of this one; any other step the user chose stays (clamped).
 */
export function carryT(t: number, previousSteps: number, steps: number): number {
  return t >= previousSteps ? steps : Math.min(t, steps);
}

export const createWalkSlice: StateCreator<LabState, [], [], WalkSlice> = (set, get) => {
  /** The worker built the walk's input: the GPU builds the transition and runs every step at once, then the mIoU curve's steps come back for scoring. */
  const walkOnGpu = async ({ walkId, scores }: Extract<WalkEvent, { type: 'setup' }>) => {
    // The setup answers the latest walk (the client drops older ones), so these are its parameters.
    const { steps, beta, analysis } = get();
    const device = await walkDevice();
    if (walkId !== get().walkId) return;
    try {
      if (!device) throw new Error('the WebGPU device is gone');
      set({ walkAvailable: 1 });
      const millis = await gpuWalkSteps.start(walkId, device, { scores, beta, steps });
      if (walkId !== get().walkId) return;
      set({ walkAvailable: steps + 1, walkMillis: millis });
      if (!analysis?.groundTruth) return;
      const ts = evaluationSteps(steps);
      const maps = await gpuWalkSteps.readMany(ts);
      walkClient.scoreSteps(walkId, ts, maps);
    } catch (e) {
      if (walkId === get().walkId) set({ walkError: `Random walk on the GPU failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  };

  gpuWalkSteps.subscribe((walkId) => {
    if (walkId === get().walkId) set({ walkReads: get().walkReads + 1 });
  });

  walkClient.subscribe((event) => {
    switch (event.type) {
      case 'setup':
        void walkOnGpu(event);
        return;
      case 'affinities':
        set({ affinityReady: event.graph.inputsId });
        return;
      case 'steps':
        set({ walkAvailable: event.available });
        return;
      case 'miou':
        set({ miouCurve: { ts: event.ts, values: event.values } });
        return;
      case 'done':
        set({ walkMillis: event.millis });
        return;
      case 'error':
        set({ walkError: `Random walk failed: ${event.message}` });
    }
  });

  return {
    alpha: DEFAULT_ALPHA,
    beta: DEFAULT_BETA,
    betaByHand: false,
    t: DEFAULT_STEPS,
    steps: DEFAULT_STEPS,
    logScale: false,
    playing: false,
    walkId: 0,
    walkOn: 'worker',
    walkAvailable: 0,
    walkReads: 0,
    walkMillis: null,
    walkError: null,
    miouCurve: null,
    affinityReady: 0,

    setAlpha: (alpha) => {
      set({ alpha });
      get().restartWalk();
    },
    setBeta: (beta) => {
      set({ beta, betaByHand: true });
      get().restartWalk();
    },
    setT: (t) => set({ t: Math.max(0, Math.min(get().steps, Math.round(t))) }),
    setLogScale: (logScale) => set({ logScale }),
    setPlaying: (playing) => set({ playing }),

    startWalk: (embedding) => {
      const { analysis, modelMeta } = get();
      if (!analysis || !modelMeta) return;
      walkClient.setInputs(analysis.cams, embedding, modelMeta.defaults.radius);
      gpuWalkSteps.setEmbedding(embedding, modelMeta.defaults.radius);
      const { t, steps, betaByHand, beta } = get();
      set({ affinityReady: 0, steps: modelMeta.defaults.steps, t: carryT(t, steps, modelMeta.defaults.steps), beta: betaByHand ? beta : analysis.classEvidence.beta });
      get().restartWalk();
    },

    restartWalk: () => {
      const { analysis, modelMeta, alpha, beta, steps } = get();
      if (!analysis || !modelMeta) return;
      const region = { width: analysis.placement.width, height: analysis.placement.height };
      const stride = modelMeta.gridStride;
      const evaluation = analysis.groundTruth ? { groundTruth: analysis.groundTruth, vocOfChannel: modelMeta.classes.map((c) => c.voc) } : null;
      const on: WalkSite = get().backend?.name === 'webgpu' ? 'gpu' : 'worker';
      gpuWalkSteps.clear();
      const walkId = walkClient.start({ keep: analysis.keep, alpha, beta, steps, stride, region, evaluation, on });
      set({ walkId, walkOn: on, walkAvailable: 0, walkMillis: null, walkError: null, miouCurve: null });
    },
  };
};
