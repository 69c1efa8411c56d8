import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launchChromium, saveScreenshot } from './browser';
import { scrubTo } from './lab_page';

/**
 * The app's walk on WebGPU (its own kernel, SwiftShader here) against the
 * worker's CPU walk: the synthetic stand-in is plain JavaScript, so both get
 * the same walk input and the revised masks must agree at every step shown.
 */
const POLL = { timeout: 180_000, interval: 250 };

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

/** The revised-mask panel's pixels (the mask blended onto the image). */
function rwPixels(page: Page): Promise<number[]> {
  return page.getByTestId('panel-rw').evaluate((canvas: HTMLCanvasElement) => Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data));
}

/** The exported revised mask (a label PNG) of the step shown. */
async function exportedMask(page: Page): Promise<Uint8Array> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-mask-rw').click()]);
  return new Uint8Array(readFileSync(await file.path()));
}

/** Opens a sample in the compare view and returns the revised mask at t = 256 (shown and exported) and t = 0, and where the walk ran. */
async function walkedMasks(backend: 'cpu' | 'webgpu'): Promise<{ site: string | null; last: number[]; first: number[]; exported: Uint8Array }> {
  browser = await launchChromium({ webgpu: backend === 'webgpu' });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${baseUrl()}?model=synthetic-untrained&backend=${backend}`);
  await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), POLL).toBe(backend);
  await page.getByTestId('tab-compare').click();
  await page.getByTestId('sample-val-cat-car').click();
  await expect.poll(() => page.getByTestId('walk-progress').getAttribute('class'), POLL).toBe('stage-done');
  await expect.poll(() => page.getByTestId('panel-rw').getAttribute('data-t'), POLL).toBe('256');
  const last = await rwPixels(page);
  const progress = await page.getByTestId('walk-progress').textContent();
  await scrubTo(page, 'Home', 0, POLL.timeout);
  const first = await rwPixels(page);
  await scrubTo(page, 'End', 256, POLL.timeout);
  // Scrubbing reads steps back; it never runs the walk again (its time would change).
  expect(await page.getByTestId('walk-progress').textContent()).toBe(progress);
  expect(await rwPixels(page)).toEqual(last);
  const exported = await exportedMask(page);
  await saveScreenshot(page, `walk-on-${backend}`);
  const site = await page.getByTestId('walk-progress').getAttribute('data-walk-on');
  await browser.close();
  browser = undefined;
  return { site, last, first, exported };
}

const differing = (a: number[], b: number[]) => a.filter((v, i) => v !== b[i]).length;

describe('the random walk in the app on WebGPU', () => {
  it('runs on the GPU and shows and exports the same masks as the CPU walk at t = 0 and t = 256', async () => {
    const cpu = await walkedMasks('cpu');
    const gpu = await walkedMasks('webgpu');
    expect(cpu.site).toBe('worker');
    expect(gpu.site).toBe('gpu');
    expect(gpu.first.length).toBe(cpu.first.length);
    // The walk changes the mask, so equal masks at t = 256 are not equal by default.
    expect(differing(cpu.first, cpu.last)).toBeGreaterThan(0);
    expect(differing(gpu.first, cpu.first)).toBe(0);
    expect(differing(gpu.last, cpu.last)).toBe(0);
    expect(gpu.exported).toEqual(cpu.exported);
  });
});
