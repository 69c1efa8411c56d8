import * as tf from '@tensorflow/tfjs';

/** The activations our exported layers name (heads use all but relu6). */
export type LayerActivationName = 'linear' | 'relu' | 'relu6' | 'elu';

/** A layer's activation applied on its own, where it cannot be fused into the conv. */
export function activate(x: tf.Tensor4D, activation: LayerActivationName): tf.Tensor4D {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'elu':
      return tf.elu(x);
  }
}
