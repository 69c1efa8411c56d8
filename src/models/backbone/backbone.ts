import * as tf from '@tensorflow/tfjs';
import { BACKBONE_INPUT_NODE, BACKBONE_INPUT_SIZE, BACKBONE_TAPS, DEFAULT_BACKBONE_MODEL_CONFIG, DETECTOR_BOX_SIZES, DETECTOR_FINE, DETECTOR_HEATMAPS, TAP_NAMES } from './constants';
import type { BackboneModelConfig, DetectorOutputs, TapName, TapShape } from './types';

/** Frozen CenterNet backbone that returns the chosen feature maps of one image. */
export class Backbone<K extends TapName = TapName> {
  private readonly nodes: string[];

  constructor(
    private readonly model: tf.GraphModel,
    readonly taps: readonly K[],
  ) {
    this.nodes = taps.map((key) => BACKBONE_TAPS[key].node);
  }

  get tapShapes(): Record<K, TapShape> {
    return Object.fromEntries(this.taps.map((key) => [key, { channels: BACKBONE_TAPS[key].channels, stride: BACKBONE_TAPS[key].stride }])) as Record<K, TapShape>;
  }

  /**
   * @param image HxWx3 float RGB in 0-255 with H = W = 512 (the graph's only size).
   * @returns per tap a [1, 512/stride, 512/stride, channels] tensor, owned by the caller.
   */
  extract(image: tf.Tensor3D): Record<K, tf.Tensor4D> {
    return this.run(image, this.nodes).taps;
  }

  /** The taps and CenterNet's detector outputs (class heatmaps, box sides, stride-4 features) from one pass of the graph. */
  extractWithDetector(image: tf.Tensor3D): { taps: Record<K, tf.Tensor4D>; detector: DetectorOutputs } {
    const { taps, extra } = this.run(image, [...this.nodes, DETECTOR_HEATMAPS.node, DETECTOR_BOX_SIZES.node, DETECTOR_FINE.node]);
    return { taps, detector: { heatmaps: extra[0], boxSizes: extra[1], fine: extra[2] } };
  }

  private run(image: tf.Tensor3D, nodes: string[]): { taps: Record<K, tf.Tensor4D>; extra: tf.Tensor4D[] } {
    const [h, w, c] = image.shape;
    if (h !== BACKBONE_INPUT_SIZE || w !== BACKBONE_INPUT_SIZE || c !== 3) {
      throw new Error(`backbone input must be ${BACKBONE_INPUT_SIZE}x${BACKBONE_INPUT_SIZE}x3, got ${image.shape.join('x')}`);
    }
    return tf.tidy(() => {
      const input = tf.expandDims(tf.cast(image, 'float32'), 0);
      const out = this.model.execute({ [BACKBONE_INPUT_NODE]: input }, nodes);
      // execute() unwraps a one-element output list.
      const maps = (Array.isArray(out) ? out : [out]) as tf.Tensor4D[];
      const taps = {} as Record<K, tf.Tensor4D>;
      this.taps.forEach((key, i) => {
        taps[key] = maps[i];
      });
      return { taps, extra: maps.slice(this.taps.length) };
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}

export async function loadBackbone<K extends TapName = TapName>(config: BackboneModelConfig<K> = {}): Promise<Backbone<K>> {
  const taps = (config.taps ?? DEFAULT_BACKBONE_MODEL_CONFIG.taps) as readonly K[];
  const unknown = taps.filter((key) => !(key in BACKBONE_TAPS));
  if (unknown.length > 0 || taps.length === 0) {
    throw new Error(`invalid backbone taps [${unknown.join(', ')}]; choose from ${TAP_NAMES.join(', ')}`);
  }
  const model = await tf.loadGraphModel(config.modelUrl ?? DEFAULT_BACKBONE_MODEL_CONFIG.modelUrl);
  return new Backbone(model, taps);
}
