import type * as tf from '@tensorflow/tfjs';
import { DEFAULT_BACKBONE_MODEL_URL, DETECTOR_TAP_SPECS, loadBackbone, loadLayerBackbone, type FeatureBackbone } from '../backbone';
import { HEAD_KINDS, Head, loadHead, type HeadKind } from '../heads';
import { fetchJson, httpModelHandler, manifestBytes } from '../http_io';
import type { LoadProgress, ModelSetMeta } from '../pipeline/types';
import { ownBackboneFile } from './backbone_source';
import { HEAD_FILES, META_FILE } from './constants';
import { checkHeadChannels } from './head_channels';
import { validateMeta } from './meta';

/** Where a model set's files come from when they are not plain URLs (Node, tests). */
export interface ModelSetSource {
  id: string;
  /** Parsed meta.json, not yet validated. */
  meta: unknown;
  /** The CenterNet graph, or the set's own backbone if meta.json names one (ownBackboneFile). */
  backbone: string | tf.io.IOHandler;
  /** The affinity head's fine-tuned backbone; required when meta.json names one (affBackbone). */
  affBackbone?: string | tf.io.IOHandler;
  heads: Readonly<Record<HeadKind, string | tf.io.IOHandler>>;
}

/** The loaded networks of one model set; dispose() frees every weight. */
export interface ModelSet {
  readonly meta: ModelSetMeta;
  readonly backbone: FeatureBackbone;
  /** Where the affinity head's taps come from if not the shared backbone. */
  readonly affBackbone?: FeatureBackbone;
  readonly heads: Readonly<Record<HeadKind, Head>>;
  dispose(): void;
}

export interface ModelSetOptions {
  /** Byte progress of all weights together (URL sources only). */
  onProgress?: (progress: LoadProgress) => void;
  /**
   * The CenterNet graph's model.json for URL sources; DEFAULT_BACKBONE_MODEL_URL
   * (served by the app) if not given. Unused by sets with their own backbone.
   */
  backboneUrl?: string;
}

/**
 * Loads meta.json, the backbone (and the affinity head's own, if named) and the three heads. A URL (e.g.
 * '/models/default/') is the model-set folder: its weights stream with one
 * combined byte count, total known before the first shard is requested.
 */
export async function loadModelSet(source: string | ModelSetSource, { onProgress, backboneUrl = DEFAULT_BACKBONE_MODEL_URL }: ModelSetOptions = {}): Promise<ModelSet> {
  const resolved = typeof source === 'string' ? await fromUrl(source, backboneUrl, onProgress) : source;
  const nameOf = (file: string) => (typeof source === 'string' ? `${folderUrl(source)}${file}` : `${resolved.id}/${file}`);
  const metaFile = nameOf(META_FILE);
  const meta = validateMeta(resolved.meta, resolved.id, metaFile);
  const ownFile = ownBackboneFile(resolved.meta, metaFile);
  const affFile = ownBackboneFile(resolved.meta, metaFile, 'affBackbone');
  const affSource = resolved.affBackbone;
  if (affFile !== undefined && affSource === undefined) throw new Error(`${metaFile} names affBackbone ${affFile}, but no file was given for it`);
  // The heads are checked against the taps their backbone actually has, so the backbones load first.
  const backbone: FeatureBackbone = await (ownFile === undefined
    ? loadBackbone({ modelUrl: resolved.backbone })
    : loadLayerBackbone({ modelUrl: resolved.backbone, name: nameOf(ownFile) }));
  let affBackbone: FeatureBackbone | undefined;
  try {
    affBackbone = affFile === undefined || affSource === undefined ? undefined : await loadLayerBackbone({ modelUrl: affSource, name: nameOf(affFile) });
  } catch (e) {
    backbone.dispose();
    throw e;
  }
  const settled = await Promise.allSettled(
    HEAD_KINDS.map((kind) => loadHead({ modelUrl: resolved.heads[kind], kind, tapChannels: tapChannels(kind === 'aff' && affBackbone ? affBackbone : backbone), name: nameOf(HEAD_FILES[kind]) })),
  );
  const disposeBackbones = () => {
    backbone.dispose();
    affBackbone?.dispose();
  };
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    // Free what did load before reporting the first failure.
    disposeBackbones();
    for (const s of settled) if (s.status === 'fulfilled') s.value.dispose();
    throw failed.reason;
  }
  const heads = settled.map((s) => (s as PromiseFulfilledResult<Head>).value);
  const byKind = Object.fromEntries(HEAD_KINDS.map((kind, i) => [kind, heads[i]])) as Record<HeadKind, Head>;
  try {
    checkHeadChannels(meta, byKind, (kind) => nameOf(HEAD_FILES[kind]), metaFile);
  } catch (e) {
    disposeBackbones();
    for (const head of heads) head.dispose();
    throw e;
  }
  return {
    meta,
    backbone,
    ...(affBackbone ? { affBackbone } : {}),
    heads: byKind,
    dispose: () => {
      disposeBackbones();
      for (const head of heads) head.dispose();
    },
  };
}

/** The backbone's taps, and the detector's maps offered as taps when the backbone is a detector. */
function tapChannels(backbone: FeatureBackbone): Record<string, number> {
  const shapes = backbone.extractWithDetector ? { ...backbone.tapShapes, ...DETECTOR_TAP_SPECS } : backbone.tapShapes;
  return Object.fromEntries(Object.entries(shapes).map(([key, tap]) => [key, tap.channels]));
}

function folderUrl(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Fetches meta.json and every model.json first, so that progress has its total from the start. */
async function fromUrl(url: string, backboneUrl: string, onProgress?: (progress: LoadProgress) => void): Promise<ModelSetSource> {
  const folder = folderUrl(url);
  const id = folder.split('/').filter(Boolean).pop() ?? folder;
  const meta = await fetchJson(`${folder}${META_FILE}`);
  const ownFile = ownBackboneFile(meta, `${folder}${META_FILE}`);
  const affFile = ownBackboneFile(meta, `${folder}${META_FILE}`, 'affBackbone');
  const backbones = [ownFile === undefined ? backboneUrl : `${folder}${ownFile}`, ...(affFile === undefined ? [] : [`${folder}${affFile}`])];
  const urls = [...backbones, ...HEAD_KINDS.map((kind) => `${folder}${HEAD_FILES[kind]}`)];
  const modelJsons = await Promise.all(urls.map((u) => fetchJson(u)));
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
    ...(affFile === undefined ? {} : { affBackbone: handlers[1] }),
    heads: Object.fromEntries(HEAD_KINDS.map((kind, i) => [kind, handlers[i + backbones.length]])) as Record<HeadKind, tf.io.IOHandler>,
  };
}

function manifestBytesOf(json: unknown, url: string): number {
  const manifest = (json as { weightsManifest?: unknown }).weightsManifest;
  if (!Array.isArray(manifest)) throw new Error(`${url}: no weightsManifest`);
  return manifestBytes(manifest as tf.io.WeightsManifestConfig);
}
