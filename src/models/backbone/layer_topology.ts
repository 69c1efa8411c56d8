import { ADD_PATTERN, LAYER_ACTIVATIONS, LAYER_BACKBONE_FORMAT, LAYER_INPUT, LAYER_RESIZE_PATTERN, LAYER_TYPES, TAP_NAMES } from './constants';
import type { TapName, TapShape } from './types';

export type LayerType = (typeof LAYER_TYPES)[number];
export type LayerActivation = (typeof LAYER_ACTIVATIONS)[number];

/**
 * One layer of an "affinitylab-backbone". Weights of conv layers:
 * `<name>/kernel` HWIO [k, k, in, filters] (depthwise: [k, k, in, 1] with
 * filters = in) and `<name>/bias` [filters]. An add layer sums its inputs,
 * then applies its activation.
 */
export interface BackboneLayer {
  name: string;
  type: LayerType;
  /** The image input, earlier layers; several only for add. */
  inputs: string[];
  kernel: number;
  stride: number;
  /** Output channels of a conv (depthwise: its input channels); 0 for add. */
  filters: number;
  dilation: number;
  /** Symmetric zero padding on each side (PyTorch's convention, not TensorFlow's "same"). */
  padding: number;
  bias: boolean;
  activation: LayerActivation;
  /** Bilinear resize (half-pixel centres) of the output onto this earlier layer's grid. */
  resizeTo?: string;
}

export interface BackboneTopology {
  /** The image is read as input * scale + offset (RGB 0-255 in). */
  scale: number;
  offset: number;
  layers: BackboneLayer[];
  /** Which layer each tap is. */
  taps: Record<TapName, string>;
}

/** A validated topology with what it implies: weight shapes and tap shapes. */
export interface CheckedBackboneTopology {
  topology: BackboneTopology;
  weightShapes: Map<string, number[]>;
  tapShapes: Record<TapName, TapShape>;
}

/**
 * Validates a backbone's model.json (format, modelTopology {input, layers,
 * taps}) and works out every layer's channels and stride, so that a wrong
 * weight shape or a tap at the wrong stride fails here, naming `file`.
 */
export function parseBackboneModelJson(json: unknown, file: string): CheckedBackboneTopology {
  const model = asObject(json, file);
  if (model.format !== LAYER_BACKBONE_FORMAT) {
    throw new Error(`${file}: format is ${JSON.stringify(model.format)}, expected "${LAYER_BACKBONE_FORMAT}"`);
  }
  const topology = asObject(model.modelTopology, `${file} modelTopology`);
  const input = asObject(topology.input, `${file} modelTopology.input`);
  if (input.channels !== 3) throw new Error(`${file} modelTopology.input.channels must be 3 (RGB), got ${JSON.stringify(input.channels)}`);
  const scale = finite(input.scale, `${file} modelTopology.input.scale`);
  const offset = finite(input.offset, `${file} modelTopology.input.offset`);
  if (!Array.isArray(topology.layers) || topology.layers.length === 0) throw new Error(`${file}: modelTopology.layers must be a non-empty list`);
  const layers = topology.layers.map((layer, i) => parseLayer(layer, `${file} layer ${i}`));

  // Channels and stride of every tensor, in execution order.
  const shapes = new Map<string, TapShape>([[LAYER_INPUT, { channels: 3, stride: 1 }]]);
  const weightShapes = new Map<string, number[]>();
  for (const layer of layers) {
    const at = `${file} layer ${layer.name}`;
    if (shapes.has(layer.name)) throw new Error(`${at}: the name is used twice`);
    const ins = layer.inputs.map((name) => {
      const shape = shapes.get(name);
      if (!shape) throw new Error(`${at}: input ${name} is neither "${LAYER_INPUT}" nor an earlier layer`);
      return shape;
    });
    let out: TapShape;
    if (layer.type === 'add') {
      if (ins.some((s) => s.channels !== ins[0].channels || s.stride !== ins[0].stride)) {
        throw new Error(`${at}: adds ${layer.inputs.map((n, i) => `${n} (${ins[i].channels} ch, stride ${ins[i].stride})`).join(' + ')}; they must match`);
      }
      out = ins[0];
    } else {
      const inChannels = ins[0].channels;
      const filters = layer.type === 'depthwise_conv2d' ? inChannels : layer.filters;
      if (filters !== layer.filters) throw new Error(`${at}: a depthwise conv of ${inChannels} channels has ${inChannels} filters, not ${layer.filters}`);
      weightShapes.set(`${layer.name}/kernel`, [layer.kernel, layer.kernel, inChannels, layer.type === 'depthwise_conv2d' ? 1 : filters]);
      if (layer.bias) weightShapes.set(`${layer.name}/bias`, [filters]);
      out = { channels: filters, stride: ins[0].stride * layer.stride };
    }
    if (layer.resizeTo !== undefined) {
      const target = shapes.get(layer.resizeTo);
      if (!target) throw new Error(`${at}: resize target ${layer.resizeTo} is not an earlier layer`);
      out = { channels: out.channels, stride: target.stride };
    }
    shapes.set(layer.name, out);
  }

  const declared = asObject(topology.taps, `${file} modelTopology.taps`);
  const taps = {} as Record<TapName, string>;
  const tapShapes = {} as Record<TapName, TapShape>;
  for (const key of TAP_NAMES) {
    const where = `${file} modelTopology.taps.${key}`;
    if (declared[key] === undefined) throw new Error(`${where} is missing; a backbone must provide ${TAP_NAMES.join(', ')}`);
    const tap = asObject(declared[key], where);
    const shape = typeof tap.layer === 'string' ? shapes.get(tap.layer) : undefined;
    if (!shape || tap.layer === LAYER_INPUT) throw new Error(`${where}.layer ${JSON.stringify(tap.layer)} is not a layer`);
    if (tap.stride !== shape.stride) throw new Error(`${where}: layer ${String(tap.layer)} has stride ${shape.stride}, the tap says ${JSON.stringify(tap.stride)}`);
    taps[key] = tap.layer as string;
    tapShapes[key] = shape;
  }
  return { topology: { scale, offset, layers, taps }, weightShapes, tapShapes };
}

