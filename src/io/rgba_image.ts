/** Decoded image pixels, row-major RGBA (what node_image_decode.ts returns). */
export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes; alpha is kept but the networks ignore it. */
  data: Uint8Array;
}
