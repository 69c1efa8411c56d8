import * as tf from '@tensorflow/tfjs';
import type { InputPlacement, RgbaInput } from './types';

/**
 * RGBA bytes -> [inputSize, inputSize, 3] float RGB 0-255: resized to the
 * placement with half-pixel centres (as torch's align_corners=False), then
 * zero-padded bottom/right.
 */
export function networkInput(image: RgbaInput, placement: InputPlacement, inputSize: number): tf.Tensor3D {
  return tf.tidy(() => {
    let x = rgbTensor(image);
    if (placement.width !== placement.imageWidth || placement.height !== placement.imageHeight) x = tf.image.resizeBilinear(x, [placement.height, placement.width], false, true);
    return tf.pad(x, [[0, inputSize - placement.height], [0, inputSize - placement.width], [0, 0]]);
  });
}

/** RGBA bytes -> [height, width, 3] float RGB 0-255 (alpha dropped). */
export function rgbTensor(image: RgbaInput): tf.Tensor3D {
  const { width: w, height: h } = image;
  const rgb = new Float32Array(w * h * 3);
  for (let i = 0, j = 0; i < w * h; i++, j += 3) {
    rgb[j] = image.data[i * 4];
    rgb[j + 1] = image.data[i * 4 + 1];
    rgb[j + 2] = image.data[i * 4 + 2];
  }
  return tf.tensor3d(rgb, [h, w, 3]);
}