function parseLayer(value: unknown, where: string): BackboneLayer {
  const layer = asObject(value, where);
  const name = layer.name;
  if (typeof name !== 'string' || name === '') throw new Error(`${where}: needs a name`);
  const at = `${where} (${name})`;
  if (!LAYER_TYPES.includes(layer.type as LayerType)) {
    throw new Error(`${at}: type ${JSON.stringify(layer.type)} is not supported (supported: ${LAYER_TYPES.join(', ')})`);
  }
  const type = layer.type as LayerType;
  const activation = layer.activation ?? 'linear';
  if (!LAYER_ACTIVATIONS.includes(activation as LayerActivation)) {
    throw new Error(`${at}: activation ${JSON.stringify(activation)} is not one of ${LAYER_ACTIVATIONS.join(', ')}`);
  }
  if (typeof layer.input !== 'string') throw new Error(`${at}: input must be a string`);
  const sum = ADD_PATTERN.exec(layer.input);
  if (type === 'add' && (!sum || sum[1].split(',').length < 2)) throw new Error(`${at}: an add layer's input must be "add(a,b,...)", got ${JSON.stringify(layer.input)}`);
  if (type !== 'add' && sum) throw new Error(`${at}: a ${type} layer reads one input, got ${JSON.stringify(layer.input)}`);
  const inputs = sum ? sum[1].split(',').map((s) => s.trim()) : [layer.input];
  let resizeTo: string | undefined;
  if (layer.then !== undefined) {
    const resize = LAYER_RESIZE_PATTERN.exec(String(layer.then));
    if (!resize) throw new Error(`${at}: then ${JSON.stringify(layer.then)} is not supported (supported: "resize_bilinear (half-pixel centres) to the grid of <layer>")`);
    resizeTo = resize[1];
  }
  const isConv = type !== 'add';
  if (isConv && typeof layer.bias !== 'boolean') throw new Error(`${at}: bias must be true or false`);
  return {
    name,
    type,
    inputs,
    kernel: isConv ? positiveInteger(layer.kernel, `${at} kernel`) : 1,
    stride: isConv ? positiveInteger(layer.stride ?? 1, `${at} stride`) : 1,
    dilation: isConv ? positiveInteger(layer.dilation ?? 1, `${at} dilation`) : 1,
    padding: isConv ? nonNegativeInteger(layer.padding, `${at} padding`) : 0,
    filters: isConv ? positiveInteger(layer.filters, `${at} filters`) : 0,
    bias: isConv && layer.bias === true,
    activation: activation as LayerActivation,
    ...(resizeTo === undefined ? {} : { resizeTo }),
  };
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected a JSON object`);
  return value as Record<string, unknown>;
}

function finite(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${where} must be a number, got ${JSON.stringify(value)}`);
  return value;
}

function positiveInteger(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`${where} must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

function nonNegativeInteger(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${where} must be an integer >= 0, got ${JSON.stringify(value)}`);
  return value;
}
