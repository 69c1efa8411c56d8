import { useEffect, useRef } from 'react';

/** Longest side the image canvases are drawn at: sharp on a 1920-wide screen at 2x, cheap to redraw. */
const MAX_CANVAS_SIDE = 1600;

/** A canvas ref that shows `bitmap` at up to MAX_CANVAS_SIDE pixels (CSS scales it to the layout). */
export function useBitmapCanvas(bitmap: ImageBitmap | null) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !bitmap) return;
    const scale = Math.min(1, MAX_CANVAS_SIDE / Math.max(bitmap.width, bitmap.height));
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  }, [bitmap]);
  return ref;
}
