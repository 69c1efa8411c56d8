import type { InputPlacement } from './types';

/**
 * Where an image goes in the square network input: scaled to fit (aspect
 * kept, small images scaled up too, so objects reach the sizes the heads were
 * trained on), top-left aligned, the rest zero padding.
 */
export function placeImage(imageWidth: number, imageHeight: number, inputSize: number, gridStride: number): InputPlacement {
  if (!(imageWidth >= 1 && imageHeight >= 1 && Number.isInteger(imageWidth) && Number.isInteger(imageHeight))) {
    throw new Error(`image size must be positive integers, got ${imageWidth}x${imageHeight}`);
  }
  const scale = inputSize / Math.max(imageWidth, imageHeight);
  const width = Math.min(inputSize, Math.max(1, Math.round(imageWidth * scale)));
  const height = Math.min(inputSize, Math.max(1, Math.round(imageHeight * scale)));
  return {
    imageWidth,
    imageHeight,
    width,
    height,
    gridWidth: Math.ceil(width / gridStride),
    gridHeight: Math.ceil(height / gridStride),
  };
}
