import * as tf from '@tensorflow/tfjs';
import { activate } from '../activation';
import { fetchJson, httpModelHandler, manifestBytes } from '../http_io';
import { checkWeights } from '../weights';
import { expectedWeightShapes, parseHeadModelJson } from './topology';
import type { ConvLayer, HeadKind, HeadModelConfig, HeadTopology } from './types';

export type TapTensors = Readonly<Record<string, tf.Tensor4D>>;

/** Cells of the grid that cover the image (the rest is padding). */
export interface ValidGrid {
  height: number;
  width: number;
}

/** A small convolutional head run with tfjs ops, as its modelTopology describes it. */
export class Head {
  constructor(
    readonly topology: HeadTopology,
    private readonly weights: tf.NamedTensorMap,
  ) {}

  get kind(): HeadKind {
    return this.topology.kind;
  }

  /** The last layer's output, [1, H, W, filters]; owned by the caller. */
  forward(taps: TapTensors): tf.Tensor4D {
    return tf.tidy(() => {
      const outputs = this.runLayers(taps, this.topology.layers.length);
      return outputs.get(this.lastLayer.name)!;
    });
  }

  /**
   * CAM head: the class activation maps (the classifier with its activation,
   * at every cell: [1, H, W, C]) and the image-level logits ([1, C]): the
   * classifier without activation on the features averaged over the valid
   * grid only, so that padding does not dilute the score. Both owned by the caller.
   */
  classify(taps: TapTensors, valid: ValidGrid): { cams: tf.Tensor4D; logits: tf.Tensor2D } {
    const classifier = this.lastLayer;
    return tf.tidy(() => {
      const outputs = this.runLayers(taps, this.topology.layers.length - 1);
      const features = this.layerInput(classifier, outputs);
      const cams = this.conv(classifier, features);
      const [, , , channels] = features.shape;
      const pooled = tf.mean(tf.slice(features, [0, 0, 0, 0], [1, valid.height, valid.width, channels]), [1, 2]) as tf.Tensor2D;
      const kernel = tf.reshape(this.weights[`${classifier.name}/kernel`], [channels, classifier.filters]) as tf.Tensor2D;
      let logits: tf.Tensor2D = tf.matMul(pooled, kernel);
      if (classifier.bias) logits = tf.add(logits, this.weights[`${classifier.name}/bias`]) as tf.Tensor2D;
      return { cams, logits };
    });
  }

  /**
   * CAM-guided segmentation head: one logit map per class, [K, H', W', 1],
   * given `classCams` [K, H, W, 1], each class's normalised CAM on the grid;
   * H', W' are the classMapGrid tap's when the head has one (the class maps
   * are resized to it), else H, W. Layers that do not read the class map
   * run once; their output is shared by all K classes. Owned by the caller.
   */
  segmentClasses(taps: TapTensors, classCams: tf.Tensor4D): tf.Tensor4D {
    const { classMap, classMapGrid } = this.topology;
    if (classMap === undefined) throw new Error(`${this.kind} head: segmentClasses needs a head with a class map`);
    return tf.tidy(() => {
      let maps = classCams;
      if (classMapGrid !== undefined) {
        const grid = taps[classMapGrid];
        if (!grid) throw new Error(`${this.kind} head: its class maps go on the grid of ${classMapGrid}, which was not given`);
        maps = tf.image.resizeBilinear(classCams, [grid.shape[1], grid.shape[2]], false, true);
      }
      const outputs = this.runLayers({ ...taps, [classMap]: maps }, this.topology.layers.length);
      return outputs.get(this.lastLayer.name)!;
    });
  }

  dispose(): void {
    tf.dispose(this.weights);
  }

  private get lastLayer(): ConvLayer {
    return this.topology.layers[this.topology.layers.length - 1];
  }

  /** Runs the first `count` layers; call inside tf.tidy. */
  private runLayers(taps: TapTensors, count: number): Map<string, tf.Tensor4D> {
    const outputs = new Map<string, tf.Tensor4D>(Object.entries(taps));
    for (const layer of this.topology.layers.slice(0, count)) {
      const inputs = this.layerInputs(layer, outputs);
      let y = inputs.some((t) => t.shape[0] > 1) && inputs.some((t) => t.shape[0] === 1) ? this.sharedAndPerClassConv(layer, inputs) : this.conv(layer, this.concatenated(inputs));
      if (layer.resizeTo !== undefined) {
        const [, h, w] = taps[layer.resizeTo].shape;
        y = tf.image.resizeBilinear(y, [h, w], false, true);
      }
      outputs.set(layer.name, y);
    }
    return outputs;
  }

