export { loadPipeline, ModelSetPipeline } from './pipeline';
export { channelsOfClasses, imageMasks, reportedParameters, resultMasks, resultParameters, type EvidenceMaskParameters } from './image_masks';
export { classesReport, classesReportJson, type ClassesReport, type PixelBox, type ReportInputs } from './classes_report';
export { maskGeometry } from './mask_geometry';
export { placeImage } from './placement';
export type { ClassEvidence, ClassEvidenceConfig, InputPlacement, LabPipeline, LoadProgress, ModelClass, ModelSetMeta, PipelineResult, PipelineStage } from './types';
