export { loadModelSet } from './model_set';
export type { ModelSet, ModelSetOptions, ModelSetSource } from './model_set';
export { validateMeta } from './meta';
export { ownBackboneFile } from './backbone_source';
export { DEFAULT_MODEL_SET_URL, DEFAULT_WALK_PARAMETERS, HEAD_FILES, META_FILE } from './constants';
