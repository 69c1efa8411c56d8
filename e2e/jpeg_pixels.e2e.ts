import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { decodeImage } from '../src/io/node_image_decode';
import { baseUrl, launchChromium } from './browser';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

/**
 * The app decodes with the browser, the CLI, evaluation and the training
 * features with src/io/node_image_decode: they must give the networks the same
 * pixels, or the heads run on features they were not trained on.
 */
describe('JPEG pixels', () => {
  it('are identical in Chromium (as the app reads them) and in Node', async () => {
    const bytes = readFileSync(new URL('../src/io/testdata/pattern_20x12.jpg', import.meta.url));
    browser = await launchChromium({ webgpu: false });
    const page = await browser.newPage();
    await page.goto(baseUrl());
    const inBrowser = await page.evaluate(async (base64) => {
      const blob = new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' });
      // As src/io/browser_image.ts: decodeImageFile, then networkPixels at the image's own size.
      const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0, bitmap.width, bitmap.height);
      return Array.from(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data);
    }, bytes.toString('base64'));
    const inNode = await decodeImage(new Uint8Array(bytes));
    expect(inBrowser.length).toBe(20 * 12 * 4);
    expect(inBrowser).toEqual(Array.from(inNode.data));
  });
});
