import type { StateCreator } from 'zustand';
import { resizeLabelsNearest } from '../core/label_maps';
import { keptByEvidence } from '../core/masks';
import type { ClassEvidence, LoadProgress, ModelSetMeta, PipelineStage } from '../models/pipeline/types';
import { networkPixels } from '../io/browser_image';
import { discoverModelSets, ModelSetOption } from '../models/model_set/discovery';
import { loadModelCard, type ModelCard } from '../models/model_set/card';
import { SYNTHETIC_MODEL_ID } from '../models/synthetic_pipeline';
import { pipelineClient } from '../workers/pipeline_client';
import type { RunValue } from '../workers/pipeline_protocol';
import type { LabState } from './store';

/** The networks' outputs for one image (what the walk needs of them goes to the walk only: the walk worker, or on WebGPU the pipeline worker's GPU). */
export interface Analysis extends Omit<RunValue, 'walk'> {
  id: number;
  imageId: number;
  modelId: string;
  /** Class channels (meta.classes indices) kept for masks and the walk, best first. */
  keep: number[];
  /** True when `keep` holds the ground truth's classes; false when they were predicted (scores against the threshold). */
  keepGiven: boolean;
  /** Ground truth at the label resolution (placement.width × placement.height), if the image has one. */
  groundTruth: Uint8Array | null;
}

export interface ModelSlice {
  modelSets: ModelSetOption[];
  modelId: string | null;
  modelMeta: ModelSetMeta | null;
  modelStatus: 'idle' | 'loading' | 'ready' | 'error';
  loadProgress: LoadProgress | null;
  modelError: string | null;
  /** "About this model set" for the selected set; null until fetched. */
  modelCard: ModelCard | null;
  /** Why ?model= was not followed (no such usable set), for people; null when it was or there was none. */
  modelNotice: string | null;
  analysis: Analysis | null;
  analysisBusy: boolean;
  analysisStage: PipelineStage | null;
  analysisError: string | null;
  labelSource: LabelSource;
  /** Switches the present classes; the walk restarts, the networks do not run again. */
  setLabelSource: (source: LabelSource) => void;
  /** Lists the model sets and loads `requested` if usable, else the first usable one. */
  discoverModels: (includeSynthetic: boolean, requested: string | null) => Promise<void>;
  selectModel: (id: string) => Promise<void>;
  /** Runs the networks on the current image (no-op until both image and model are ready). */
  analyze: () => Promise<void>;
}

/**
 * Which classes count as present: predicted from the image-level scores, or
 * (psa's label generation) taken from the ground truth where there is one.
 */
export type LabelSource = 'predicted' | 'ground-truth';

/** Channels (meta.classes indices) of the model's classes that occur in a ground-truth mask, best score first. */
export function groundTruthClasses(groundTruth: Uint8Array, meta: ModelSetMeta, classScores: Float32Array): number[] {
  const present = new Set(groundTruth);
  return meta.classes
    .map((c, channel) => (present.has(c.voc) ? channel : -1))
    .filter((channel) => channel >= 0)
    .sort((a, b) => classScores[b] - classScores[a]);
}

/** The kept classes for a label source; predicted ones (scores against `threshold`) when the ground truth has none of the model's classes. */
export function chooseKept(source: LabelSource, classScores: Float32Array, evidence: Pick<ClassEvidence, 'threshold' | 'named'>, groundTruth: Uint8Array | null, meta: ModelSetMeta): Pick<Analysis, 'keep' | 'keepGiven'> {
  const fromTruth = source === 'ground-truth' && groundTruth ? groundTruthClasses(groundTruth, meta, classScores) : [];
  return fromTruth.length > 0 ? { keep: fromTruth, keepGiven: true } : { keep: keptByEvidence(classScores, evidence), keepGiven: false };
}

