import { useShallow } from 'zustand/react/shallow';
import type { ModelSetMeta } from '../../models/pipeline/types';
import type { LabImage } from '../../state/image_slice';
import type { Analysis } from '../../state/model_slice';
import { useLabStore } from '../../state/store';
import type { GridGeometry } from '../components/GridStage';

export interface LabResult {
  analysis: Analysis;
  meta: ModelSetMeta;
  image: LabImage;
  geometry: GridGeometry;
}

/** The current analysis with the image and model it belongs to, or null while there is none. */
export function useLabResult(): LabResult | null {
  const { analysis, meta, image } = useLabStore(useShallow((s) => ({ analysis: s.analysis, meta: s.modelMeta, image: s.image })));
  if (!analysis || !meta || !image || analysis.imageId !== image.id || analysis.modelId !== meta.id) return null;
  const geometry = { placement: analysis.placement, stride: meta.gridStride, gridWidth: analysis.cams.width, gridHeight: analysis.cams.height };
  return { analysis, meta, image, geometry };
}
