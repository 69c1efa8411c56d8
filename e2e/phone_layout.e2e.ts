import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launchChromium, saveScreenshot } from './browser';
import { waitForDrawn } from './lab_page';

/** On a phone (390x844) nothing scrolls sideways, the panels stack at a usable width, and every control can be reached. */
const SYNTHETIC = '?model=synthetic-untrained&backend=cpu';
const POLL = { timeout: 120_000, interval: 250 };
const PHONE = { width: 390, height: 844 };

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

const scrollWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

async function openWithResult(viewport: { width: number; height: number }): Promise<Page> {
  browser = await launchChromium({ webgpu: false });
  const page = await browser.newPage({ viewport });
  await page.goto(baseUrl() + SYNTHETIC);
  await page.getByTestId('sample-val-cow-cat').click();
  await waitForDrawn(page, 'cam-heatmap', POLL.timeout);
  await page.getByTestId('labels-ground-truth').check(); // the widest caption there is
  return page;
}

/** Brings an element into view and checks it lies inside the viewport's width. */
async function reachable(page: Page, testId: string): Promise<void> {
  const element = page.getByTestId(testId);
  await element.scrollIntoViewIfNeeded();
  const box = (await element.boundingBox())!;
  expect(box.x, testId).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, testId).toBeLessThanOrEqual(PHONE.width);
}

describe('phone layout', () => {
  it('does not scroll sideways at 390x844, stacks panels at least 300 px wide, and keeps controls reachable', async () => {
    const page = await openWithResult(PHONE);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await saveScreenshot(page, 'phone-390x844-cam');

    await page.getByTestId('tab-affinity').click();
    await waitForDrawn(page, 'affinity-boundary', POLL.timeout);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await saveScreenshot(page, 'phone-390x844-affinity');

    await page.getByTestId('tab-compare').click();
    await waitForDrawn(page, 'panel-final', POLL.timeout);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    const boxes = await Promise.all(['panel-cam', 'panel-rw', 'panel-final'].map(async (id) => (await page.getByTestId(id).boundingBox())!));
    for (const box of boxes) expect(box.width).toBeGreaterThanOrEqual(300);
    // Stacked: each panel starts below the one before it.
    expect(boxes[1].y).toBeGreaterThanOrEqual(boxes[0].y + boxes[0].height);
    expect(boxes[2].y).toBeGreaterThanOrEqual(boxes[1].y + boxes[1].height);
    await saveScreenshot(page, 'phone-390x844-compare');

    for (const id of ['t-slider', 'play-button', 'beta-slider', 'opacity-slider', 'model-select', 'export-mask-rw', 'export-scores-seg']) await reachable(page, id);
    // The sidebar's panels take the column's width too.
    const column = (await page.getByTestId('view-compare').boundingBox())!.width;
    expect((await page.getByTestId('t-slider').boundingBox())!.width).toBeGreaterThanOrEqual(column - 40);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-mask-final').click()]);
    expect(download.suggestedFilename()).toMatch(/_final\.png$/);
    await page.getByTestId('compare-swipe').check();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
  });

  it('keeps the desktop layout at 1920x1080', async () => {
    const page = await openWithResult({ width: 1920, height: 1080 });
    await page.getByTestId('tab-compare').click();
    await waitForDrawn(page, 'panel-final', POLL.timeout);
    const boxes = await Promise.all(['panel-cam', 'panel-rw', 'panel-final'].map(async (id) => (await page.getByTestId(id).boundingBox())!));
    // Side by side: one row.
    expect(boxes[1].y).toBe(boxes[0].y);
    expect(boxes[2].x).toBeGreaterThan(boxes[1].x);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(1920);
    await saveScreenshot(page, 'desktop-1920x1080-compare');
  });
});
