/**
 * Test support only: the PyTorch pipeline's results on one sample image for a
 * shipped model set, models/<set>/reference/<sample>.json, written by
 * training/write_set_reference.py.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';

/** Writes every shipped set's reference again; run it after retraining or re-exporting a set. */
export const REFERENCE_COMMAND = 'npm run reference';

export const REFERENCE_SAMPLE = 'val-cow-cat';

export interface SetReference {
  /** The image, relative to the repository root. */
  image: string;
  /** Ground-truth VOC classes, with which the label maps were made. */
  classes: number[];
  /** Image-level class score per CAM-head class name. */
  scores: Record<string, number>;
  /** Mean over the grid of each class's CAM, normalised by its max (+ camNormEps). */
  camMeans: Record<string, number>;
  /** VOC class ids at image size, row-major, per stage (PyTorch's folder names). */
  masks: { width: number; height: number; cam: Uint8Array; rw: Uint8Array; seg: Uint8Array };
}

interface ReferenceJson extends Omit<SetReference, 'masks'> {
  inputs: Record<string, string>;
  masks: { width: number; height: number; cam: string; rw: string; seg: string };
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const unpack = (text: string) => new Uint8Array(inflateSync(Buffer.from(text, 'base64')));

/**
 * The reference of models/<setDir>, checked to have been made from the files
 * there now (weights, meta.json, image): a retrained set needs a new one, and
 * the error says how to make it.
 */
export function readSetReference(root: string, setDir: string, sample = REFERENCE_SAMPLE): SetReference {
  const file = path.join(root, setDir, 'reference', `${sample}.json`);
  if (!existsSync(file)) throw new Error(`${setDir} has no PyTorch reference (${path.relative(root, file)}); make it with \`${REFERENCE_COMMAND}\``);
  return readReferenceFile(file, root);
}

/** A reference file anywhere, its inputs checked against the repository at `root`. */
export function readReferenceFile(file: string, root: string): SetReference {
  const json = JSON.parse(readFileSync(file, 'utf8')) as ReferenceJson;
  const changed = Object.entries(json.inputs).filter(([input, digest]) => !existsSync(path.join(root, input)) || sha256(path.join(root, input)) !== digest);
  if (changed.length > 0) {
    throw new Error(`${changed.map(([input]) => input).join(', ')} changed since ${path.relative(root, file)} was written; make it again with \`${REFERENCE_COMMAND}\``);
  }
  const { width, height, cam, rw, seg } = json.masks;
  return { image: json.image, classes: json.classes, scores: json.scores, camMeans: json.camMeans, masks: { width, height, cam: unpack(cam), rw: unpack(rw), seg: unpack(seg) } };
}
