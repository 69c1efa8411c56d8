import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launchChromium, saveScreenshot } from './browser';
import { E2E_MODEL_SET } from './global_setup';
import { waitForDrawn } from './lab_page';
import { tensorMemory } from './test_hooks';

/** Switching model sets: a set that fails to load leaves the working one in place, and switching frees every tensor. */
const POLL = { timeout: 120_000, interval: 250 };
const E2E_NAME = 'random weights (browser tests only)';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

async function open(): Promise<Page> {
  browser = await launchChromium({ webgpu: false });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${baseUrl()}/?model=${E2E_MODEL_SET}&backend=wasm&test-hooks`);
  await waitUntilLoaded(page, E2E_MODEL_SET);
  return page;
}

/** The set is selected and its weights are loaded (no progress bar). */
async function waitUntilLoaded(page: Page, id: string): Promise<void> {
  await expect.poll(async () => (await page.getByTestId('model-select').inputValue()) === id && (await page.getByTestId('load-progress').count()) === 0, POLL).toBe(true);
}

describe('model set switch', () => {
  it('that fails (a truncated weights file) names the file and keeps the previous set, which still runs', async () => {
    const page = await open();
    await page.getByTestId('sample-chelsea').click();
    await waitForDrawn(page, 'cam-heatmap', POLL.timeout);
    await page.route('**/models/scratch/cam/weights.bin', (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.alloc(100) }));
    await page.getByTestId('model-select').selectOption('scratch');
    const alert = page.getByRole('alert').filter({ hasText: 'Loading' });
    await expect.poll(() => alert.textContent(), POLL).toMatch(new RegExp(`^Loading ".*" failed: .*/models/scratch/cam/.*Still using "${E2E_NAME.replace(/[()]/g, '\\$&')}"\\.$`));
    await waitUntilLoaded(page, E2E_MODEL_SET);
    // The previous set analyses the image again.
    await waitForDrawn(page, 'cam-heatmap', POLL.timeout);
    await saveScreenshot(page, 'model-switch-failed');
  });

  it('ten times leaves no tensors behind', async () => {
    const page = await open();
    const before = await tensorMemory(page);
    expect(before.numTensors).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) {
      const id = i % 2 === 0 ? 'scratch' : E2E_MODEL_SET;
      await page.getByTestId('model-select').selectOption(id);
      await waitUntilLoaded(page, id);
    }
    await page.getByTestId('model-select').selectOption(E2E_MODEL_SET);
    await waitUntilLoaded(page, E2E_MODEL_SET);
    expect(await tensorMemory(page)).toEqual(before);
  });
});
