import { loadPipeline } from './pipeline';
import type { LabPipeline, LoadProgress } from './pipeline/types';
import { modelSetUrl } from './model_set/discovery';
import { SYNTHETIC_MODEL_ID, SyntheticPipeline } from './synthetic_pipeline';

/**
 * The one live pipeline (networks and their weights), held at module level so
 * that no model ever enters the store: the store keeps only its id and status.
 */

let active: { id: string; pipeline: LabPipeline } | null = null;
let loading = 0;

export function activePipeline(id: string): LabPipeline | null {
  return active?.id === id ? active.pipeline : null;
}

/**
 * Loads a model set and makes it the active one, disposing the previous set.
 * If another load starts meanwhile, this one's pipeline is disposed and null
 * is returned.
 */
export async function activatePipeline(id: string, onProgress: (progress: LoadProgress) => void): Promise<LabPipeline | null> {
  const ticket = ++loading;
  const pipeline = await createPipeline(id, onProgress);
  if (ticket !== loading) {
    pipeline.dispose();
    return null;
  }
  active?.pipeline.dispose();
  active = { id, pipeline };
  return pipeline;
}

async function createPipeline(id: string, onProgress: (progress: LoadProgress) => void): Promise<LabPipeline> {
  if (id === SYNTHETIC_MODEL_ID) {
    onProgress({ loaded: 0, total: 0 });
    return new SyntheticPipeline();
  }
  return loadPipeline(modelSetUrl(id), onProgress);
}
