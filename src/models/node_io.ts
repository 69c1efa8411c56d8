/**
 * Node-only model loading: reads model.json and its weight shards from disk.
 * Imports node:fs, so browser-bundled modules must never import this file.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** An IOHandler that loads a tfjs model.json plus the shards it names, relative to it. */
export function fileModelHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const modelJson = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
      const dir = path.dirname(modelJsonPath);
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const shards = manifest.flatMap((group) => group.paths.map((p) => readFileSync(path.join(dir, p))));
        const all = Buffer.concat(shards);
        // Copy out of Node's pooled buffer so the ArrayBuffer holds exactly the weights.
        return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
      });
    },
  };
}
