import * as tf from '@tensorflow/tfjs';
import { decodeCenterNet, evidenceSource, keptBoxRegions, placeChannels, placeScores, regionNamedClasses, type RegionNaming } from '../../core/class_evidence';
import { CAM_NORM_EPS } from '../../core/constants';
import { mapsFrom, type ChannelMaps } from '../../core/maps';
import { keptByEvidence } from '../../core/masks';
import { COCO_CHANNEL_OF_VOC } from '../backbone/coco_classes';
import { detectorTaps, isDetectorTap, type DetectorOutputs, type FeatureBackbone, type TapName } from '../backbone';
import { deviceWalkGeometry, keepWalkOnDevice } from '../device_walk/device_walk';
import type { ValidGrid } from '../heads';
import { loadModelSet, type ModelSet, type ModelSetOptions, type ModelSetSource } from '../model_set';
import { boxCamsOnDevice, inSetChannels } from './box_cams';
import { networkInput } from './input';
import { placeImage } from './placement';
import type { ClassEvidence, ClassEvidenceConfig, DeviceRun, InputPlacement, LabPipeline, LoadProgress, ModelSetMeta, PipelineResult, PipelineStage, RgbaInput } from './types';

/**
 * Loads a model set (folder URL such as '/models/default/', or files from
 * Node and tests) and wraps it as a LabPipeline.
 */
export async function loadPipeline(source: string | ModelSetSource, onProgress?: (progress: LoadProgress) => void, options: Omit<ModelSetOptions, 'onProgress'> = {}): Promise<LabPipeline> {
  return new ModelSetPipeline(await loadModelSet(source, { ...options, onProgress }));
}

export class ModelSetPipeline implements LabPipeline {
  /** Set channel of each CAM-head channel, and of each segmentation-head channel (background first). */
  private readonly camChannels: number[];
  private readonly segChannels: number[];

  constructor(private readonly models: ModelSet) {
    const { classes, headClasses } = models.meta;
    const channelOf = (voc: number) => classes.findIndex((c) => c.voc === voc);
    this.camChannels = headClasses.cam.map(channelOf);
    this.segChannels = [0, ...headClasses.seg.map((voc) => 1 + channelOf(voc))];
  }

  get meta(): ModelSetMeta {
    return this.models.meta;
  }

  run(image: RgbaInput, onStage?: (stage: PipelineStage) => void): Promise<PipelineResult> {
    return this.runImage(image, onStage, { take: async ({ embedding }) => ({ embedding: await download(embedding, true) }), drop: () => undefined });
  }

  async runWalkOnDevice(image: RgbaInput, onStage?: (stage: PipelineStage) => void): Promise<DeviceRun> {
    const { walk, ...result } = await this.runImage(image, onStage, {
      take: ({ embedding, walkCams, placement }) => keepWalkOnDevice({ embedding: channelsFirst(embedding, true), cams: walkCams() }, deviceWalkGeometry(this.meta, placement)),
      drop: ({ walk }) => walk.dispose(),
    });
    return { result, walk };
  }

  private async runImage<T extends object>(image: RgbaInput, onStage: ((stage: PipelineStage) => void) | undefined, affinity: AffinityStage<T>): Promise<Omit<PipelineResult, 'embedding'> & T> {
    const { inputSize, gridStride } = this.meta;
    const placement = placeImage(image.width, image.height, inputSize, gridStride);
    if (image.data.length !== image.width * image.height * 4) {
      throw new Error(`RGBA data of a ${image.width}x${image.height} image needs ${image.width * image.height * 4} bytes, got ${image.data.length}`);
    }
    onStage?.('backbone');
    const start = performance.now();
    const input = networkInput(image, placement, inputSize);
    try {
      // A set with a fine-tuned affinity backbone runs it on the same input in the affinity stage.
      return { placement, ...(await this.runNetworks(input, placement, start, affinity, onStage)) };
    } finally {
      input.dispose();
    }
  }

