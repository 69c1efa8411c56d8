import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchChromium, saveScreenshot } from './browser';

/** "About this model set" reads as a card, with the raw meta.json one link away. */
const POLL = { timeout: 120_000, interval: 250 };
const committed = <T>(file: string): T => JSON.parse(readFileSync(new URL(`../models/default/${file}`, import.meta.url), 'utf8')) as T;

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
    // The rows the card must show: the set's committed summaries.
    const real = committed<{ objects: number; found: Record<string, number> }>('eval/eval_real.json');
    const { val } = committed<{ eval: { val: Record<string, number> } }>('meta.json').eval;
    const found = ['cam', 'rw', 'final'].map((s) => `${Math.round(real.found[s] * real.objects)}/${real.objects}`).join('');
    expect(rows).toContain(`real photos (19), objects found${found}`);
    expect(rows).toContain(`val composites, mIoU, true labels (PyTorch)${['cam', 'rw', 'seg'].map((s) => val[s].toFixed(1)).join('')}`);
    const raw = await page.request.get(new URL((await page.getByTestId('raw-meta-link').getAttribute('href'))!, baseUrl()).href);
    expect(raw.status()).toBe(200);
    expect((await raw.json()).name).toBe('default');
    await saveScreenshot(page, 'model-card-default');
  });
});
