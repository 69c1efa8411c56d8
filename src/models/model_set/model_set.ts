import type * as tf from '@tensorflow/tfjs';
import { Backbone, BACKBONE_TAPS, DEFAULT_BACKBONE_MODEL_URL, loadBackbone } from '../backbone';
import { HEAD_KINDS, Head, loadHead, type HeadKind } from '../heads';
import { fetchJson, httpModelHandler, manifestBytes } from '../http_io';
import type { LoadProgress, ModelSetMeta } from '../pipeline/types';
import { HEAD_FILES, META_FILE } from './constants';
import { validateMeta } from './meta';

/** Where a model set's files come from when they are not plain URLs (Node, tests). */
export interface ModelSetSource {
  id: string;
  /** Parsed meta.json, not yet validated. */
  meta: unknown;
  backbone: string | tf.io.IOHandler;
  heads: Readonly<Record<HeadKind, string | tf.io.IOHandler>>;
}

/** The loaded networks of one model set; dispose() frees every weight. */
export interface ModelSet {
  readonly meta: ModelSetMeta;
  readonly backbone: Backbone;
  readonly heads: Readonly<Record<HeadKind, Head>>;
  dispose(): void;
}

const TAP_CHANNELS: Record<string, number> = Object.fromEntries(Object.entries(BACKBONE_TAPS).map(([key, tap]) => [key, tap.channels]));

export interface ModelSetOptions {
  /** Byte progress of all weights together (URL sources only). */
  onProgress?: (progress: LoadProgress) => void;
  /** The backbone's model.json for URL sources; DEFAULT_BACKBONE_MODEL_URL (served by the app) if not given. */
  backboneUrl?: string;
}

/**
 * Loads meta.json, the backbone and the three heads. A URL (e.g.
 * '/models/default/') is the model-set folder: its weights stream with one
 * combined byte count, total known before the first shard is requested.
 */
export async function loadModelSet(source: string | ModelSetSource, { onProgress, backboneUrl = DEFAULT_BACKBONE_MODEL_URL }: ModelSetOptions = {}): Promise<ModelSet> {
  const resolved = typeof source === 'string' ? await fromUrl(source, backboneUrl, onProgress) : source;
  const meta = validateMeta(resolved.meta, resolved.id, typeof source === 'string' ? `${folderUrl(source)}${META_FILE}` : `${resolved.id}/${META_FILE}`);
  const loading = [
    loadBackbone({ modelUrl: resolved.backbone }),
    ...HEAD_KINDS.map((kind) =>
      loadHead({ modelUrl: resolved.heads[kind], kind, tapChannels: TAP_CHANNELS, name: headName(source, resolved.id, kind) }),
    ),
  ] as const;
  const settled = await Promise.allSettled(loading);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    // Free what did load before reporting the first failure.
    for (const s of settled) if (s.status === 'fulfilled') s.value.dispose();
    throw failed.reason;
  }
  const [backbone, ...heads] = settled.map((s) => (s as PromiseFulfilledResult<Backbone | Head>).value);
  const byKind = Object.fromEntries(HEAD_KINDS.map((kind, i) => [kind, heads[i] as Head])) as Record<HeadKind, Head>;
  return {
    meta,
    backbone: backbone as Backbone,
    heads: byKind,
    dispose: () => {
      backbone.dispose();
      for (const head of heads) head.dispose();
    },
  };
}

function folderUrl(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function headName(source: string | ModelSetSource, id: string, kind: HeadKind): string {
  return typeof source === 'string' ? `${folderUrl(source)}${HEAD_FILES[kind]}` : `${id}/${HEAD_FILES[kind]}`;
}

/** Fetches meta.json and every model.json first, so that progress has its total from the start. */
async function fromUrl(url: string, backboneUrl: string, onProgress?: (progress: LoadProgress) => void): Promise<ModelSetSource> {
  const folder = folderUrl(url);
  const id = folder.split('/').filter(Boolean).pop() ?? folder;
  const urls = [backboneUrl, ...HEAD_KINDS.map((kind) => `${folder}${HEAD_FILES[kind]}`)];
  const [meta, ...modelJsons] = await Promise.all([fetchJson(`${folder}${META_FILE}`), ...urls.map((u) => fetchJson(u))]);
  const total = modelJsons.reduce((sum: number, json, i) => sum + manifestBytesOf(json, urls[i]), 0);
  let loaded = 0;
  onProgress?.({ loaded, total });
  const onBytes = (n: number) => {
    loaded += n;
    onProgress?.({ loaded, total });
  };
  const handlers = urls.map((u, i) => httpModelHandler(u, { modelJson: modelJsons[i] as tf.io.ModelJSON, onBytes }));
  return {
    id,
    meta,
    backbone: handlers[0],
    heads: Object.fromEntries(HEAD_KINDS.map((kind, i) => [kind, handlers[i + 1]])) as Record<HeadKind, tf.io.IOHandler>,
  };
}

function manifestBytesOf(json: unknown, url: string): number {
  const manifest = (json as { weightsManifest?: unknown }).weightsManifest;
  if (!Array.isArray(manifest)) throw new Error(`${url}: no weightsManifest`);
  return manifestBytes(manifest as tf.io.WeightsManifestConfig);
}
