import type { ChannelMaps } from '../core/maps';
import { pipelineClient } from '../workers/pipeline_client';
import { walkClient } from '../workers/walk_client';
import type { WalkSite } from '../workers/walk_protocol';
import { GpuWalkSteps } from './gpu_walk_steps';

/**
 * Where the views get a walk step from: the walk worker's steps (a CPU walk,
 * every step already on the page) or the pipeline worker's GPU (read back one
 * at a time). Module level, like the clients: steps never enter the store.
 */

export const gpuWalkSteps = new GpuWalkSteps((walkId, ts) => pipelineClient.walkRead(walkId, ts));

export interface ShownStep {
  /** The step these maps belong to: t itself, or the nearest one there is while t is not yet there. */
  t: number;
  maps: ChannelMaps;
}

/** The maps to draw for step t; null before the walk has any. */
export function shownStep(site: WalkSite, t: number): ShownStep | null {
  if (site === 'gpu') return gpuWalkSteps.stepAt(t);
  const maps = walkClient.mapsAt(t);
  return maps && { t: Math.min(t, walkClient.available - 1), maps };
}

/** Step t's maps exactly (reading them back from the GPU if need be), for exports; null if the walk has not reached t. */
export async function stepMaps(site: WalkSite, t: number): Promise<ChannelMaps | null> {
  if (site === 'gpu') return gpuWalkSteps.read(t);
  return t < walkClient.available ? walkClient.mapsAt(t) : null;
}
