import type { ChannelMaps } from '../../core/maps';

/**
 * The contract between the networks (src/models) and everything above them
 * (state, UI, CLI). Results are plain typed arrays on the CPU: no tensor ever
 * leaves src/models.
 */

/** One class a model set knows, in head channel order (background excluded). */
export interface ModelClass {
  /** PASCAL VOC index (1..20); the palette colour and exported mask value. */
  voc: number;
  name: string;
}

/** models/<set>/meta.json, validated. */
export interface ModelSetMeta {
  /** Folder name, e.g. 'default'. */
  id: string;
  /** Human-readable name for the model selector. */
  name: string;
  classes: ModelClass[];
  /** Square network input (the image is resized to fit, then zero-padded bottom/right). */
  inputSize: number;
  /** Input pixels per grid cell. */
  gridStride: number;
  /** Walk and CAM parameters; classThreshold is the class score at which a class counts as present. */
  defaults: { alpha: number; beta: number; steps: number; radius: number; camBackground: number; classThreshold: number };
  /** False for untrained development weights; the UI must then say so. */
  trained: boolean;
  /** Free-form provenance (data, training, evaluation) shown in the UI. */
  summary?: Record<string, unknown>;
}

/** How the original image was placed into the square network input. */
export interface InputPlacement {
  /** Original image size. */
  imageWidth: number;
  imageHeight: number;
  /** Size after resizing, before padding: the valid top-left region of the input. */
  width: number;
  height: number;
  /** Valid grid region (cells covering the resized image). */
  gridWidth: number;
  gridHeight: number;
}

export interface PipelineResult {
  placement: InputPlacement;
  /** Image-level probability per class (sigmoid of the CAM head's pooled logits), meta.classes order. */
  classScores: Float32Array;
  /** CAMs on the full grid, normalised per class (max + 1e-5), one channel per meta.classes entry. */
  cams: ChannelMaps;
  /** AffinityNet embedding f_aff on the grid, (D, G, G). */
  embedding: ChannelMaps;
  /** Segmentation head logits on the grid, channel 0 background then meta.classes. */
  segLogits: ChannelMaps;
  /** Milliseconds per stage, e.g. { backbone: 812, cam: 40, affinity: 35, segmentation: 30 }. */
  timings: Record<string, number>;
}

export type PipelineStage = 'backbone' | 'cam' | 'affinity' | 'segmentation';

/** Byte progress while weights download. */
export interface LoadProgress {
  loaded: number;
  total: number;
}

/** An RGBA image such as ImageData or a decoded file: width * height * 4 bytes, row-major. */
export interface RgbaInput {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

export interface LabPipeline {
  readonly meta: ModelSetMeta;
  /**
   * Runs every network on one RGBA image (e.g. ImageData or a decoded file).
   * Calls onStage before each stage so the UI can show progress.
   */
  run(
    image: RgbaInput,
    onStage?: (stage: PipelineStage) => void,
  ): Promise<PipelineResult>;
  dispose(): void;
}
