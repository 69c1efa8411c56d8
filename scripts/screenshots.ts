/**
 * Takes the README's screenshots (docs/screenshots/{cam,affinity,compare}.png
 * at 1280×800, phone.png at 390×844) of the lab running a trained model set on
 * a sample (by default a real photograph):
 *
 *   npm run screenshots -- [--model default] [--sample horse-rider]
 *
 * Builds the app, serves it on 127.0.0.1 and drives Debian's Chromium on the
 * backend the app picks without WebGPU.
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { serveBuiltApp } from '../build/serve_built_app';
import { launchChromium } from '../e2e/browser';
import { scrubTo, waitForDrawn } from '../e2e/lab_page';

const OUT_DIR = 'docs/screenshots';
const TIMEOUT_MS = Number(process.env.SCREENSHOT_TIMEOUT_MS ?? 300_000);
const PHONE = { width: 390, height: 844 };

async function visible(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).waitFor({ state: 'visible', timeout: TIMEOUT_MS });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string', default: 'default' }, sample: { type: 'string', default: 'horse-rider' } } });
  const app = await serveBuiltApp({ port: 4320 });
  const browser = await launchChromium({ webgpu: false });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`page: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) console.error(`page: ${response.status()} ${response.url()}`);
  });
  try {
    await page.goto(`${app.url}?model=${values.model}`);
    await page.getByTestId(`sample-${values.sample}`).click({ timeout: TIMEOUT_MS });
    await waitForDrawn(page, 'cam-heatmap', TIMEOUT_MS);
    // psa's label generation takes the classes present from the ground truth, where a sample has one.
    const groundTruth = (await page.getByTestId('labels-ground-truth').count()) > 0;
    if (groundTruth) await page.getByTestId('labels-ground-truth').check();
    mkdirSync(OUT_DIR, { recursive: true });
    await page.screenshot({ path: `${OUT_DIR}/cam.png`, fullPage: true });

    await page.getByTestId('tab-affinity').click();
    await waitForDrawn(page, 'affinity-boundary', TIMEOUT_MS);
    const box = await page.getByTestId('affinity-neighbours').locator('..').boundingBox();
    if (!box) throw new Error('the affinity view has no neighbour panel');
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.5);
    await waitForDrawn(page, 'affinity-transition', TIMEOUT_MS);
    await page.screenshot({ path: `${OUT_DIR}/affinity.png`, fullPage: true });

    await page.getByTestId('tab-compare').click();
    await scrubTo(page, 'End', 256, TIMEOUT_MS);
    if (groundTruth) await visible(page, 'miou-plot');
    await page.screenshot({ path: `${OUT_DIR}/compare.png`, fullPage: true });

    // One phone screen, not the whole column: the views start where a phone user lands after picking an image.
    await page.setViewportSize(PHONE);
    await page.getByTestId('tab-cam').click();
    await waitForDrawn(page, 'cam-heatmap', TIMEOUT_MS);
    await page.getByTestId('tab-cam').evaluate((tab) => tab.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${OUT_DIR}/phone.png` });
    console.log(`wrote ${OUT_DIR}/cam.png, affinity.png, compare.png, phone.png (model ${values.model}, sample ${values.sample})`);
  } catch (error) {
    await page.screenshot({ path: 'test-results/screenshots-failed.png', fullPage: true });
    throw error;
  } finally {
    await browser.close();
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
