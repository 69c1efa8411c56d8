import { LAYER_BACKBONE_FORMAT } from '../backbone/constants';

/** meta.json sections that name a backbone: the shared one, and the affinity head's fine-tuned copy. */
export type BackboneSection = 'backbone' | 'affBackbone';

/**
 * Which backbone a meta.json names. A set trained on the CenterNet graph
 * describes it by npm package (no "format"); a set with its own backbone says
 * "format": "affinitylab-backbone" and "file", relative to the set's folder.
 * "affBackbone", if present, is always such a file: a copy of the backbone
 * fine-tuned with the affinity head (training/train_aff.py), which then reads
 * its taps instead of the shared backbone's.
 * @returns the model.json path inside the folder, or undefined for the graph (or no affBackbone).
 */
export function ownBackboneFile(meta: unknown, file: string, section: BackboneSection = 'backbone'): string | undefined {
  const value = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)[section] : undefined;
  if (value === undefined && section === 'affBackbone') return undefined;
  if (typeof value !== 'object' || value === null) {
    if (section === 'backbone') return undefined;
    throw new Error(`${file}: affBackbone must be a JSON object`);
  }
  const { format, file: modelJson } = value as Record<string, unknown>;
  if (format === undefined && section === 'backbone') return undefined;
  if (format !== LAYER_BACKBONE_FORMAT) {
    const alternative = section === 'backbone' ? ' (or none for the CenterNet graph)' : '';
    throw new Error(`${file}: ${section}.format is ${JSON.stringify(format)}; supported: "${LAYER_BACKBONE_FORMAT}"${alternative}`);
  }
  if (typeof modelJson !== 'string' || modelJson === '' || modelJson.startsWith('/') || modelJson.split('/').includes('..')) {
    throw new Error(`${file}: ${section}.file must be a path inside the model-set folder, got ${JSON.stringify(modelJson)}`);
  }
  return modelJson;
}
