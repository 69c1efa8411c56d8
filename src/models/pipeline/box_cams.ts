import * as tf from '@tensorflow/tfjs';
import type { BoxRegion } from '../../core/class_evidence';
import { CAM_NORM_EPS } from '../../core/constants';

/**
 * The CAM head's CAMs in the set's channels, on the device: zeros for a class
 * the head lacks, a copy of the head's own tensor when the orders agree.
 *
 * @param headChannelOf the CAM-head channel of each set channel, -1 where the head lacks the class
 */
export function inSetChannels(headCams: tf.Tensor4D, headChannelOf: readonly number[]): tf.Tensor4D {
  const [, height, width, headChannels] = headCams.shape;
  if (headChannelOf.length === headChannels && headChannelOf.every((k, c) => k === c)) return tf.clone(headCams);
  return tf.tidy(() => {
    const withZero = tf.concat([headCams, tf.zeros([1, height, width, 1])], 3);
    return tf.gather(withZero, headChannelOf.map((k) => (k < 0 ? headChannels : k)), 3) as tf.Tensor4D;
  });
}

/**
 * The detector's box CAMs (docs/algorithm.md §1b; the CPU reference is
 * core/testing/box_cams_reference.ts), built on the device from the CAM
 * head's CAMs where they already are, so neither the CAMs nor the result
 * cross to the CPU between the CAM head and the segmentation head. Only the
 * kept regions (a few numbers per box, chosen on the CPU from the detector's
 * peaks) go up.
 *
 * @param setCams the CAM head's normalised CAMs in the set's channels (inSetChannels), [1, H, W, C]
 * @returns [1, H, W, C]: per class, its regions' CAM, or the head's CAM for a class without a region
 */
export function boxCamsOnDevice(regions: readonly BoxRegion[], setCams: tf.Tensor4D): tf.Tensor4D {
  const [, height, width, channels] = setCams.shape;
  if (regions.length === 0) return tf.clone(setCams);
  return tf.tidy(() => {
    // The objectness: the largest CAM at each cell (a class the head lacks adds a zero, and CAMs are >= 0).
    const perRegion = regionCams(regions, tf.max(tf.squeeze(setCams, [0]), 2) as tf.Tensor2D).reshape([regions.length, height, width, 1]);
    // Each class's regions combined by a max: region r counts only in its own channel.
    const ownChannel = tf.oneHot(regions.map((r) => r.channel), channels).reshape([regions.length, 1, 1, channels]);
    const boxes = tf.max(tf.mul(perRegion, ownChannel), 0, true);
    // A blend by a 0/1 mask per channel: on wasm several times cheaper than a broadcast tf.where.
    const hasBox = tf.tensor1d(Array.from({ length: channels }, (_, c) => (regions.some((r) => r.channel === c) ? 1 : 0)));
    return tf.add(tf.mul(boxes, hasBox), tf.mul(setCams, tf.sub(1, hasBox))) as tf.Tensor4D;
  });
}

/** Each region's CAM, [R, H, W]: the objectness inside its cells over its peak there, times its weight; 0 elsewhere. */
function regionCams(regions: readonly BoxRegion[], objectness: tf.Tensor2D): tf.Tensor3D {
  const [height, width] = objectness.shape;
  const column = (key: 'y0' | 'y1' | 'x0' | 'x1' | 'weight') => tf.tensor2d(regions.map((r) => r[key]), [regions.length, 1]);
  const inside = (lo: tf.Tensor2D, hi: tf.Tensor2D, size: number) => {
    const index = tf.range(0, size).reshape([1, size]);
    return tf.logicalAnd(tf.greaterEqual(index, lo), tf.less(index, hi));
  };
  const rows = tf.cast(inside(column('y0'), column('y1'), height), 'float32').reshape([regions.length, height, 1]);
  const cols = tf.cast(inside(column('x0'), column('x1'), width), 'float32').reshape([regions.length, 1, width]);
  const masked = tf.mul(tf.mul(rows, cols), objectness);
  const peak = tf.max(masked, [1, 2], true);
  return tf.mul(masked, tf.div(column('weight').reshape([regions.length, 1, 1]), tf.add(peak, CAM_NORM_EPS))) as tf.Tensor3D;
}
