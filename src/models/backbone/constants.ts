import type { BackboneModelConfig, TapName, TapSpec } from './types';

/**
 * CenterNet (MobileNetV3-Large 0.75, COCO) from @vladmandic/human. Its licence
 * is unclear, so the weights are never copied into this repo: Vite serves them
 * from node_modules and Node reads them from disk (node_io.ts).
 */
export const DEFAULT_BACKBONE_MODEL_URL = '/vendor/human/centernet.json';
/** The same file for Node: package, and path inside it (see packageFilePath in io/node_package_path.ts). */
export const BACKBONE_MODEL_PACKAGE = '@vladmandic/human';
export const BACKBONE_MODEL_FILE = 'models/centernet.json';

export const BACKBONE_INPUT_NODE = 'tower_0/images';
/**
 * The graph is fixed to one 512x512 image: the CenterNet head's resize
 * nodes have their sizes baked in, so head taps fail at any other size.
 * Input is float RGB 0-255, no normalisation.
 */
export const BACKBONE_INPUT_SIZE = 512;

const MOBILENET = 'tower_0/MobilenetV3/';

/**
 * Chosen taps. Bytes per 512x512 image as float16: fpn_s8 1.5 MiB,
 * bb_s8 256 KiB, bb_s16 176 KiB, bb_s32 240 KiB (2.1 MiB in all).
 * Where a stage's residual output and its wider 1x1 expansion were both
 * candidates, the residual output was taken: the expansion is a pointwise
 * function of it, so it adds bytes, not information.
 */
export const BACKBONE_TAPS: Readonly<Record<TapName, TapSpec>> = {
  /** The head's stride-8 fusion: ReLU(concat(lateral from expanded_conv_5, upsampled stride-16 path)). */
  fpn_s8: { node: 'tower_0/CenternetHead/Relu_1', channels: 192, stride: 8 },
  /** Last block of the stride-8 stage. */
  bb_s8: { node: `${MOBILENET}expanded_conv_5/add`, channels: 32, stride: 8 },
  /** Last block of the stride-16 stage (before the SE-heavy 528-channel blocks). */
  bb_s16: { node: `${MOBILENET}expanded_conv_11/add`, channels: 88, stride: 16 },
  /** Final 1x1 conv + hard-swish of the backbone: the deepest, most semantic map. */
  bb_s32: { node: 'tower_0/extern1/hard_swish/mul_1', channels: 480, stride: 32 },
};

export const TAP_NAMES = Object.keys(BACKBONE_TAPS) as TapName[];

/**
 * CenterNet's detector outputs, at stride 4: a heatmap per COCO class (80,
 * after its sigmoid) and, per cell, the box sides (left, top, right, bottom
 * in input pixels) of an object centred there. Trained with COCO's boxes,
 * the detector names the class of a photographed object far better than a
 * head trained on our composites. Its own decoder (TopK over every class
 * and cell) costs as much as the backbone's last stages, so we decode the
 * boxes ourselves for the VOC classes only.
 */
export const DETECTOR_HEATMAPS: TapSpec = { node: 'tower_0/keypoints', channels: 80, stride: 4 };
export const DETECTOR_BOX_SIZES: TapSpec = { node: 'tower_0/wh', channels: 4, stride: 4 };
/**
 * The detector branch's stride-4 map (the 1x1 reduction of the stride-4
 * lateral, 18 channels, 0.6 MiB per image as float16), offered to heads as
 * the tap DETECTOR_FINE_TAP: a segmentation head that reads it answers on a
 * grid twice as fine as the others', where an object of one stride-8 cell
 * (a far duck) spans four.
 */
export const DETECTOR_FINE: TapSpec = { node: 'tower_0/CenternetHead/c2_reverse/1x1/Relu', channels: 18, stride: 4 };
export const DETECTOR_FINE_TAP = 'det_s4';
/** The detector maps offered to heads as taps, by tap name; detectorTaps (detector_taps.ts) takes them from a pass. */
export const DETECTOR_TAP_SPECS: Readonly<Record<typeof DETECTOR_FINE_TAP, TapSpec>> = { [DETECTOR_FINE_TAP]: DETECTOR_FINE };

export const DEFAULT_BACKBONE_MODEL_CONFIG: Required<BackboneModelConfig> = {
  modelUrl: DEFAULT_BACKBONE_MODEL_URL,
  taps: TAP_NAMES,
};

/** model.json "format" of our own backbones: a layer list run with tfjs ops (layer_backbone.ts). */
export const LAYER_BACKBONE_FORMAT = 'affinitylab-backbone';

export const LAYER_TYPES = ['conv2d', 'depthwise_conv2d', 'add'] as const;

export const LAYER_ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu'] as const;

/** The network's image input, as a layer's input name. */
export const LAYER_INPUT = 'input';

/** "add(a,b,c)" as an input: the named tensors summed (residual connections, pyramid fusion). */
export const ADD_PATTERN = /^add\(([^()]*)\)$/;

/**
 * The only resize the exporter writes (training/tools/backbone_export.py), as prose
 * in a layer's "then": torch's align_corners=False = tfjs' halfPixelCenters.
 */
export const LAYER_RESIZE_PATTERN = /^resize_bilinear\s*\(half[-_ ]pixel[-_ ]cent(?:re|er)s\) to the grid of (\S+)$/;
