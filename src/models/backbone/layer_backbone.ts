import * as tf from '@tensorflow/tfjs';
import { activate } from '../activation';
import { httpModelHandler } from '../http_io';
import { checkWeights } from '../weights';
import { LAYER_INPUT, TAP_NAMES } from './constants';
import { parseBackboneModelJson, type BackboneLayer, type BackboneTopology, type CheckedBackboneTopology } from './layer_topology';
import type { FeatureBackbone, LayerBackboneModelConfig, TapName, TapShape } from './types';

/**
 * One of our own backbones (format "affinitylab-backbone", written by
 * training/tools/backbone_export.py): a list of convolutions, depthwise
 * convolutions, sums and resizes run with tfjs ops. Fully convolutional:
 * any input size whose sides divide by the largest stride.
 */
export class LayerBackbone implements FeatureBackbone {
  private readonly topology: BackboneTopology;
  readonly tapShapes: Readonly<Record<TapName, TapShape>>;
  /** Index of the last layer that reads each tensor, so the rest can be freed early. */
  private readonly lastUse: Map<string, number>;

  constructor(
    checked: CheckedBackboneTopology,
    private readonly weights: tf.NamedTensorMap,
  ) {
    this.topology = checked.topology;
    this.tapShapes = checked.tapShapes;
    this.lastUse = new Map();
    const { layers, taps } = this.topology;
    layers.forEach((layer, i) => {
      for (const name of [...layer.inputs, ...(layer.resizeTo === undefined ? [] : [layer.resizeTo])]) this.lastUse.set(name, i);
    });
    for (const name of Object.values(taps)) this.lastUse.set(name, layers.length);
  }

  extract(image: tf.Tensor3D): Record<TapName, tf.Tensor4D> {
    const [h, w, c] = image.shape;
    const maxStride = Math.max(...Object.values(this.tapShapes).map((t) => t.stride));
    if (c !== 3 || h % maxStride !== 0 || w % maxStride !== 0) {
      throw new Error(`backbone input must be HxWx3 with H and W multiples of ${maxStride}, got ${image.shape.join('x')}`);
    }
    return tf.tidy(() => {
      const { scale, offset, layers, taps } = this.topology;
      const outputs = new Map<string, tf.Tensor4D>([[LAYER_INPUT, tf.expandDims(tf.add(tf.mul(tf.cast(image, 'float32'), scale), offset), 0)]]);
      layers.forEach((layer, i) => {
        outputs.set(layer.name, this.run(layer, outputs));
        // Free inputs no later layer or tap reads: the early full-resolution maps are large.
        for (const name of layer.inputs) {
          if (this.lastUse.get(name) === i) outputs.get(name)!.dispose();
        }
      });
      return Object.fromEntries(TAP_NAMES.map((key) => [key, outputs.get(taps[key])!])) as Record<TapName, tf.Tensor4D>;
    });
  }

  dispose(): void {
    tf.dispose(this.weights);
  }

  private run(layer: BackboneLayer, outputs: Map<string, tf.Tensor4D>): tf.Tensor4D {
    const inputs = layer.inputs.map((name) => outputs.get(name)!);
    let y: tf.Tensor4D;
    if (layer.type === 'add') {
      y = activate(tf.addN(inputs), layer.activation);
    } else {
      const conv = {
        x: inputs[0],
        strides: layer.stride,
        pad: layer.padding,
        dilations: layer.dilation,
        bias: layer.bias ? this.weights[`${layer.name}/bias`] : undefined,
        activation: layer.activation,
      };
      const filter = this.weights[`${layer.name}/kernel`] as tf.Tensor4D;
      y = layer.type === 'depthwise_conv2d' ? tf.fused.depthwiseConv2d({ ...conv, filter }) : tf.fused.conv2d({ ...conv, filter });
    }
    if (layer.resizeTo !== undefined) {
      const [, th, tw] = outputs.get(layer.resizeTo)!.shape;
      y = tf.image.resizeBilinear(y, [th, tw], false, true);
    }
    return y;
  }
}

/**
 * Loads a layer backbone and checks its weights against the topology before
 * any tensor is made: a missing or short shard, a missing, extra or
 * misshapen weight each throw an Error naming the file and the weight.
 */
export async function loadLayerBackbone(config: LayerBackboneModelConfig): Promise<LayerBackbone> {
  const { modelUrl } = config;
  const name = config.name ?? (typeof modelUrl === 'string' ? modelUrl : 'backbone');
  const handler = typeof modelUrl === 'string' ? httpModelHandler(modelUrl) : modelUrl;
  if (!handler.load) throw new Error(`${name}: the IOHandler cannot load`);
  const artifacts = await handler.load();
  const checked = parseBackboneModelJson({ format: artifacts.format, modelTopology: artifacts.modelTopology }, name);
  const specs = artifacts.weightSpecs ?? [];
  checkWeights(specs, artifacts.weightData, checked.weightShapes, name);
  return new LayerBackbone(checked, tf.io.decodeWeights(artifacts.weightData!, specs));
}
