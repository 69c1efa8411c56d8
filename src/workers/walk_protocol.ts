import type { NeighbourAffinities } from '../core/affinity';
import type { ChannelMaps } from '../core/maps';
import type { Offset } from '../core/pairs';

/**
 * Messages between the page and the random-walk worker. Every reply carries
 * the id of the request it answers so the page can drop stale ones.
 */

/** Ground truth for scoring every step, already at the label resolution. */
export interface WalkEvaluation {
  /** VOC class ids (255 = ignore), `region.width * region.height`. */
  groundTruth: Uint8Array;
  /** VOC index of each CAM channel (meta.classes order). */
  vocOfChannel: number[];
}

/**
 * Where an image's affinities W come from: the embedding, from which the
 * worker computes them, or (a walk on the GPU, whose embedding stays there) W
 * computed and read back by the pipeline worker.
 */
export type AffinityInputs = { embedding: ChannelMaps; radius: number } | { affinities: NeighbourAffinities };

export type WalkRequest =
  /** New network outputs: affinities are computed once per image. */
  | { type: 'inputs'; inputsId: number; cams: ChannelMaps; affinity: AffinityInputs }
  /** (Re)start the walk; a newer walk cancels an older one. */
  | {
      type: 'walk';
      walkId: number;
      inputsId: number;
      keep: number[];
      alpha: number;
      beta: number;
      steps: number;
      /** Grid stride and the image's region of the input: the walk's scores are built at input resolution (psa's order). */
      stride: number;
      region: { width: number; height: number };
      evaluation: WalkEvaluation | null;
      /** 'worker' walks here; 'gpu' walks in the pipeline worker, and this worker only scores its steps and answers transition rows. */
      on: WalkSite;
    }
  /** Where a cell's revised score comes from after t steps (row of T^t). */
  | { type: 'row'; walkId: number; cell: number; t: number }
  /** Steps the GPU computed, to be scored against the walk's ground truth ('miou'). */
  | { type: 'score'; walkId: number; ts: number[]; maps: ChannelMaps[] };

export type WalkSite = 'worker' | 'gpu';

export type WalkReply =
  | {
      type: 'affinities';
      inputsId: number;
      height: number;
      width: number;
      offsets: Offset[];
      /** weights[cell * offsets.length + k]; NaN outside the grid. */
      weights: Float32Array;
      /** 1 - mean affinity to the eight nearest neighbours: high on edges. */
      boundary: Float32Array;
    }
  /** Score maps after steps `from`, `from + 1`, …, each (channels, height, width). */
  | { type: 'steps'; walkId: number; from: number; maps: Float32Array[] }
  /** mIoU of the revised-CAM mask at each listed t. */
  | { type: 'miou'; walkId: number; ts: number[]; values: number[] }
  | { type: 'done'; walkId: number; millis: number }
  | { type: 'row'; walkId: number; cell: number; t: number; row: Float32Array }
  | { type: 'error'; walkId: number | null; message: string };
