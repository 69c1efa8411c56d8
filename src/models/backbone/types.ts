import type * as tf from '@tensorflow/tfjs';

/**
 * Keys of the cached feature maps. `fpn_s8` feeds the CAM and segmentation
 * heads; `bb_s8`, `bb_s16`, `bb_s32` are the three stages of the AffinityNet
 * head (psa's b4 / b5 / bn7 roles).
 */
export type TapName = 'fpn_s8' | 'bb_s8' | 'bb_s16' | 'bb_s32';

/** Shape of one tap's feature map. */
export interface TapShape {
  channels: number;
  /** Input pixels per feature cell. */
  stride: number;
}

export interface TapSpec extends TapShape {
  /** Graph node whose output is the tap. */
  node: string;
}

/**
 * What the heads need from a backbone, whichever network it is: the frozen
 * CenterNet graph (Backbone) or one of our own layer-list networks (LayerBackbone).
 */
export interface FeatureBackbone {
  /** Channels and stride of every tap `extract` returns. */
  readonly tapShapes: Readonly<Record<TapName, TapShape>>;
  /**
   * @param image HxWx3 float RGB in 0-255, H = W = the model set's inputSize.
   * @returns per tap a [1, H/stride, W/stride, channels] tensor, owned by the caller.
   */
  extract(image: tf.Tensor3D): Record<TapName, tf.Tensor4D>;
  /** The taps plus the detector's outputs from the same pass; only backbones that are detectors have it. */
  extractWithDetector?(image: tf.Tensor3D): { taps: Record<TapName, tf.Tensor4D>; detector: DetectorOutputs };
  dispose(): void;
}

/** A COCO detector's outputs for one image, owned by the caller. */
export interface DetectorOutputs {
  /** Class heatmaps (sigmoid), [1, H/4, W/4, 80], COCO order. */
  heatmaps: tf.Tensor4D;
  /** Box sides (left, top, right, bottom) in input pixels of an object centred at each cell, [1, H/4, W/4, 4]. */
  boxSizes: tf.Tensor4D;
  /** The detector branch's stride-4 features (DETECTOR_FINE), [1, H/4, W/4, 18]. */
  fine: tf.Tensor4D;
}

/** Set at load time. */
export interface BackboneModelConfig<K extends TapName = TapName> {
  /** URL of model.json (browser), or an IOHandler (Node: see node_io.ts; tests: fakes). */
  modelUrl?: string | tf.io.IOHandler;
  /** Which taps `extract` returns; all of them by default. */
  taps?: readonly K[];
}

/** Set at load time, for an "affinitylab-backbone" layer list (layer_backbone.ts). */
export interface LayerBackboneModelConfig {
  /** URL of model.json, or an IOHandler (Node: fileModelHandler; tests: tf.io.fromMemory). */
  modelUrl: string | tf.io.IOHandler;
  /** Names the model in error messages; defaults to the URL. */
  name?: string;
}
