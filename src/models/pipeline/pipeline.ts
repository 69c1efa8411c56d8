import * as tf from '@tensorflow/tfjs';
import { CAM_NORM_EPS } from '../../core/constants';
import { mapsFrom, type ChannelMaps } from '../../core/maps';
import type { TapName } from '../backbone';
import type { ValidGrid } from '../heads';
import { loadModelSet, type ModelSet, type ModelSetOptions, type ModelSetSource } from '../model_set';
import { networkInput } from './input';
import { placeImage } from './placement';
import type { LabPipeline, LoadProgress, ModelSetMeta, PipelineResult, PipelineStage, RgbaInput } from './types';

/**
 * Loads a model set (folder URL such as '/models/default/', or files from
 * Node and tests) and wraps it as a LabPipeline.
 */
export async function loadPipeline(source: string | ModelSetSource, onProgress?: (progress: LoadProgress) => void, options: Omit<ModelSetOptions, 'onProgress'> = {}): Promise<LabPipeline> {
  return new ModelSetPipeline(await loadModelSet(source, { ...options, onProgress }));
}

export class ModelSetPipeline implements LabPipeline {
  constructor(private readonly models: ModelSet) {}

  get meta(): ModelSetMeta {
    return this.models.meta;
  }

  async run(image: RgbaInput, onStage?: (stage: PipelineStage) => void): Promise<PipelineResult> {
    const { inputSize, gridStride } = this.meta;
    const placement = placeImage(image.width, image.height, inputSize, gridStride);
    if (image.data.length !== image.width * image.height * 4) {
      throw new Error(`RGBA data of a ${image.width}x${image.height} image needs ${image.width * image.height * 4} bytes, got ${image.data.length}`);
    }
    const valid: ValidGrid = { height: placement.gridHeight, width: placement.gridWidth };
    onStage?.('backbone');
    const start = performance.now();
    const input = networkInput(image, placement, inputSize);
    try {
      // A set with a fine-tuned affinity backbone runs it on the same input in the affinity stage.
      return { placement, ...(await this.runNetworks(input, valid, start, onStage)) };
    } finally {
      input.dispose();
    }
  }

  private async runNetworks(input: tf.Tensor3D, valid: ValidGrid, backboneStart: number, onStage?: (stage: PipelineStage) => void): Promise<Omit<PipelineResult, 'placement'>> {
    const timings: Record<string, number> = {};
    const { backbone, heads } = this.models;
    const taps = backbone.extract(input);
    try {
      // Reading one value waits for the whole graph, so the time is the backbone's own.
      await waitFor(taps.fpn_s8);
      timings.backbone = performance.now() - backboneStart;

      onStage?.('cam');
      let start = performance.now();
      const { cams, scores } = tf.tidy(() => {
        const { cams: raw, logits } = heads.cam.classify(taps, valid);
        return { cams: normalizeCams(raw, valid), scores: tf.sigmoid(logits) };
      });
      const [camMaps, classScores] = await Promise.all([download(cams), scores.data() as Promise<Float32Array>]).finally(() => tf.dispose([cams, scores]));
      timings.cam = performance.now() - start;

      onStage?.('affinity');
      start = performance.now();
      const embedding = await this.embed(input, taps);
      timings.affinity = performance.now() - start;

      onStage?.('segmentation');
      start = performance.now();
      const segLogits = await download(heads.seg.forward(taps), true);
      timings.segmentation = performance.now() - start;

      return { classScores, cams: camMaps, embedding, segLogits, timings };
    } finally {
      tf.dispose(Object.values(taps));
    }
  }

  /** f_aff from the affinity backbone's taps if the set has one, else from the shared taps. */
  private async embed(input: tf.Tensor3D, shared: Record<TapName, tf.Tensor4D>): Promise<ChannelMaps> {
    const { affBackbone, heads } = this.models;
    if (!affBackbone) return download(heads.aff.forward(shared), true);
    const own = affBackbone.extract(input);
    try {
      return await download(heads.aff.forward(own), true);
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

async function waitFor(t: tf.Tensor4D): Promise<void> {
  const one = tf.slice(t, [0, 0, 0, 0], [1, 1, 1, 1]);
  try {
    await one.data();
  } finally {
    one.dispose();
  }
}

/** [1, H, W, C] -> channel-major ChannelMaps (C, H, W); disposes the input if `consume`. */
async function download(t: tf.Tensor4D, consume = false): Promise<ChannelMaps> {
  const [, h, w, c] = t.shape;
  const chw = tf.tidy(() => tf.transpose(tf.squeeze(t, [0]), [2, 0, 1]));
  try {
    return mapsFrom((await chw.data()) as Float32Array, c, h, w);
  } finally {
    chw.dispose();
    if (consume) t.dispose();
  }
}