/** What to tell people when ?model=`requested` is not the set that opens (null when it is). */
export function requestedModelNotice(requested: string, sets: ModelSetOption[], opened: string | null): string | null {
  if (requested === opened) return null;
  const asked = sets.find((s) => s.id === requested);
  const why = asked?.unavailable ?? `there is no model set "${requested}"; known: ${sets.map((s) => s.id).join(', ')}.`;
  return `?model=${requested} cannot be opened: ${why}${opened ? ` Showing "${opened}" instead.` : ''}`;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

let analysisRuns = 0;

export const createModelSlice: StateCreator<LabState, [], [], ModelSlice> = (set, get) => ({
  modelSets: [],
  modelId: null,
  modelMeta: null,
  modelStatus: 'idle',
  loadProgress: null,
  modelError: null,
  modelNotice: null,
  modelCard: null,
  analysis: null,
  analysisBusy: false,
  analysisStage: null,
  analysisError: null,
  labelSource: 'predicted',

  setLabelSource: (labelSource) => {
    const { analysis, modelMeta } = get();
    set({ labelSource });
    if (!analysis || !modelMeta) return;
    set({ analysis: { ...analysis, ...chooseKept(labelSource, analysis.classScores, analysis.classEvidence, analysis.groundTruth, modelMeta) } });
    get().restartWalk();
  },

  discoverModels: async (includeSynthetic, requested) => {
    const sets = await discoverModelSets(includeSynthetic, requested);
    set({ modelSets: sets });
    const usable = sets.filter((s) => s.unavailable === null);
    const choice = usable.find((s) => s.id === requested) ?? usable[0];
    set({ modelNotice: requested === null ? null : requestedModelNotice(requested, sets, choice?.id ?? null) });
    if (choice) {
      await get().selectModel(choice.id);
      return;
    }
    set({
      modelStatus: 'error',
      modelError: `No model set can be loaded. ${sets.map((s) => s.unavailable).join(' ')} Add ?model=synthetic-untrained to the URL to try the interface with a stand-in that is not a network.`,
    });
  },

  selectModel: async (id) => {
    const option = get().modelSets.find((s) => s.id === id);
    if (!option?.meta) {
      set({ modelStatus: 'error', modelError: option?.unavailable ?? `unknown model set "${id}"` });
      return;
    }
    // A set that fails to load leaves the one that worked in place (its networks stay loaded meanwhile).
    const { modelId: previousId, modelMeta: previousMeta, modelCard: previousCard, modelStatus: previousStatus, alpha: previousAlpha, beta: previousBeta } = get();
    analysisRuns++; // results of the previous model are no longer wanted
    const { alpha, beta } = option.meta.defaults;
    set({ modelId: id, modelMeta: option.meta, modelCard: null, modelStatus: 'loading', loadProgress: null, modelError: null, analysis: null, analysisBusy: false, alpha, beta, betaByHand: false });
    void loadModelCard(option.meta, id !== SYNTHETIC_MODEL_ID).then((modelCard) => {
      if (get().modelId === id) set({ modelCard });
    });
    try {
      const meta = await pipelineClient.activate(id, (progress) => {
        if (get().modelId === id) set({ loadProgress: progress });
      });
      if (!meta || get().modelId !== id) return;
      set({ modelStatus: 'ready', modelMeta: meta });
      await get().analyze();
    } catch (e) {
      if (get().modelId !== id) return;
      const failure = `Loading "${option.meta.name}" failed: ${message(e)}`;
      if (previousStatus === 'ready' && previousId !== null && previousMeta !== null && pipelineClient.activeMeta(previousId)) {
        set({
          modelId: previousId,
          modelMeta: previousMeta,
          modelCard: previousCard,
          modelStatus: 'ready',
          loadProgress: null,
          modelError: `${failure} Still using "${previousMeta.name}".`,
          alpha: previousAlpha,
          beta: previousBeta,
        });
        await get().analyze();
      } else {
        set({ modelStatus: 'error', modelError: failure });
      }
    }
  },

  analyze: async () => {
    const { image, modelId, modelStatus } = get();
    const meta = modelId ? pipelineClient.activeMeta(modelId) : null;
    if (!image || !modelId || modelStatus !== 'ready' || !meta) return;
    const run = ++analysisRuns;
    set({ analysisBusy: true, analysisStage: null, analysisError: null });
    try {
      const pixels = networkPixels(image.bitmap, meta.inputSize);
      const { walk, ...result } = await pipelineClient.run(modelId, pixels, (stage) => {
        if (run === analysisRuns) set({ analysisStage: stage });
      });
      if (run !== analysisRuns) return;
      const { placement } = result;
      const gt = image.groundTruth;
      const groundTruth = gt ? resizeLabelsNearest(gt.labels, gt.width, gt.height, placement.width, placement.height) : null;
      const kept = chooseKept(get().labelSource, result.classScores, result.classEvidence, groundTruth, meta);
      const analysis: Analysis = { ...result, id: run, imageId: image.id, modelId, ...kept, groundTruth };
      set({ analysis, analysisBusy: false, analysisStage: null });
      get().startWalk(walk);
    } catch (e) {
      if (run === analysisRuns) set({ analysisBusy: false, analysisStage: null, analysisError: `Running the networks failed: ${message(e)}` });
    }
  },
});
