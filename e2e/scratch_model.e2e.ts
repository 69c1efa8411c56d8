import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchChromium, saveScreenshot } from './browser';

/**
 * The licence-clean scratch set (models/scratch) in the browser on WebGPU:
 * its own backbone (an "affinitylab-backbone" layer list) and heads load
 * from the app's origin and feed every stage.
 */
const POLL = { timeout: 120_000, interval: 250 };

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

describe('scratch model set', () => {
  it('runs on WebGPU from the selector entry', async () => {
    browser = await launchChromium({ webgpu: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const external: string[] = [];
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(baseUrl()) && !url.startsWith('data:') && !url.startsWith('blob:')) external.push(url);
    });
    await page.goto(`${baseUrl()}?model=scratch&backend=webgpu`);
    await expect.poll(() => page.getByTestId('model-select').inputValue(), POLL).toBe('scratch');
    await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), POLL).toBe('webgpu');
    await page.getByTestId('sample-val-cow-cat').click();
    await expect.poll(() => page.getByTestId('stages').textContent(), POLL).toMatch(/segmentation\s*\d+/);
    await saveScreenshot(page, 'lab-scratch-webgpu');
    expect(external, 'requests outside the app origin').toEqual([]);
  });
});