  private async runNetworks<T extends object>(input: tf.Tensor3D, placement: InputPlacement, backboneStart: number, affinity: AffinityStage<T>, onStage?: (stage: PipelineStage) => void): Promise<Omit<PipelineResult, 'placement' | 'embedding'> & T> {
    const valid: ValidGrid = { height: placement.gridHeight, width: placement.gridWidth };
    const timings: Record<string, number> = {};
    const { backbone, heads } = this.models;
    const evidence = this.meta.classEvidence;
    // The segmentation head may read the detector's maps even where the detector does not name the classes.
    const readsDetector = heads.seg.topology.inputs.some((i) => isDetectorTap(i.tap));
    const { taps, detector } = evidence || readsDetector ? detectorPass(backbone, input) : { taps: backbone.extract(input), detector: null };
    const deviceCams: tf.Tensor4D[] = [];
    let kept: T | undefined;
    try {
      // Reading one value waits for the whole graph, so the time is the backbone's own.
      await waitFor(taps.fpn_s8);
      timings.backbone = performance.now() - backboneStart;

      onStage?.('cam');
      let start = performance.now();
      const { cams: headCams, scores, objectness } = tf.tidy(() => {
        const { cams: raw, logits } = heads.cam.classify(taps, valid);
        const normalised = normalizeCams(raw, valid);
        return {
          cams: inSetChannels(normalised, this.meta.classes.map((_, c) => this.camChannels.indexOf(c))),
          scores: tf.sigmoid(logits),
          // Region naming compares cells across the image, so it reads the CAMs before their per-class normalisation.
          objectness: evidence?.regions ? (tf.max(raw, 3) as tf.Tensor3D) : undefined,
        };
      });
      deviceCams.push(headCams);
      const headScores = (await scores.data().finally(() => scores.dispose())) as Float32Array;
      let detected: DetectorEvidence | null = null;
      try {
        if (evidence && detector) detected = await this.detectorEvidence(detector, headCams, objectness, valid, evidence);
      } finally {
        objectness?.dispose();
      }
      if (detected) deviceCams.push(detected.cams);
      const { classScores, classEvidence, cams } = detected ?? { ...this.camHeadScores(headScores), cams: headCams };
      // The set's CAMs stay on the device, where the CAM-guided head and a walk on the device read them; read back once, to be shown (and walked off the device).
      const camMaps = await download(cams);
      timings.cam = performance.now() - start;

      onStage?.('affinity');
      start = performance.now();
      // The set's CAMs for a walk on the device, handed over to own.
      const walkCams = () => tf.clone(cams);
      kept = await affinity.take({ embedding: this.embed(input, taps), walkCams, placement });
      timings.affinity = performance.now() - start;

      onStage?.('segmentation');
      start = performance.now();
      const keep = keptByEvidence(classScores, classEvidence);
      const segLogits = heads.seg.topology.classMap === undefined
        ? this.segInSetChannels(await download(heads.seg.forward(taps), true))
        : await this.guidedSegmentation(detector ? { ...taps, ...detectorTaps(detector) } : taps, tf.tidy(() => tf.transpose(tf.gather(cams, keep, 3), [3, 1, 2, 0])), keep);
      timings.segmentation = performance.now() - start;

      return { classScores, classEvidence, cams: camMaps, segLogits, timings, ...kept };
    } catch (e) {
      if (kept) affinity.drop(kept);
      throw e;
    } finally {
      tf.dispose([...Object.values(taps), ...(detector ? [detector.heatmaps, detector.boxSizes, detector.fine] : []), ...deviceCams]);
    }
  }

  /** The CAM head's scores in the set's channels (0 for classes the head lacks). */
  private camHeadScores(headScores: Float32Array): Pick<DetectorEvidence, 'classScores' | 'classEvidence'> {
    const { classes, defaults } = this.meta;
    return {
      classScores: placeScores(headScores, this.camChannels, classes.length),
      classEvidence: { source: 'cam-head', threshold: defaults.classThreshold, beta: defaults.beta },
    };
  }