  private layerInput(layer: ConvLayer, outputs: Map<string, tf.Tensor4D>): tf.Tensor4D {
    return this.concatenated(this.layerInputs(layer, outputs));
  }

  private layerInputs(layer: ConvLayer, outputs: Map<string, tf.Tensor4D>): tf.Tensor4D[] {
    return layer.inputs.map((name) => {
      const t = outputs.get(name);
      if (!t) throw new Error(`${this.kind} head layer ${layer.name}: input ${name} was not given`);
      return t;
    });
  }

  private concatenated(inputs: tf.Tensor4D[]): tf.Tensor4D {
    return inputs.length === 1 ? inputs[0] : tf.concat(inputs, 3);
  }

  /**
   * A conv over the concatenation of shared inputs (batch 1) and per-class
   * ones (batch K), as the sum of one conv per input with its slice of the
   * kernel: the shared part runs once instead of K times (on the CAM-guided
   * head's evidence layer, all but one of its input channels), then bias and
   * activation.
   */
  private sharedAndPerClassConv(layer: ConvLayer, inputs: tf.Tensor4D[]): tf.Tensor4D {
    const kernel = this.weights[`${layer.name}/kernel`] as tf.Tensor4D;
    let offset = 0;
    const parts = inputs.map((x) => {
      const slice = tf.slice(kernel, [0, 0, offset, 0], [-1, -1, x.shape[3], -1]);
      offset += x.shape[3];
      return tf.conv2d(x, slice, 1, 'same', 'NHWC', layer.dilation);
    });
    let y = parts.reduce((sum, part) => tf.add(sum, part)) as tf.Tensor4D;
    if (layer.bias) y = tf.add(y, this.weights[`${layer.name}/bias`]);
    return activate(y, layer.activation);
  }

  private conv(layer: ConvLayer, x: tf.Tensor4D): tf.Tensor4D {
    return tf.fused.conv2d({
      x,
      filter: this.weights[`${layer.name}/kernel`] as tf.Tensor4D,
      strides: 1,
      pad: 'same',
      dataFormat: 'NHWC',
      dilations: layer.dilation,
      bias: layer.bias ? this.weights[`${layer.name}/bias`] : undefined,
      activation: layer.activation,
    });
  }
}

/**
 * Loads a head and checks it against its topology before any tensor is made:
 * a missing or short shard, a missing, extra or misshapen weight each throw
 * an Error naming the file and the weight.
 */
export async function loadHead(config: HeadModelConfig): Promise<Head> {
  const { modelUrl, kind, tapChannels, onProgress } = config;
  const name = config.name ?? (typeof modelUrl === 'string' ? modelUrl : `${kind} head`);
  let handler: tf.io.IOHandler;
  if (typeof modelUrl === 'string') {
    const modelJson = (await fetchJson(modelUrl)) as tf.io.ModelJSON;
    const total = Array.isArray(modelJson.weightsManifest) ? manifestBytes(modelJson.weightsManifest) : 0;
    let loaded = 0;
    onProgress?.(0, total);
    handler = httpModelHandler(modelUrl, { modelJson, onBytes: (n) => onProgress?.((loaded += n), total) });
  } else {
    handler = modelUrl;
  }
  if (!handler.load) throw new Error(`${name}: the IOHandler cannot load`);
  const artifacts = await handler.load();
  const topology = parseHeadModelJson({ format: artifacts.format, modelTopology: artifacts.modelTopology }, kind, name);
  if (kind === 'cam') checkClassifier(topology, name);
  const specs = artifacts.weightSpecs ?? [];
  const data = artifacts.weightData;
  checkWeights(specs, data, expectedWeightShapes(topology, tapChannels, name), name);
  return new Head(topology, tf.io.decodeWeights(data!, specs));
}

/** classify() pools before the classifier, which is only the same as after it for a 1x1 conv on one input. */
function checkClassifier(topology: HeadTopology, name: string): void {
  const last = topology.layers[topology.layers.length - 1];
  if (last.kernel !== 1 || last.inputs.length !== 1 || last.resizeTo !== undefined) {
    throw new Error(`${name}: the CAM head's last layer (${last.name}) must be a 1x1 conv of one input without resize`);
  }
}
