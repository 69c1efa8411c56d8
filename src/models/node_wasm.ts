/** Node-only: selects the tfjs wasm backend, loading its .wasm files from node_modules. */
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { packageFilePath } from '../io/node_package_path';

/**
 * One thread by default: the Node jobs here (tests, feature extraction) share
 * a small machine, and one process should use one core.
 */
export async function useNodeWasmBackend(threads = 1): Promise<void> {
  setThreadsCount(threads);
  // setWasmPaths wants a directory prefix, hence the trailing slash.
  setWasmPaths(packageFilePath('@tensorflow/tfjs-backend-wasm', 'dist/'));
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
  await tf.ready();
}
