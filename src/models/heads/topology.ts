import { ACTIVATIONS, CONCAT_PATTERN, HEAD_FORMAT, RESIZE_PATTERN, RESIZE_TEXT } from './constants';
import type { Activation, ConvLayer, HeadKind, HeadTopology } from './types';

/**
 * Validates a head's model.json as training/export_tfjs.py writes it
 * (format, modelTopology {inputs, layers, output}) and turns it into a
 * HeadTopology. `file` names the source in every error message.
 */
export function parseHeadModelJson(json: unknown, kind: HeadKind, file: string): HeadTopology {
  const model = asObject(json, file);
  if (model.format !== HEAD_FORMAT) {
    throw new Error(`${file}: format is ${JSON.stringify(model.format)}, expected "${HEAD_FORMAT}"`);
  }
  const topology = asObject(model.modelTopology, `${file} modelTopology`);
  if (!Array.isArray(topology.layers) || topology.layers.length === 0) {
    throw new Error(`${file}: modelTopology.layers must be a non-empty list`);
  }
  const inputs = topology.inputs === undefined ? [] : topology.inputs;
  if (!Array.isArray(inputs)) throw new Error(`${file}: modelTopology.inputs must be a list of {tap, channels}`);
  const classMap = topology.classMap;
  if (classMap !== undefined && (typeof classMap !== 'string' || classMap === '')) {
    throw new Error(`${file}: modelTopology.classMap must be a layer input name`);
  }
  const classMapGrid = topology.classMapGrid;
  if (classMapGrid !== undefined && (classMap === undefined || typeof classMapGrid !== 'string' || classMapGrid === '')) {
    throw new Error(`${file}: modelTopology.classMapGrid must name a tap, and needs a classMap`);
  }
  const parsedInputs = inputs.map((value, i) => parseInput(value, `${file} modelTopology.inputs[${i}]`));
  if (classMapGrid !== undefined && !parsedInputs.some((input) => input.tap === classMapGrid)) {
    throw new Error(`${file}: modelTopology.classMapGrid ${JSON.stringify(classMapGrid)} is not one of the head's input taps`);
  }
  return {
    kind,
    inputs: parsedInputs,
    layers: topology.layers.map((layer, i) => parseLayer(layer, `${file} layer ${i}`)),
    ...(classMap === undefined ? {} : { classMap }),
    ...(classMapGrid === undefined ? {} : { classMapGrid }),
  };
}

function parseInput(value: unknown, where: string): { tap: string; channels: number } {
  const input = asObject(value, where);
  if (typeof input.tap !== 'string') throw new Error(`${where}: tap must be a string`);
  return { tap: input.tap, channels: positiveInteger(input.channels, `${where} channels`) };
}

function parseLayer(value: unknown, where: string): ConvLayer {
  const layer = asObject(value, where);
  const name = layer.name;
  if (typeof name !== 'string' || name === '') throw new Error(`${where}: needs a name`);
  const at = `${where} (${name})`;
  if (layer.type !== 'conv2d') throw new Error(`${at}: type ${JSON.stringify(layer.type)} is not supported (supported: conv2d)`);
  if (layer.padding !== undefined && layer.padding !== 'same') {
    throw new Error(`${at}: padding ${JSON.stringify(layer.padding)} is not supported (supported: same)`);
  }
  const activation = layer.activation ?? 'linear';
  if (!ACTIVATIONS.includes(activation as Activation)) {
    throw new Error(`${at}: activation ${JSON.stringify(activation)} is not one of ${ACTIVATIONS.join(', ')}`);
  }
  if (typeof layer.bias !== 'boolean') throw new Error(`${at}: bias must be true or false`);
  if (typeof layer.input !== 'string') throw new Error(`${at}: input must be a string`);
  const concat = CONCAT_PATTERN.exec(layer.input);
  const inputs = concat ? concat[1].split(',').map((s) => s.trim()) : [layer.input];
  let resizeTo: string | undefined;
  if (layer.then !== undefined) {
    const resize = RESIZE_PATTERN.exec(String(layer.then));
    if (!resize) throw new Error(`${at}: then ${JSON.stringify(layer.then)} is not supported (supported: "${RESIZE_TEXT}")`);
    resizeTo = resize[1];
  }
  return {
    name,
    inputs,
    kernel: positiveInteger(layer.kernel, `${at} kernel`),
    dilation: positiveInteger(layer.dilation ?? 1, `${at} dilation`),
    filters: positiveInteger(layer.filters, `${at} filters`),
    bias: layer.bias,
    activation: activation as Activation,
    ...(resizeTo === undefined ? {} : { resizeTo }),
  };
}

/**
 * Expected weight shapes given the channels of the backbone taps, checking
 * that every input names a tap or an earlier layer.
 */
export function expectedWeightShapes(topology: HeadTopology, tapChannels: Readonly<Record<string, number>>, file: string): Map<string, number[]> {
  // The taps the head was trained on must be the backbone's: same names, same widths.
  for (const { tap, channels } of topology.inputs) {
    if (tapChannels[tap] === undefined) throw new Error(`${file}: trained on backbone tap ${tap}, which this backbone lacks (${Object.keys(tapChannels).join(', ')})`);
    if (tapChannels[tap] !== channels) throw new Error(`${file}: trained on ${tap} with ${channels} channels; this backbone's ${tap} has ${tapChannels[tap]}`);
  }
  const channels = new Map(Object.entries(tapChannels));
  if (topology.classMap !== undefined) channels.set(topology.classMap, 1);
  const shapes = new Map<string, number[]>();
  for (const layer of topology.layers) {
    let inChannels = 0;
    for (const input of layer.inputs) {
      const c = channels.get(input);
      if (c === undefined) {
        throw new Error(`${file} layer ${layer.name}: input ${input} is neither a backbone tap (${Object.keys(tapChannels).join(', ')}) nor an earlier layer`);
      }
      inChannels += c;
    }
    if (layer.resizeTo !== undefined && !(layer.resizeTo in tapChannels)) {
      throw new Error(`${file} layer ${layer.name}: resize target ${layer.resizeTo} is not a backbone tap (${Object.keys(tapChannels).join(', ')})`);
    }
    shapes.set(`${layer.name}/kernel`, [layer.kernel, layer.kernel, inChannels, layer.filters]);
    if (layer.bias) shapes.set(`${layer.name}/bias`, [layer.filters]);
    channels.set(layer.name, layer.filters);
  }
  return shapes;
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected a JSON object`);
  return value as Record<string, unknown>;
}

function positiveInteger(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${where} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
