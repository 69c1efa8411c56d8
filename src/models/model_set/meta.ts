import { CAM_NORM_EPS, VOC_CLASSES } from '../../core/constants';
import type { RegionNaming } from '../../core/class_evidence';
import type { ClassEvidenceConfig, ModelClass, ModelSetMeta } from '../pipeline/types';
import { ownBackboneFile } from './backbone_source';
import { DEFAULT_WALK_PARAMETERS, GRAPH_INPUT_SIZES, OWN_BACKBONE_INPUT_SIZES, SUPPORTED_GRID_STRIDES, SUPPORTED_SEG_GRID_STRIDES } from './constants';

/**
 * meta.json as training/export_tfjs.py writes it: classes [{channel, index,
 * name}] (index = PASCAL VOC), inputSize, gridStride, optional segGridStride
 * (the segmentation head's grid when it reads a fine tap), defaults {alpha, beta,
 * steps, radius, camBgScore, classThreshold, camNormEps, alphaLow, alphaHigh}, and
 * optional headClasses {cam, seg} (VOC indices of each head's channels when
 * they are not `classes`) and classEvidence {detector, gate, threshold,
 * boxes {relative, minScore}, optional beta and regions {share, minScore}}, and provenance (backbone, data, training, eval, ...) that
 * becomes `summary`.
 */
const MAPPED_FIELDS = ['name', 'classes', 'inputSize', 'gridStride', 'segGridStride', 'defaults', 'headClasses', 'classEvidence', 'trained'];
/** JSON key in `defaults` -> ModelSetMeta.defaults key. */
const DEFAULT_KEYS: Record<string, keyof ModelSetMeta['defaults']> = {
  alpha: 'alpha',
  beta: 'beta',
  steps: 'steps',
  radius: 'radius',
  camBgScore: 'camBackground',
  classThreshold: 'classThreshold',
};
/** Read by training only (affinity-label generation); allowed and kept in the summary. */
const TRAINING_ONLY_DEFAULTS = ['alphaLow', 'alphaHigh'];

/**
 * Validates a parsed meta.json: copies it, fills in defaults, and throws an
 * Error that names the file, the field and the allowed values.
 */
export function validateMeta(json: unknown, id: string, file: string): ModelSetMeta {
  const meta = object(json, file);
  const at = (field: string) => `${file}: ${field}`;

  if (!Array.isArray(meta.classes) || meta.classes.length === 0) throw new Error(`${at('classes')} must be a non-empty list of {channel, index, name}`);
  const classes = meta.classes.map((value, i) => modelClass(value, i, at(`classes[${i}]`)));
  const seen = new Set<number>();
  for (const c of classes) {
    if (seen.has(c.voc)) throw new Error(`${at('classes')} lists VOC index ${c.voc} twice`);
    seen.add(c.voc);
  }

  const own = ownBackboneFile(meta, file) !== undefined;
  const inputSizes = own ? OWN_BACKBONE_INPUT_SIZES : GRAPH_INPUT_SIZES;
  const inputSize = meta.inputSize ?? GRAPH_INPUT_SIZES[0];
  if (!inputSizes.includes(inputSize as number)) {
    const supported = own ? `multiples of 32 from ${inputSizes[0]} to ${inputSizes[inputSizes.length - 1]}` : `${inputSizes.join(', ')} (the CenterNet backbone)`;
    throw new Error(`${at('inputSize')} is ${JSON.stringify(inputSize)}; supported: ${supported}`);
  }
  const gridStride = meta.gridStride ?? SUPPORTED_GRID_STRIDES[0];
  if (!SUPPORTED_GRID_STRIDES.includes(gridStride as number)) {
    throw new Error(`${at('gridStride')} is ${JSON.stringify(gridStride)}; supported: ${SUPPORTED_GRID_STRIDES.join(', ')}`);
  }
  const segGridStride = meta.segGridStride ?? gridStride;
  if (!SUPPORTED_SEG_GRID_STRIDES.includes(segGridStride as number)) {
    throw new Error(`${at('segGridStride')} is ${JSON.stringify(segGridStride)}; supported: ${SUPPORTED_SEG_GRID_STRIDES.join(', ')}`);
  }

  const given = meta.defaults === undefined ? {} : object(meta.defaults, at('defaults'));
  const defaults = { ...DEFAULT_WALK_PARAMETERS };
  const known = [...Object.keys(DEFAULT_KEYS), 'camNormEps', ...TRAINING_ONLY_DEFAULTS];
  for (const [key, value] of Object.entries(given)) {
    const where = at(`defaults.${key}`);
    if (!known.includes(key)) throw new Error(`${where} is not a parameter; known: ${known.join(', ')}`);
    if (key === 'camNormEps') {
      // The pipeline normalises with CAM_NORM_EPS; a set trained with another would not match its own evaluation.
      if (value !== CAM_NORM_EPS) throw new Error(`${where} is ${JSON.stringify(value)}; supported: ${CAM_NORM_EPS}`);
    } else if (TRAINING_ONLY_DEFAULTS.includes(key)) {
      parameter('alpha', value, where);
    } else {
      defaults[DEFAULT_KEYS[key]] = parameter(DEFAULT_KEYS[key], value, where);
    }
  }

  const vocs = classes.map((c) => c.voc);
  const heads = meta.headClasses === undefined ? {} : object(meta.headClasses, at('headClasses'));
  const headClasses = {
    cam: heads.cam === undefined ? vocs : headList(heads.cam, vocs, at('headClasses.cam')),
    seg: heads.seg === undefined ? vocs : headList(heads.seg, vocs, at('headClasses.seg')),
  };
  const classEvidence = meta.classEvidence === undefined ? undefined : evidenceConfig(meta.classEvidence, at('classEvidence'));
  if (classEvidence && own) throw new Error(`${at('classEvidence')} needs the CenterNet backbone (its detector head); this set has its own backbone`);

  if (meta.trained !== undefined && typeof meta.trained !== 'boolean') throw new Error(`${at('trained')} must be true or false`);
  if (meta.name !== undefined && typeof meta.name !== 'string') throw new Error(`${at('name')} must be a string`);
  const summary = structuredClone(Object.fromEntries(Object.entries(meta).filter(([key]) => !MAPPED_FIELDS.includes(key))));
  return {
    id,
    name: (meta.name as string | undefined) ?? id,
    classes,
    inputSize: inputSize as number,
    gridStride: gridStride as number,
    segGridStride: segGridStride as number,
    defaults,
    headClasses,
    ...(classEvidence ? { classEvidence } : {}),
    // The exporter records each finished training stage under `training`; an
    // explicit `trained` (test and development sets) wins over that.
    trained: typeof meta.trained === 'boolean' ? meta.trained : hasEntries(meta.training),
    ...(Object.keys(summary).length === 0 ? {} : { summary }),
  };
}

