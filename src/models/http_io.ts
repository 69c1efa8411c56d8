import * as tf from '@tensorflow/tfjs';

/**
 * Loading tfjs models over HTTP with byte-level progress. tf.io.http only
 * reports the fraction of shard requests finished, which jumps in large steps
 * for a model of one or two shards; the UI wants bytes.
 */

/** Bytes arrived so far; called once per received chunk with the chunk's size. */
export type ByteCounter = (bytes: number) => void;

/** Bytes per element of a stored weight (quantised weights are stored narrower). */
function storedBytesPerElement(entry: tf.io.WeightsManifestEntry): number {
  const stored = entry.quantization?.dtype ?? entry.dtype;
  switch (stored) {
    case 'uint8':
    case 'bool':
      return 1;
    case 'uint16':
    case 'float16':
      return 2;
    case 'float32':
    case 'int32':
      return 4;
    default:
      throw new Error(`weight ${entry.name}: unsupported stored dtype ${stored}`);
  }
}

/** Byte size of every weight the manifest lists, i.e. of all its shards together. */
export function manifestBytes(manifest: tf.io.WeightsManifestConfig): number {
  return manifest
    .flatMap((group) => group.weights)
    .reduce((sum, w) => sum + w.shape.reduce((n, d) => n * d, 1) * storedBytesPerElement(w), 0);
}

/** GETs a URL as bytes, reporting each chunk; HTTP errors name the URL. */
export async function fetchBytes(url: string, onBytes?: ByteCounter, fetchFunc: typeof fetch = fetch): Promise<Uint8Array> {
  const response = await fetchFunc(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`.trim());
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onBytes?.(bytes.length);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
    onBytes?.(value.length);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

export async function fetchJson(url: string, fetchFunc: typeof fetch = fetch): Promise<unknown> {
  const text = new TextDecoder().decode(await fetchBytes(url, undefined, fetchFunc));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${url}: not valid JSON (${(e as Error).message})`);
  }
}

/** Shard paths in model.json are relative to model.json's own folder, as in tf.io.http. */
export function siblingUrl(url: string, relative: string): string {
  return url.slice(0, url.lastIndexOf('/') + 1) + relative;
}

/**
 * An IOHandler for a model.json URL that streams the shards and counts their
 * bytes. Pass `modelJson` if it was already fetched (e.g. to total the bytes
 * of several models before any shard is requested).
 */
export function httpModelHandler(
  url: string,
  { modelJson, onBytes, fetchFunc = fetch }: { modelJson?: tf.io.ModelJSON; onBytes?: ByteCounter; fetchFunc?: typeof fetch } = {},
): tf.io.IOHandler {
  return {
    load: async () => {
      const json = modelJson ?? ((await fetchJson(url, fetchFunc)) as tf.io.ModelJSON);
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const paths = manifest.flatMap((group) => group.paths);
        const shards = await Promise.all(paths.map((p) => fetchBytes(siblingUrl(url, p), onBytes, fetchFunc)));
        const buffers = shards.map((s) => s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength) as ArrayBuffer);
        return [tf.io.getWeightSpecs(manifest), tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}
