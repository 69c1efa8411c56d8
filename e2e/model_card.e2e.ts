import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchChromium, saveScreenshot } from './browser';

/** "About this model set" reads as a card, with the raw meta.json one link away. */
const POLL = { timeout: 120_000, interval: 250 };

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

describe('model card', () => {
  it('shows what the default set is, its classes, licences and evaluation, not raw JSON', async () => {
    browser = await launchChromium({ webgpu: false });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    await page.goto(baseUrl());
    await expect.poll(() => page.getByTestId('model-select').inputValue(), POLL).toBe('default');
    await page.getByText('About this model set').click();
    const card = page.getByTestId('model-card');
    await expect.poll(() => card.isVisible(), POLL).toBe(true);
    const text = (await card.textContent())!;
    expect(text).toContain('Classes (20)');
    expect(text).not.toMatch(/[0-9a-f]{64}|[{}"]/); // no hashes, no JSON
    expect(await page.getByTestId('model-card-licences').textContent()).toContain('MIT (trained by this project)');
    const rows = await page.getByTestId('model-card-eval').locator('tbody tr').allTextContents();
    expect(rows).toContain('real photos (19), objects found30/4226/424/42');
    expect(rows).toContain('val composites, mIoU, true labels (PyTorch)37.845.127.9');
    const raw = await page.request.get(new URL((await page.getByTestId('raw-meta-link').getAttribute('href'))!, baseUrl()).href);
    expect(raw.status()).toBe(200);
    expect((await raw.json()).name).toBe('default');
    await saveScreenshot(page, 'model-card-default');
  });
});
