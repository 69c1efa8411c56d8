import * as tf from '@tensorflow/tfjs';
import { CAM_NORM_EPS } from '../../core/constants';
import type { ChannelMaps } from '../../core/maps';
import type { MaskGeometry, ScoreOrder } from '../../core/masks';
import { channelGroups, LANES } from '../../gpu/walk_layout';

/**
 * The random walk's t = 0 scores built with tfjs ops where the CAMs are,
 * step for step as core/masks.ts walkInput builds them on the CPU (the
 * reference), so that on WebGPU the walk's input never leaves the device.
 * Maps here are tfjs' [1, H, W, C].
 */

/**
 * Background (1 - max_c)^alpha, then the maps: core/cam.ts withBackground
 * (the max starts at 0, the base is clamped at 0). The max over the few
 * channels is taken elementwise: tfjs' reduction runs one workgroup per cell,
 * which took 4 s at input resolution on SwiftShader against 5 ms for this.
 */
function withBackground(maps: tf.Tensor4D, alpha: number): tf.Tensor4D {
  const max = tf.split(maps, maps.shape[3], 3).reduce((a, b) => tf.maximum(a, b), tf.zeros([1, maps.shape[1], maps.shape[2], 1]));
  const background = tf.pow(tf.relu(tf.sub(1, max)), alpha);
  return tf.concat4d([background as tf.Tensor4D, maps], 3);
}

/** core/psa_scores.ts pooledWalkScores: upsampled by the stride (half-pixel centres), cropped to the image, normalised there, background added, zero-padded and pooled back to the grid. */
function pooledWalkScores(kept: tf.Tensor4D, alpha: number, { stride, region }: Pick<MaskGeometry, 'stride' | 'region'>): tf.Tensor4D {
  const [, height, width, channels] = kept.shape;
  const up = tf.image.resizeBilinear(kept, [height * stride, width * stride], false, true);
  const inside = tf.slice(up, [0, 0, 0, 0], [1, region.height, region.width, channels]);
  const normalised: tf.Tensor4D = tf.div(inside, tf.add(tf.max(inside, [1, 2], true), CAM_NORM_EPS));
  const scores = withBackground(normalised, alpha);
  const padded = tf.pad(scores, [[0, 0], [0, height * stride - region.height], [0, width * stride - region.width], [0, 0]]);
  return tf.avgPool(padded, stride, stride, 'valid');
}

/** core/masks.ts walkInput on the device: [1, H, W, 1 + keep.length], background first, from the set's CAMs [1, H, W, C]. */
export function walkInputOnDevice(cams: tf.Tensor4D, keep: readonly number[], g: Pick<MaskGeometry, 'stride' | 'region'>, alpha: number, order: ScoreOrder): tf.Tensor4D {
  if (keep.length === 0) throw new Error('the walk needs at least one kept class');
  return tf.tidy(() => {
    const kept = tf.gather(cams, [...keep], 3);
    return order === 'psa' ? pooledWalkScores(kept, alpha, g) : withBackground(kept, alpha);
  });
}

/** [1, H, W, C] as (group, cell, lane), the walk's packed layout (gpu/walk_layout.ts packChannels): four channels of a cell side by side, missing lanes 0. */
export function packOnDevice(maps: tf.Tensor4D): tf.Tensor3D {
  const [, height, width, channels] = maps.shape;
  const groups = channelGroups(channels);
  return tf.tidy(() => {
    const padded = tf.pad(maps, [[0, 0], [0, 0], [0, 0], [0, groups * LANES - channels]]);
    return tf.transpose(tf.reshape(padded, [height * width, groups, LANES]), [1, 0, 2]);
  });
}

/** (C, H, W) maps made on the CPU as a tensor [1, H, W, C]. */
export function uploadMaps(maps: ChannelMaps): tf.Tensor4D {
  return tf.tidy(() => tf.expandDims(tf.transpose(tf.tensor3d(maps.data, [maps.channels, maps.height, maps.width]), [1, 2, 0]), 0));
}
