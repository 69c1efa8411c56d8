import * as tf from '@tensorflow/tfjs';

/** Live tensors and their bytes on the active backend: what leak tests compare. */
export interface TensorMemory {
  numTensors: number;
  numBytes: number;
}

export function tensorMemory(): TensorMemory {
  const { numTensors, numBytes } = tf.memory();
  return { numTensors, numBytes };
}
