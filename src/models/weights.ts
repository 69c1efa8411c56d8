import * as tf from '@tensorflow/tfjs';
import { manifestBytes } from './http_io';

/**
 * Checks loaded weight specs and bytes against the shapes a topology needs:
 * a missing, extra, misshapen or non-float32 weight, or shards holding the
 * wrong number of bytes, throw an Error naming `name` and the weight.
 */
export function checkWeights(specs: tf.io.WeightsManifestEntry[], data: tf.io.WeightData | undefined, expected: Map<string, number[]>, name: string): void {
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const [weight, shape] of expected) {
    const spec = byName.get(weight);
    if (!spec) throw new Error(`${name}: weight ${weight} is missing (expected shape [${shape}])`);
    if (spec.shape.length !== shape.length || spec.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`${name}: weight ${weight} has shape [${spec.shape}], expected [${shape}]`);
    }
    if (spec.dtype !== 'float32') throw new Error(`${name}: weight ${weight} has dtype ${spec.dtype}, expected float32`);
  }
  const extra = specs.filter((s) => !expected.has(s.name)).map((s) => s.name);
  if (extra.length > 0) throw new Error(`${name}: weights ${extra.join(', ')} are not used by the topology`);
  const needed = manifestBytes([{ paths: [], weights: specs }]);
  const have = data === undefined ? 0 : new tf.io.CompositeArrayBuffer(data).byteLength;
  if (have !== needed) throw new Error(`${name}: weight shards hold ${have} bytes, the manifest needs ${needed}`);
}