/** A head's channels as VOC indices, each one of the set's classes, none twice. */
function headList(value: unknown, vocs: readonly number[], where: string): number[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${where} must be a non-empty list of VOC indices`);
  value.forEach((v, i) => {
    if (!vocs.includes(v as number)) throw new Error(`${where}[${i}] is ${JSON.stringify(v)}; allowed: the set's classes (${vocs.join(', ')})`);
    if (value.indexOf(v) !== i) throw new Error(`${where} lists VOC index ${v} twice`);
  });
  return value as number[];
}

function evidenceConfig(value: unknown, where: string): ClassEvidenceConfig {
  const c = object(value, where);
  if (c.detector !== 'centernet-coco') throw new Error(`${where}.detector is ${JSON.stringify(c.detector)}; supported: "centernet-coco"`);
  const boxes = object(c.boxes, `${where}.boxes`);
  return {
    detector: 'centernet-coco',
    gate: unitInterval(c.gate, `${where}.gate`),
    threshold: unitInterval(c.threshold, `${where}.threshold`),
    boxes: { relative: unitInterval(boxes.relative, `${where}.boxes.relative`), minScore: unitInterval(boxes.minScore, `${where}.boxes.minScore`) },
    ...(c.beta === undefined ? {} : { beta: positive(c.beta, `${where}.beta`) }),
    ...(c.regions === undefined ? {} : { regions: regionNaming(c.regions, `${where}.regions`) }),
  };
}

function regionNaming(value: unknown, where: string): RegionNaming {
  const r = object(value, where);
  return { share: unitInterval(r.share, `${where}.share`), minScore: unitInterval(r.minScore, `${where}.minScore`) };
}

function unitInterval(value: unknown, where: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new Error(`${where} is ${JSON.stringify(value)}; allowed: a number in [0, 1]`);
  return value;
}

function positive(value: unknown, where: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new Error(`${where} is ${JSON.stringify(value)}; allowed: a positive number`);
  return value;
}

function hasEntries(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

function modelClass(value: unknown, position: number, where: string): ModelClass {
  const c = object(value, where);
  if (c.channel !== position) throw new Error(`${where}.channel is ${JSON.stringify(c.channel)}; classes must be listed in channel order (expected ${position})`);
  const voc = c.index;
  if (typeof voc !== 'number' || !Number.isInteger(voc) || voc < 1 || voc >= VOC_CLASSES.length) {
    throw new Error(`${where}.index is ${JSON.stringify(voc)}; allowed: integers 1..${VOC_CLASSES.length - 1} (PASCAL VOC, 0 is background)`);
  }
  if (c.name !== VOC_CLASSES[voc]) {
    throw new Error(`${where}.name is ${JSON.stringify(c.name)}, but VOC index ${voc} is "${VOC_CLASSES[voc]}"`);
  }
  return { voc, name: VOC_CLASSES[voc] };
}

/** Ranges: alpha, beta > 0; steps integer >= 0; radius integer >= 1; camBackground, classThreshold in [0, 1]. `key` is the ModelSetMeta name. */
function parameter(key: string, value: unknown, where: string): number {
  if (key === 'camBackground' || key === 'classThreshold') return unitInterval(value, where);
  const n = typeof value === 'number' && Number.isFinite(value) ? value : NaN;
  const ok = key === 'steps' ? Number.isInteger(n) && n >= 0 : key === 'radius' ? Number.isInteger(n) && n >= 1 : n > 0;
  if (!ok) {
    const allowed = { steps: 'an integer >= 0', radius: 'an integer >= 1' }[key] ?? 'a number > 0';
    throw new Error(`${where} is ${JSON.stringify(value)}; allowed: ${allowed}`);
  }
  return n;
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where} must be a JSON object`);
  return value as Record<string, unknown>;
}
