import { useEffect, useRef } from 'react';
import { heatmapRgba, HeatmapOptions } from '../../core/colormap';
import { putPixels } from '../render/pixels';

/** A canvas ref showing a (height, width) scalar grid map as a viridis heatmap. */
export function useGridOverlay(values: Float32Array | null, width: number, height: number, options: HeatmapOptions) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { lo, hi, opacity, alphaByValue } = options;
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const rgba = values ? heatmapRgba(values, { lo, hi, opacity, alphaByValue }) : new Uint8ClampedArray(width * height * 4);
    putPixels(canvas, rgba, width, height);
  }, [values, width, height, lo, hi, opacity, alphaByValue]);
  return ref;
}
