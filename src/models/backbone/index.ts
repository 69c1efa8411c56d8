export { Backbone, loadBackbone } from './backbone';
export { detectorTaps, isDetectorTap, type DetectorTapName } from './detector_taps';
export { LayerBackbone, loadLayerBackbone } from './layer_backbone';
export { parseBackboneModelJson } from './layer_topology';
export type { BackboneLayer, BackboneTopology, CheckedBackboneTopology } from './layer_topology';
export {
  BACKBONE_INPUT_NODE,
  BACKBONE_INPUT_SIZE,
  BACKBONE_MODEL_FILE,
  BACKBONE_MODEL_PACKAGE,
  BACKBONE_TAPS,
  DEFAULT_BACKBONE_MODEL_CONFIG,
  DEFAULT_BACKBONE_MODEL_URL,
  DETECTOR_BOX_SIZES,
  DETECTOR_HEATMAPS,
  DETECTOR_TAP_SPECS,
  LAYER_BACKBONE_FORMAT,
  TAP_NAMES,
} from './constants';
export type { BackboneModelConfig, DetectorOutputs, FeatureBackbone, LayerBackboneModelConfig, TapName, TapShape, TapSpec } from './types';
