import type { ChannelMaps } from '../core/maps';
import { pipelineClient } from '../workers/pipeline_client';
import { walkClient } from '../workers/walk_client';
import { useLabStore } from './store';
import { stepMaps } from './walk_steps';

/**
 * What the browser tests reach through window.affinityLabTestHooks (only
 * with ?test-hooks): the pipeline worker's tensor count, its WebGPU device
 * lost on purpose, and the current walk, to hold against the core.
 * Typed arrays go out as plain arrays, which every serialiser keeps.
 */

export interface PlainMaps {
  channels: number;
  height: number;
  width: number;
  data: number[];
}

const plain = (maps: ChannelMaps): PlainMaps => ({ channels: maps.channels, height: maps.height, width: maps.width, data: Array.from(maps.data) });

/** Steps `ts` of the finished current walk with what it was made from; null until the walk and its affinities are there. */
async function walkSnapshot(ts: number[]) {
  const { analysis, modelMeta, alpha, beta, steps, walkOn, walkAvailable } = useLabStore.getState();
  const graph = walkClient.affinityGraph();
  if (!analysis || !modelMeta || !graph || walkAvailable <= Math.max(...ts)) return null;
  const maps = await Promise.all(ts.map((t) => stepMaps(walkOn, t)));
  return {
    walkOn,
    keep: analysis.keep,
    alpha,
    beta,
    steps,
    stride: modelMeta.gridStride,
    region: { width: analysis.placement.width, height: analysis.placement.height },
    cams: plain(analysis.cams),
    affinities: { height: graph.height, width: graph.width, offsets: graph.offsets, weights: Array.from(graph.weights) },
    walked: maps.map((m) => plain(m!)),
  };
}

export type WalkSnapshot = NonNullable<Awaited<ReturnType<typeof walkSnapshot>>>;

export const testHooks = {
  tensorMemory: () => pipelineClient.tensorMemory(),
  loseGpuDevice: () => pipelineClient.loseDevice(),
  walkSnapshot,
};
