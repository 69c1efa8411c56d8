import type * as tf from '@tensorflow/tfjs';

/** The three heads of a model set, trained in PyTorch on frozen backbone features (training/). */
export type HeadKind = 'cam' | 'aff' | 'seg';

export type Activation = 'linear' | 'relu' | 'elu';

/**
 * One convolution of a head as training/export_tfjs.py describes it in
 * model.json's modelTopology. Weights: `<name>/kernel` HWIO
 * [kernel, kernel, in, filters] and, with bias, `<name>/bias` [filters].
 */
export interface ConvLayer {
  name: string;
  /** A backbone tap, an earlier layer, or several of either concatenated along channels. */
  inputs: string[];
  kernel: number;
  dilation: number;
  filters: number;
  bias: boolean;
  activation: Activation;
  /** Bilinear resize (half-pixel centres) of the activated output onto this tap's grid. */
  resizeTo?: string;
}

/** A head's validated topology: its layers in execution order; the last one is the output. */
export interface HeadTopology {
  kind: HeadKind;
  /** The backbone taps it was trained on, with their widths then. */
  inputs: { tap: string; channels: number }[];
  layers: ConvLayer[];
  /**
   * The CAM-guided segmentation head's per-class input: a layer may read
   * this name, which is one class's normalised CAM (1 channel, on the grid).
   * The head then runs once per class asked about (Head.segmentClasses).
   */
  classMap?: string;
  /**
   * The tap whose grid the class maps are resized to (bilinear, half-pixel
   * centres) before the head reads them, when it answers on a finer grid
   * than the CAMs' (a fine tap); absent: the class maps are read as given.
   */
  classMapGrid?: string;
}

/** Set at load time. */
export interface HeadModelConfig {
  /** URL of the head's model.json, or an IOHandler (Node: fileModelHandler; tests: tf.io.fromMemory). */
  modelUrl: string | tf.io.IOHandler;
  /** Which head the file must hold; loading fails if it holds another. */
  kind: HeadKind;
  /** Channels of every backbone tap the head may read, to check kernel shapes before running. */
  tapChannels: Readonly<Record<string, number>>;
  /** Names the model in error messages; defaults to the URL. */
  name?: string;
  /** Weight bytes received so far and expected in all (URL sources only). */
  onProgress?: (loaded: number, total: number) => void;
}
