export { loadPipeline, ModelSetPipeline } from './pipeline';
export { placeImage } from './placement';
export type { InputPlacement, LabPipeline, LoadProgress, ModelClass, ModelSetMeta, PipelineResult, PipelineStage } from './types';
