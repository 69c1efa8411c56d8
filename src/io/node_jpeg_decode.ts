import decodeMozjpeg, { init } from '@jsquash/jpeg/decode.js';
import { readFileSync } from 'node:fs';
import { packageFilePath } from './node_package_path';
import type { RgbaImage } from './rgba_image';

/**
 * JPEG decoding for Node with libjpeg-turbo's arithmetic (MozJPEG's decoder
 * compiled to wasm): bit-identical to Chromium's decoder, which the app uses,
 * and to PIL's, which trains the scratch backbone. jpeg-js, used before, was
 * off by up to 38 grey levels on our val images and moved backbone taps by
 * up to 28% of their maximum.
 */

/** Recorded with cached features: features from another decoder are stale. */
export const JPEG_DECODER = '@jsquash/jpeg 1.6.0 (MozJPEG = libjpeg-turbo decoding)';

let ready: Promise<void> | undefined;

/** Compiles the wasm from the installed package (the module would otherwise fetch() it). */
async function initFromPackage(): Promise<void> {
  const compiled = await WebAssembly.compile(readFileSync(packageFilePath('@jsquash/jpeg', 'codec/dec/mozjpeg_dec.wasm')));
  // init(module) is the package's documented form; its .d.ts declares only the options form.
  await (init as unknown as (module: WebAssembly.Module) => Promise<void>)(compiled);
}

export async function decodeJpeg(bytes: Uint8Array): Promise<RgbaImage> {
  ready ??= initFromPackage();
  await ready;
  const copy = bytes.slice().buffer;
  const image = await decodeMozjpeg(copy);
  return { width: image.width, height: image.height, data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength) };
}
