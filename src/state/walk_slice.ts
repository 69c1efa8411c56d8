import type { StateCreator } from 'zustand';
import { DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_STEPS } from '../core/constants';
import { pipelineClient } from '../workers/pipeline_client';
import type { RunWalk } from '../workers/pipeline_protocol';
import type { LabState } from './store';
import { walkClient } from '../workers/walk_client';
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
  /** Where the current walk runs: the GPU's own kernel on WebGPU (in the pipeline worker), else the walk worker. */
  walkOn: WalkSite;
  /** The walk inputs the pipeline worker keeps on its GPU for the current analysis; null when the walk worker walks. */
  deviceInputsId: number | null;
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
  /** Hands a new image's walk inputs to where it walks (and the affinities to the walk worker) and starts the walk. */
  startWalk: (walk: RunWalk) => void;
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
  /** The pipeline worker builds the walk's input and transition on its GPU and runs every step at once; then the mIoU curve's steps come back for scoring. */
  const walkOnGpu = async (walkId: number, inputsId: number) => {
    const { analysis, alpha, beta, steps } = get();
    if (!analysis) return;
    try {
      const millis = await pipelineClient.walkStart(inputsId, walkId, { keep: analysis.keep, alpha, beta, steps, order: 'psa' });
      if (millis === null || walkId !== get().walkId) return;
      gpuWalkSteps.ran(walkId);
      set({ walkAvailable: steps + 1, walkMillis: millis });
      if (!analysis.groundTruth) return;
      const ts = evaluationSteps(steps);
      walkClient.scoreSteps(walkId, ts, await gpuWalkSteps.readMany(ts));
    } catch (e) {
      if (walkId === get().walkId) set({ walkError: `Random walk on the GPU failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  };

  gpuWalkSteps.subscribe((walkId) => {
    if (walkId === get().walkId) set({ walkReads: get().walkReads + 1 });
  });

  walkClient.subscribe((event) => {
    switch (event.type) {
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
    deviceInputsId: null,
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

    startWalk: (walk) => {
      const { analysis, modelMeta } = get();
      if (!analysis || !modelMeta) return;
      walkClient.setInputs(analysis.cams, walk.on === 'gpu' ? { affinities: walk.affinities } : { embedding: walk.embedding, radius: modelMeta.defaults.radius });
      const { t, steps, betaByHand, beta } = get();
      set({ deviceInputsId: walk.on === 'gpu' ? walk.inputsId : null, affinityReady: 0, steps: modelMeta.defaults.steps, t: carryT(t, steps, modelMeta.defaults.steps), beta: betaByHand ? beta : analysis.classEvidence.beta });
      get().restartWalk();
    },

    restartWalk: () => {
      const { analysis, modelMeta, alpha, beta, steps, deviceInputsId } = get();
      if (!analysis || !modelMeta) return;
      const region = { width: analysis.placement.width, height: analysis.placement.height };
      const stride = modelMeta.gridStride;
      const evaluation = analysis.groundTruth ? { groundTruth: analysis.groundTruth, vocOfChannel: modelMeta.classes.map((c) => c.voc) } : null;
      const on: WalkSite = deviceInputsId === null ? 'worker' : 'gpu';
      const walkId = walkClient.start({ keep: analysis.keep, alpha, beta, steps, stride, region, evaluation, on });
      gpuWalkSteps.begin(walkId);
      set({ walkId, walkOn: on, walkAvailable: 0, walkMillis: null, walkError: null, miouCurve: null });
      if (deviceInputsId !== null) void walkOnGpu(walkId, deviceInputsId);
    },
  };
};