  /**
   * The detector's scores (its best heatmap cell inside the image) and, when
   * it speaks for the image, CAMs from its boxes and the CAM head's
   * objectness, on the device (core/class_evidence.ts, box_cams.ts). Null
   * when it does not.
   */
  private async detectorEvidence(detector: DetectorOutputs, setCams: tf.Tensor4D, objectness: tf.Tensor3D | undefined, valid: ValidGrid, config: ClassEvidenceConfig): Promise<DetectorEvidence | null> {
    const { classes, gridStride, inputSize } = this.meta;
    const [, h] = detector.heatmaps.shape;
    const ratio = h / setCams.shape[1];
    // Detector cells inside the image: those of the valid grid, at the detector's finer stride.
    const inside = [1, valid.height * ratio, valid.width * ratio];
    const width = inside[2];
    const { scores, best, cells, sizes, regionMaps } = tf.tidy(() => {
      const heat = tf.slice(tf.gather(detector.heatmaps, classes.map((c) => COCO_CHANNEL_OF_VOC[c.voc]), 3), [0, 0, 0, 0], [...inside, classes.length]) as tf.Tensor4D;
      // An object centre is the largest heat of its 3x3 neighbourhood (CenterNet's own peak test).
      const isPeak = tf.equal(heat, tf.maxPool(heat, 3, 1, 'same'));
      // Only the best peaks leave the device, with the box sides at their cells.
      const { values, indices } = tf.topk(tf.reshape(tf.where(isPeak, heat, tf.zerosLike(heat)), [-1]), Math.min(MAX_DETECTIONS, heat.size));
      const peakCells = tf.cast(tf.floorDiv(indices, classes.length), 'int32');
      const boxSides = tf.slice(detector.boxSizes, [0, 0, 0, 0], [...inside, 4]);
      return {
        scores: tf.max(heat, [0, 1, 2]),
        // For region naming: the heat on the CAMs' grid (its largest cell under each grid cell) and the objectness there, channels first.
        regionMaps: objectness && config.regions
          ? {
              heat: tf.transpose(tf.squeeze(tf.maxPool(heat, ratio, ratio, 'valid'), [0]), [2, 0, 1]),
              objectness: tf.slice(objectness, [0, 0, 0], [1, valid.height, valid.width]),
            }
          : undefined,
        best: { values, indices },
        cells: peakCells,
        sizes: tf.gather(tf.reshape(boxSides, [-1, 4]), peakCells),
      };
    });
    try {
      const classScores = (await scores.data()) as Float32Array;
      if (evidenceSource(classScores, config.gate) !== 'detector') return null;
      const named = regionMaps && config.regions ? await this.regionNamed(regionMaps, valid, config.regions) : undefined;
      const [values, indices, cellIds, sides] = await Promise.all([best.values.data(), best.indices.data(), cells.data(), sizes.data()]);
      const peaks = Array.from(values, (score, k) => ({ score, cell: cellIds[k], channel: indices[k] % classes.length }));
      const detections = decodeCenterNet(peaks, sides as Float32Array, width, inputSize / h, config.boxes.minScore);
      const regions = keptBoxRegions(detections, classes.length, gridStride, valid, config.boxes);
      return {
        classScores,
        cams: boxCamsOnDevice(regions, setCams),
        classEvidence: { source: 'detector', threshold: config.threshold, beta: config.beta ?? this.meta.defaults.beta, boxes: regions, ...(named ? { named } : {}) },
      };
    } finally {
      tf.dispose([scores, best.values, best.indices, cells, sizes, ...(regionMaps ? [regionMaps.heat, regionMaps.objectness] : [])]);
    }
  }

  /** The classes salient regions name (core/class_evidence.ts regionNamedClasses), from maps on the image's grid region. */
  private async regionNamed(maps: { heat: tf.Tensor; objectness: tf.Tensor }, valid: ValidGrid, naming: RegionNaming): Promise<number[]> {
    const [heat, objectness] = (await Promise.all([maps.heat.data(), maps.objectness.data()])) as Float32Array[];
    const { height, width } = valid;
    return regionNamedClasses(mapsFrom(objectness, 1, height, width), mapsFrom(heat, this.meta.classes.length, height, width), naming);
  }

  /**
   * The CAM-guided head asked about the kept classes, each with its CAM
   * (docs/algorithm.md §6b), on its own grid (ModelSetMeta.segGridStride).
   * In the set's channels: background 0, a kept class its logit, every
   * other class one that never wins.
   */
  private async guidedSegmentation(taps: Readonly<Record<string, tf.Tensor4D>>, classCams: tf.Tensor4D, keep: readonly number[]): Promise<ChannelMaps> {
    let logits: ChannelMaps;
    try {
      logits = await download(tf.tidy(() => tf.transpose(this.models.heads.seg.segmentClasses(taps, classCams), [3, 1, 2, 0]) as tf.Tensor4D), true);
    } finally {
      classCams.dispose();
    }
    const out = placeChannels(logits, keep.map((c) => c + 1), this.meta.classes.length + 1, ABSENT_CLASS_LOGIT);
    // On the head's own grid, which a fine tap makes finer than the CAMs'.
    out.data.fill(0, 0, logits.height * logits.width);
    return out;
  }

