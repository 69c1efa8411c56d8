import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launchChromium, saveScreenshot } from './browser';
import { openSample, scrubTo } from './lab_page';

/** The first result shows where the walk ends; a step the user picks stays picked for the next image. */
const SYNTHETIC = '?model=synthetic-untrained&backend=cpu';
const POLL = { timeout: 120_000, interval: 250 };

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

const rwStep = (page: Page) => page.getByTestId('panel-rw').getAttribute('data-t');
const tValue = (page: Page) => page.getByTestId('t-value').textContent();

describe('random walk on the first result', () => {
  it('shows the last step without touching the slider, and keeps the mode the user chose', async () => {
    browser = await launchChromium({ webgpu: false });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(baseUrl() + SYNTHETIC);
    await expect.poll(() => page.getByTestId('model-select').inputValue(), POLL).toBe('synthetic-untrained');
    await page.getByTestId('tab-compare').click();
    await openSample(page, 'val-cat-car', 'Cat and car', POLL.timeout);
    await expect.poll(() => rwStep(page), POLL).toBe('256');
    expect(await tValue(page)).toBe('256');
    await saveScreenshot(page, 'walk-first-result');

    // A step chosen by the user stays for the next image...
    await scrubTo(page, 'Home', 0, POLL.timeout);
    await openSample(page, 'val-cow-cat', 'Cow and cat', POLL.timeout);
    await expect.poll(() => rwStep(page), POLL).toBe('0');
    expect(await tValue(page)).toBe('0');
    // ...and so does following the end.
    await scrubTo(page, 'End', 256, POLL.timeout);
    await openSample(page, 'val-plane-cow', 'Plane and cow', POLL.timeout);
    await expect.poll(() => rwStep(page), POLL).toBe('256');
    expect(await tValue(page)).toBe('256');
  });
});
