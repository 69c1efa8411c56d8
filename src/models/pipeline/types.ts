import type { NeighbourAffinities } from '../../core/affinity';
import type { BoxRegion, BoxSelection, EvidenceSource, RegionNaming } from '../../core/class_evidence';
import type { ChannelMaps } from '../../core/maps';
import type { DeviceWalk } from '../device_walk/device_walk';

/**
 * The contract between the networks (src/models) and everything above them
 * (state, UI, CLI). Results are plain typed arrays on the CPU: no tensor ever
 * leaves src/models (a walk kept on the device holds its own, DeviceWalk).
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
  /** Input pixels per cell of the segmentation head's logits: gridStride, or half of it for a head on the detector's stride-4 map. */
  segGridStride: number;
  /** Walk and CAM parameters; classThreshold is the class score at which a class counts as present. */
  defaults: { alpha: number; beta: number; steps: number; radius: number; camBackground: number; classThreshold: number };
  /** VOC index of each channel of the CAM head and of the segmentation head (after background); `classes` unless meta.json says otherwise. */
  headClasses: { cam: number[]; seg: number[] };
  /** When set, a COCO detector's class heatmaps name the classes of images it is sure about (core/class_evidence.ts). */
  classEvidence?: ClassEvidenceConfig;
  /** False for untrained development weights; the UI must then say so. */
  trained: boolean;
  /** Free-form provenance (data, training, evaluation) shown in the UI. */
  summary?: Record<string, unknown>;
}

/** meta.json classEvidence: the detector, when it speaks for an image, and how its maps become CAMs. */
export interface ClassEvidenceConfig {
  /** The detector: CenterNet's COCO class head, in the backbone graph. */
  detector: 'centernet-coco';
  /** The detector names an image's classes when its best class scores at least this. */
  gate: number;
  /** Then, classes whose detector score reaches this are present. */
  threshold: number;
  /** Which of the detector's boxes become CAM evidence. */
  boxes: BoxSelection;
  /** The walk's beta on the images it speaks for (defaults.beta when absent): its box CAMs already have the object's extent, so the walk sharpens rather than spreads. */
  beta?: number;
  /** Salient regions also name their best class (core/class_evidence.ts regionNamedClasses); absent: the threshold alone names. */
  regions?: RegionNaming;
}

/** Which source named an image's classes, the score threshold that goes with its scores, and the walk's beta that goes with its CAMs. */
export interface ClassEvidence {
  source: EvidenceSource;
  threshold: number;
  beta: number;
  /** When the detector speaks: its boxes that became CAMs, in grid cells, for the views to draw. */
  boxes?: readonly BoxRegion[];
  /** Classes a salient region names whatever their score (ClassEvidenceConfig.regions), ascending; keptClasses keeps them. */
  named?: readonly number[];
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
  /** Image-level probability per class, meta.classes order: the CAM head's (sigmoid of its pooled logits) or the detector's (its best cell). */
  classScores: Float32Array;
  /** Where classScores and cams come from for this image. */
  classEvidence: ClassEvidence;
  /** CAMs on the full grid, normalised per class (max + 1e-5), one channel per meta.classes entry. */
  cams: ChannelMaps;
  /** AffinityNet embedding f_aff on the grid, (D, G, G). */
  embedding: ChannelMaps;
  /** Segmentation head logits on the grid, channel 0 background then meta.classes. */
  segLogits: ChannelMaps;
  /** Milliseconds per stage, e.g. { backbone: 812, cam: 40, affinity: 35, segmentation: 30 }. */
  timings: Record<string, number>;
}

/**
 * A run whose walk stays on the WebGPU device: W read back for the views in
 * place of the embedding, and the walk's inputs in `walk`, owned by the caller.
 */
export interface DeviceRun {
  result: Omit<PipelineResult, 'embedding'> & { affinities: NeighbourAffinities };
  walk: DeviceWalk;
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
  /** As run, but the embedding and CAMs never leave the WebGPU device (device_walk/device_run.ts runs any pipeline so). */
  runWalkOnDevice?(image: RgbaInput, onStage?: (stage: PipelineStage) => void): Promise<DeviceRun>;
  dispose(): void;
}
