export { Backbone, loadBackbone } from './backbone';
export {
  BACKBONE_INPUT_NODE,
  BACKBONE_INPUT_SIZE,
  BACKBONE_MODEL_FILE,
  BACKBONE_MODEL_PACKAGE,
  BACKBONE_TAPS,
  DEFAULT_BACKBONE_MODEL_CONFIG,
  DEFAULT_BACKBONE_MODEL_URL,
  TAP_NAMES,
} from './constants';
export type { BackboneModelConfig, TapName, TapSpec } from './types';
