import { useEffect, useMemo, useRef } from 'react';
import { camMask, finalMask, maskMiou, walkMask } from '../../state/masks';
import { useLabStore } from '../../state/store';
import { shownStep } from '../../state/walk_steps';
import { formatMiou } from '../format';
import type { LabResult } from './use_lab_result';
import { blendMask, putPixels } from '../render/pixels';

/** The image at the label resolution (placement.width × placement.height), for blending masks onto. */
export function useLabelResImage({ image, analysis }: LabResult): ImageData {
  const { width, height } = analysis.placement;
  return useMemo(() => {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(image.bitmap, 0, 0, width, height);
    return ctx.getImageData(0, 0, width, height);
  }, [image, width, height]);
}

/** CAM-only and segmentation-network masks: fixed per analysis. */
export function useStaticMasks({ analysis, meta }: LabResult) {
  return useMemo(() => {
    const cam = camMask(analysis, meta);
    const final = finalMask(analysis, meta);
    return { cam, final, camMiou: maskMiou(cam, analysis), finalMiou: maskMiou(final, analysis) };
  }, [analysis, meta]);
}

/** A canvas ref that shows `labels` blended onto the image. */
export function useMaskCanvas(labels: Uint8Array, image: ImageData, opacity: number) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) putPixels(ref.current, blendMask(image.data, labels, opacity), image.width, image.height);
  }, [labels, image, opacity]);
  return ref;
}

/**
 * The revised-CAM mask at the current t, drawn straight to the canvas from a
 * store subscription (no React render per step, so scrubbing and playback stay
 * smooth; on WebGPU the step is read back from the GPU, never walked again). data-t on the canvas says which step is on screen; the mIoU element
 * is updated the same way.
 */
export function useWalkMaskCanvas(result: LabResult, image: ImageData, opacity: number) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const miouRef = useRef<HTMLOutputElement>(null);
  const { analysis, meta } = result;
  useEffect(() => {
    let frame = 0;
    const draw = () => {
      frame = 0;
      const canvas = canvasRef.current;
      const { t, walkOn } = useLabStore.getState();
      const step = shownStep(walkOn, t);
      if (!canvas || !step) return;
      const mask = walkMask(step.maps, analysis, meta);
      putPixels(canvas, blendMask(image.data, mask, opacity), image.width, image.height);
      canvas.dataset.t = String(step.t);
      if (miouRef.current) miouRef.current.textContent = formatMiou(maskMiou(mask, analysis));
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    schedule();
    const unsubscribe = useLabStore.subscribe((s, previous) => {
      if (s.t !== previous.t || s.walkAvailable !== previous.walkAvailable || s.walkReads !== previous.walkReads) schedule();
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [analysis, meta, image, opacity]);
  return { canvasRef, miouRef };
}
