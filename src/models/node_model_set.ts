/**
 * Node-only: a model set from a folder on disk (models/<id>/); the backbone
 * is the set's own if meta.json names one, else the CenterNet graph from its
 * installed npm package, plus the affinity head's own backbone if named.
 * Imports node:fs; never bundle it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BACKBONE_MODEL_FILE, BACKBONE_MODEL_PACKAGE } from './backbone';
import { HEAD_KINDS, type HeadKind } from './heads';
import { HEAD_FILES, META_FILE, ownBackboneFile, type ModelSetSource } from './model_set';
import { packageFilePath } from '../io/node_package_path';
import { fileModelHandler } from './node_io';

export function modelSetFromDir(dir: string): ModelSetSource {
  const metaFile = path.join(dir, META_FILE);
  let meta: unknown;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch (e) {
    throw new Error(`${metaFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (e as Error).message}`);
  }
  const ownFile = ownBackboneFile(meta, metaFile);
  const affFile = ownBackboneFile(meta, metaFile, 'affBackbone');
  return {
    id: path.basename(path.resolve(dir)),
    meta,
    backbone: fileModelHandler(ownFile === undefined ? packageFilePath(BACKBONE_MODEL_PACKAGE, BACKBONE_MODEL_FILE) : path.join(dir, ownFile)),
    ...(affFile === undefined ? {} : { affBackbone: fileModelHandler(path.join(dir, affFile)) }),
    heads: Object.fromEntries(HEAD_KINDS.map((kind) => [kind, fileModelHandler(path.join(dir, HEAD_FILES[kind]))])) as Record<HeadKind, ReturnType<typeof fileModelHandler>>,
  };
}

/** The same set with its detector class evidence switched off: the CAM head names every image (docs/algorithm.md §1b). */
export function withoutClassEvidence(source: ModelSetSource): ModelSetSource {
  const { classEvidence: _, ...meta } = source.meta as Record<string, unknown>;
  return { ...source, meta };
}
