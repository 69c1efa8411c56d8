import { LAYER_BACKBONE_FORMAT } from '../backbone';

/**
 * Which backbone a meta.json names. A set trained on the CenterNet graph
 * describes it by npm package (no "format"); a set with its own backbone says
 * "format": "affinitylab-backbone" and "file", relative to the set's folder.
 * @returns the own backbone's model.json path inside the folder, or undefined for the graph.
 */
export function ownBackboneFile(meta: unknown, file: string): string | undefined {
  const section = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>).backbone : undefined;
  if (typeof section !== 'object' || section === null) return undefined;
  const { format, file: modelJson } = section as Record<string, unknown>;
  if (format === undefined) return undefined;
  if (format !== LAYER_BACKBONE_FORMAT) throw new Error(`${file}: backbone.format is ${JSON.stringify(format)}; supported: "${LAYER_BACKBONE_FORMAT}" (or none for the CenterNet graph)`);
  if (typeof modelJson !== 'string' || modelJson === '' || modelJson.startsWith('/') || modelJson.split('/').includes('..')) {
    throw new Error(`${file}: backbone.file must be a path inside the model-set folder, got ${JSON.stringify(modelJson)}`);
  }
  return modelJson;
}
