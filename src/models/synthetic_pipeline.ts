import { GRID_STRIDE, VOC_CLASSES } from '../core/constants';
import { ChannelMaps, createMaps } from '../core/maps';
import { DEFAULT_WALK_PARAMETERS } from './model_set/constants';
import { placeImage } from './pipeline/placement';
import type { InputPlacement, LabPipeline, ModelSetMeta, PipelineResult, PipelineStage } from './pipeline/types';

/**
 * A stand-in for the networks, for developing and testing the UI before real
 * weights exist (opened only with ?model=synthetic-untrained). It is not a
 * network: "CAMs" are colour saliency split by hue, the "embedding" is colour,
 * so the walk and every view have something plausible to show. Its meta says
 * trained: false, and the UI says so.
 */

export const SYNTHETIC_MODEL_ID = 'synthetic-untrained';

const CLASS_NAMES = ['aeroplane', 'bird', 'boat', 'bus', 'car', 'cat', 'cow', 'dog', 'horse', 'person', 'train', 'tvmonitor'] as const;

export const SYNTHETIC_META: ModelSetMeta = {
  id: SYNTHETIC_MODEL_ID,
  name: 'Synthetic stand-in (untrained, not a network)',
  classes: CLASS_NAMES.map((name) => ({ voc: VOC_CLASSES.indexOf(name), name })),
  inputSize: 256,
  gridStride: GRID_STRIDE,
  segGridStride: GRID_STRIDE,
  defaults: { ...DEFAULT_WALK_PARAMETERS },
  headClasses: { cam: CLASS_NAMES.map((name) => VOC_CLASSES.indexOf(name)), seg: CLASS_NAMES.map((name) => VOC_CLASSES.indexOf(name)) },
  trained: false,
  summary: { purpose: 'UI development and tests only; outputs are colour heuristics, not predictions' },
};

type Rgba = Parameters<LabPipeline['run']>[0];

/** Mean RGB (0..1) of the image pixels under each grid cell of the valid region; padding cells stay 0. */
function cellColours(image: Rgba, placement: InputPlacement, grid: number, stride: number): ChannelMaps {
  const out = createMaps(3, grid, grid);
  const n = grid * grid;
  const scale = image.width / placement.width;
  for (let gy = 0; gy < placement.gridHeight; gy++) {
    for (let gx = 0; gx < placement.gridWidth; gx++) {
      const x0 = Math.floor(gx * stride * scale), x1 = Math.min(image.width, Math.ceil((gx + 1) * stride * scale));
      const y0 = Math.floor(gy * stride * scale), y1 = Math.min(image.height, Math.ceil((gy + 1) * stride * scale));
      let r = 0, g = 0, b = 0, count = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const p = (y * image.width + x) * 4;
          r += image.data[p]; g += image.data[p + 1]; b += image.data[p + 2]; count++;
        }
      }
      const i = gy * grid + gx;
      if (count === 0) continue;
      out.data[i] = r / count / 255;
      out.data[n + i] = g / count / 255;
      out.data[2 * n + i] = b / count / 255;
    }
  }
  return out;
}

function hue(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b), min = Math.min(r, g, b);
  if (max === min) return 0;
  const d = max - min;
  const h = max === r ? (g - b) / d + (g < b ? 6 : 0) : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return h / 6;
}

export class SyntheticPipeline implements LabPipeline {
  readonly meta = SYNTHETIC_META;

  async run(image: Rgba, onStage?: (stage: PipelineStage) => void): Promise<PipelineResult> {
    const timings: Record<string, number> = {};
    const { inputSize, gridStride: stride } = this.meta;
    const grid = inputSize / stride;
    const placement = placeImage(image.width, image.height, inputSize, stride);
    const stage = async <T>(name: PipelineStage, work: () => T): Promise<T> => {
      onStage?.(name);
      await new Promise((resolve) => setTimeout(resolve, 0)); // let the UI paint the stage
      const started = performance.now();
      const value = work();
      timings[name] = performance.now() - started;
      return value;
    };
    const colours = await stage('backbone', () => cellColours(image, placement, grid, stride));
    const n = grid * grid;
    const cams = await stage('cam', () => this.cams(colours, placement, grid));
    const embedding = await stage('affinity', () => {
      const e = createMaps(3, grid, grid);
      for (let i = 0; i < e.data.length; i++) e.data[i] = colours.data[i] * 6; // colour edges -> low affinity
      return e;
    });
    const segLogits = await stage('segmentation', () => {
      const s = createMaps(cams.channels + 1, grid, grid);
      for (let i = 0; i < n; i++) {
        let max = 0;
        for (let c = 0; c < cams.channels; c++) max = Math.max(max, cams.data[c * n + i]);
        s.data[i] = 0.35 - max;
      }
      s.data.set(cams.data.map((v) => v - 0.3), n);
      return s;
    });
    const classScores = new Float32Array(cams.channels);
    for (let c = 0; c < cams.channels; c++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += cams.data[c * n + i];
      classScores[c] = 1 / (1 + Math.exp(-(sum / (placement.gridWidth * placement.gridHeight) - 0.08) * 40));
    }
    return { placement, classScores, classEvidence: { source: 'cam-head', threshold: this.meta.defaults.classThreshold, beta: this.meta.defaults.beta }, cams, embedding, segLogits, timings };
  }

  /** Saliency (colour distance from the border's mean colour), assigned to classes by hue. */
  private cams(colours: ChannelMaps, placement: InputPlacement, grid: number): ChannelMaps {
    const n = grid * grid;
    const { gridWidth: gw, gridHeight: gh } = placement;
    const border = [0, 0, 0];
    let count = 0;
    for (let y = 0; y < gh; y++) {
      for (let x = 0; x < gw; x++) {
        if (y > 0 && y < gh - 1 && x > 0 && x < gw - 1) continue;
        for (let c = 0; c < 3; c++) border[c] += colours.data[c * n + y * grid + x];
        count++;
      }
    }
    const classes = this.meta.classes.length;
    const cams = createMaps(classes, grid, grid);
    for (let y = 0; y < gh; y++) {
      for (let x = 0; x < gw; x++) {
        const i = y * grid + x;
        const [r, g, b] = [0, 1, 2].map((c) => colours.data[c * n + i]);
        const saliency = Math.hypot(r - border[0] / count, g - border[1] / count, b - border[2] / count);
        const c = Math.min(classes - 1, Math.floor(hue(r, g, b) * classes));
        cams.data[c * n + i] = saliency;
      }
    }
    for (let c = 0; c < classes; c++) {
      const channel = cams.data.subarray(c * n, (c + 1) * n);
      const max = channel.reduce((m, v) => Math.max(m, v), 0);
      for (let i = 0; i < n; i++) channel[i] /= max + 1e-5;
    }
    return cams;
  }

  dispose(): void {}
}
