import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { decodeImage } from '../src/io/node_image_decode';
import { baseUrl, launchChromium } from './browser';

const TESTDATA = new URL('../src/io/testdata/', import.meta.url);
/** Every format and variant of src/io/testdata/formats (make_formats.py): JPEG kinds, EXIF orientations, GIF, WebP, BMPs. */
const FORMATS = readdirSync(new URL('formats/', TESTDATA)).filter((f) => !f.endsWith('.py'));

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchChromium({ webgpu: false });
  page = await browser.newPage();
  await page.goto(baseUrl());
});
afterAll(() => browser?.close());

/** As the app reads a file (src/io/browser_image.ts): decodeImageFile, then networkPixels at the image's own size. */
function chromiumPixels(bytes: Buffer): Promise<{ width: number; height: number; data: number[] }> {
  return page.evaluate(async (base64) => {
    const blob = new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))]);
    const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
    const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0, bitmap.width, bitmap.height);
    return { width: bitmap.width, height: bitmap.height, data: Array.from(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data) };
  }, bytes.toString('base64'));
}

/**
 * The app decodes with the browser, the CLI, evaluation and the training
 * features with src/io/node_image_decode: they must give the networks the same
 * pixels, or the heads run on features they were not trained on.
 */
describe('decoded pixels', () => {
  it('of a baseline JPEG are identical in Chromium (as the app reads them) and in Node', async () => {
    const bytes = readFileSync(new URL('pattern_20x12.jpg', TESTDATA));
    const inBrowser = await chromiumPixels(bytes);
    const inNode = await decodeImage(new Uint8Array(bytes));
    expect(inBrowser.data.length).toBe(20 * 12 * 4);
    expect(inBrowser.data).toEqual(Array.from(inNode.data));
  });

  it.each(FORMATS)('of %s are identical in Chromium and in Node', async (name) => {
    const bytes = readFileSync(new URL(`formats/${name}`, TESTDATA));
    const inBrowser = await chromiumPixels(bytes);
    const inNode = await decodeImage(new Uint8Array(bytes));
    expect([inNode.width, inNode.height]).toEqual([inBrowser.width, inBrowser.height]);
    expect(Array.from(inNode.data)).toEqual(inBrowser.data);
  });
});
