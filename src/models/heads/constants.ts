import type { Activation, HeadKind } from './types';

/** model.json "format" of our heads (tfjs' own models say "graph-model" or "layers-model"). */
export const HEAD_FORMAT = 'affinitylab-head';

export const HEAD_KINDS: readonly HeadKind[] = ['cam', 'aff', 'seg'];

export const ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'elu'];

/**
 * The only resize the exporter writes, as prose in a layer's "then":
 * "resize_bilinear (half-pixel centres) to the grid of <tap>" (torch's
 * align_corners=False = tfjs' halfPixelCenters). Spacing and the
 * centres/centers spelling may vary; the half-pixel convention may not.
 */
export const RESIZE_PATTERN = /^resize_bilinear\s*\(half[-_ ]pixel[-_ ]cent(?:re|er)s\) to the grid of (\S+)$/;
export const RESIZE_TEXT = 'resize_bilinear (half-pixel centres) to the grid of <tap>';

/** "concat(a,b,c)" as an input: the named tensors concatenated along channels. */
export const CONCAT_PATTERN = /^concat\(([^()]*)\)$/;
