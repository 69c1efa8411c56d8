import type * as tf from '@tensorflow/tfjs';
import { DETECTOR_FINE_TAP, DETECTOR_TAP_SPECS } from './constants';
import type { DetectorOutputs } from './types';

export type DetectorTapName = keyof typeof DETECTOR_TAP_SPECS;

export function isDetectorTap(name: string): name is DetectorTapName {
  return Object.hasOwn(DETECTOR_TAP_SPECS, name);
}

/** A detector pass's maps that heads read as taps, by tap name (DETECTOR_TAP_SPECS); the caller still owns them. */
export function detectorTaps(outputs: DetectorOutputs): Record<DetectorTapName, tf.Tensor4D> {
  return { [DETECTOR_FINE_TAP]: outputs.fine };
}