  /** Segmentation logits in the set's channels; classes the head lacks can never win. */
  private segInSetChannels(segLogits: ChannelMaps): ChannelMaps {
    const channels = this.meta.classes.length + 1;
    if (this.segChannels.length === channels && this.segChannels.every((c, k) => c === k)) return segLogits;
    return placeChannels(segLogits, this.segChannels, channels, ABSENT_CLASS_LOGIT);
  }

  /** f_aff [1, H, W, D] from the affinity backbone's taps if the set has one, else from the shared taps. */
  private embed(input: tf.Tensor3D, shared: Record<TapName, tf.Tensor4D>): tf.Tensor4D {
    const { affBackbone, heads } = this.models;
    if (!affBackbone) return heads.aff.forward(shared);
    const own = affBackbone.extract(input);
    try {
      return heads.aff.forward(own);
    } finally {
      tf.dispose(Object.values(own));
    }
  }

  dispose(): void {
    this.models.dispose();
  }
}

/**
 * psa's per-class normalisation M_c / (max M_c + 1e-5), with the max taken
 * over the image's cells only; cells that lie wholly in the padding are set
 * to 0 (no evidence there), as psa's zero-padded CAMs are.
 */
function normalizeCams(cams: tf.Tensor4D, valid: ValidGrid): tf.Tensor4D {
  const [, h, w, c] = cams.shape;
  const inside = tf.slice(cams, [0, 0, 0, 0], [1, valid.height, valid.width, c]);
  const peak = tf.max(inside, [1, 2], true);
  const scaled = tf.div(inside, tf.add(peak, CAM_NORM_EPS)) as tf.Tensor4D;
  return tf.pad(scaled, [[0, 0], [0, h - valid.height], [0, w - valid.width], [0, 0]]);
}

/**
 * What the affinity stage makes of the embedding [1, H, W, D], which it is
 * handed to own: the embedding downloaded (run), or the walk's inputs kept on
 * the device (runWalkOnDevice).
 */
interface AffinityStage<T extends object> {
  take(outputs: { embedding: tf.Tensor4D; walkCams: () => tf.Tensor4D; placement: InputPlacement }): Promise<T>;
  /** Frees what take kept, when a later stage fails. */
  drop(kept: T): void;
}

/** The detector's word on an image: its scores, and CAMs from its boxes in the set's channels, [1, H, W, C], on the device. */
interface DetectorEvidence {
  classScores: Float32Array;
  cams: tf.Tensor4D;
  classEvidence: ClassEvidence;
}

/**
 * Below any logit a head produces, yet finite: bilinear upsampling mixes
 * neighbouring cells, and -Infinity times a zero weight is NaN.
 */
const ABSENT_CLASS_LOGIT = -1e9;

/** As many boxes as CenterNet's own decoder keeps. */
const MAX_DETECTIONS = 100;

/** The taps and the detector's outputs in one pass; only the CenterNet graph has a detector. */
function detectorPass(backbone: FeatureBackbone, input: tf.Tensor3D): { taps: Record<TapName, tf.Tensor4D>; detector: DetectorOutputs } {
  if (!backbone.extractWithDetector) throw new Error('classEvidence needs the CenterNet backbone, which has the detector head');
  return backbone.extractWithDetector(input);
}

async function waitFor(t: tf.Tensor4D): Promise<void> {
  const one = tf.slice(t, [0, 0, 0, 0], [1, 1, 1, 1]);
  try {
    await one.data();
  } finally {
    one.dispose();
  }
}

/** [1, H, W, C] -> (C, H, W) on the device; disposes the input if `consume`. */
function channelsFirst(t: tf.Tensor4D, consume = false): tf.Tensor3D {
  const chw = tf.tidy(() => tf.transpose(tf.squeeze(t, [0]), [2, 0, 1]) as tf.Tensor3D);
  if (consume) t.dispose();
  return chw;
}

/** [1, H, W, C] -> channel-major ChannelMaps (C, H, W); disposes the input if `consume`. */
async function download(t: tf.Tensor4D, consume = false): Promise<ChannelMaps> {
  const chw = channelsFirst(t, consume);
  try {
    return mapsFrom((await chw.data()) as Float32Array, ...chw.shape);
  } finally {
    chw.dispose();
  }
}
