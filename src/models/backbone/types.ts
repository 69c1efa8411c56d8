import type * as tf from '@tensorflow/tfjs';

/**
 * Keys of the cached feature maps. `fpn_s8` feeds the CAM and segmentation
 * heads; `bb_s8`, `bb_s16`, `bb_s32` are the three stages of the AffinityNet
 * head (psa's b4 / b5 / bn7 roles).
 */
export type TapName = 'fpn_s8' | 'bb_s8' | 'bb_s16' | 'bb_s32';

export interface TapSpec {
  /** Graph node whose output is the tap. */
  node: string;
  channels: number;
  /** Input pixels per feature cell. */
  stride: number;
}

/** Set at load time. */
export interface BackboneModelConfig<K extends TapName = TapName> {
  /** URL of model.json (browser), or an IOHandler (Node: see node_io.ts; tests: fakes). */
  modelUrl?: string | tf.io.IOHandler;
  /** Which taps `extract` returns; all of them by default. */
  taps?: readonly K[];
}
