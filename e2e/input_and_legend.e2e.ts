import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launchChromium, saveScreenshot } from './browser';
import { waitForDrawn } from './lab_page';

/** Small truths the page must tell: legend colours, tiny and SVG images, the favicon, and chip scores against the keep rule. */
const SYNTHETIC = '?model=synthetic-untrained&backend=cpu';
const POLL = { timeout: 120_000, interval: 250 };

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

async function open(query: string, prepare?: (page: Page) => void): Promise<Page> {
  browser = await launchChromium({ webgpu: false });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  prepare?.(page);
  await page.goto(baseUrl() + query);
  return page;
}

describe('legend', () => {
  it('shows background black like the masks, and every class in its own colour', async () => {
    const page = await open(SYNTHETIC);
    await page.getByTestId('sample-val-cat-car').click();
    await waitForDrawn(page, 'cam-heatmap', POLL.timeout);
    await page.getByTestId('labels-ground-truth').check();
    await page.getByTestId('tab-compare').click();
    await waitForDrawn(page, 'panel-final', POLL.timeout);
    const swatches = await page.getByTestId('class-legend').locator('li').evaluateAll((items) =>
      items.map((li) => [li.textContent, getComputedStyle(li.querySelector('.swatch')!).backgroundColor]),
    );
    const colours = Object.fromEntries(swatches);
    expect(colours.background).toBe('rgb(0, 0, 0)');
    expect(colours.car).toBe('rgb(128, 128, 128)');
    expect(new Set(Object.values(colours)).size).toBe(swatches.length);
    await saveScreenshot(page, 'legend-cat-car');
  });
});

describe('image input', () => {
  it('warns about an image under 32 pixels on a side and still analyses it', async () => {
    const page = await open('');
    await expect.poll(() => page.getByTestId('model-select').inputValue(), POLL).toBe('default');
    await page.getByTestId('upload-input').setInputFiles(fileURLToPath(new URL('../src/io/testdata/pattern_20x12.jpg', import.meta.url)));
    await expect.poll(() => page.getByTestId('image-warning').textContent(), POLL).toContain('only 20×12 pixels (under 32 on a side)');
    await waitForDrawn(page, 'cam-heatmap', POLL.timeout);
    await saveScreenshot(page, 'input-tiny-image');
  });

  it('opens a 12000×9000 photo decoded at 4096×3072 and analyses it', async () => {
    const page = await open(SYNTHETIC);
    const jpeg = await sharp(fileURLToPath(new URL('../public/samples/chelsea.jpg', import.meta.url))).resize(12000, 9000, { fit: 'fill' }).jpeg().toBuffer();
    await page.getByTestId('upload-input').setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await expect.poll(() => page.getByTestId('image-name').textContent(), POLL).toBe('huge.jpg · 4096×3072');
    await waitForDrawn(page, 'cam-heatmap', POLL.timeout);
    expect(await page.getByTestId('image-error').count()).toBe(0);
    await saveScreenshot(page, 'input-12000x9000');
  });

  it('shows and analyses a truncated JPEG with a warning, then opens the next image without a reload', async () => {
    const page = await open(SYNTHETIC);
    const full = await sharp(fileURLToPath(new URL('../public/samples/coffee.jpg', import.meta.url))).jpeg().toBuffer();
    await page.getByTestId('upload-input').setInputFiles({ name: 'cut.jpg', mimeType: 'image/jpeg', buffer: full.subarray(0, Math.floor(full.length * 0.6)) });
    await expect.poll(() => page.getByTestId('image-damaged-warning').textContent(), POLL).toBe(
      '"cut.jpg" is damaged (cut short or corrupt): it is shown and analysed as far as this browser could decode it.',
    );
    expect(await page.getByTestId('image-name').textContent()).toBe('cut.jpg · 512×341');
    await waitForDrawn(page, 'cam-heatmap', POLL.timeout);
    await saveScreenshot(page, 'input-truncated-jpeg');
    await page.getByTestId('sample-chelsea').click();
    await expect.poll(() => page.getByTestId('image-name').textContent(), POLL).toMatch(/^Chelsea/);
    expect(await page.getByTestId('image-damaged-warning').count()).toBe(0);
  });

  it('refuses SVG with "SVG is not supported", whatever the file is called', async () => {
    const page = await open(SYNTHETIC);
    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="red"/></svg>');
    const errorText = () => page.getByTestId('image-error-text').textContent();
    await page.getByTestId('upload-input').setInputFiles({ name: 'drawing.svg', mimeType: 'image/svg+xml', buffer: svg });
    await expect.poll(errorText, POLL).toBe('SVG is not supported');
    await page.getByRole('button', { name: 'dismiss' }).click();
    await page.getByTestId('upload-input').setInputFiles({ name: 'pasted', mimeType: 'application/octet-stream', buffer: svg });
    await expect.poll(errorText, POLL).toBe('SVG is not supported');
  });
});

describe('favicon', () => {
  it('is linked, served, and /favicon.ico answers too', async () => {
    const missing: string[] = [];
    const page = await open(SYNTHETIC, (p) => p.on('response', (r) => r.status() >= 400 && missing.push(`${r.status()} ${r.url()}`)));
    const hrefs = await page.locator('link[rel="icon"]').evaluateAll((links) => links.map((l) => (l as HTMLLinkElement).href));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const url of [...hrefs, `${baseUrl()}/favicon.ico`]) {
      const response = await page.request.get(url);
      expect(response.status(), url).toBe(200);
      expect(response.headers()['content-type'], url).toMatch(/^image\//);
    }
    await expect.poll(() => page.getByTestId('model-select').inputValue(), POLL).toBe('synthetic-untrained');
    expect(missing).toEqual([]);
  });
});

/** Each chip: shown score (percent), whether it is kept (bold, class "chip"). */
async function chips(page: Page): Promise<{ name: string; score: number; kept: boolean }[]> {
  return page.locator('[data-testid^="class-chip-"]:not([data-testid="class-chip-background"])').evaluateAll((buttons) =>
    buttons.map((b) => ({
      name: b.getAttribute('data-testid')!.replace('class-chip-', ''),
      score: parseFloat(b.querySelector('.chip-score')!.textContent!),
      kept: b.getAttribute('class') === 'chip',
    })),
  );
}

describe('class chips', () => {
  it('show scores that agree with the keep rule the caption states', async () => {
    const page = await open('');
    await expect.poll(() => page.getByTestId('model-select').inputValue(), POLL).toBe('default');
    for (const sample of ['dog-daisy', 'val-cow-cat', 'horse-rider']) {
      await page.getByTestId(`sample-${sample}`).click();
      await expect.poll(() => page.getByTestId(`sample-${sample}`).getAttribute('class'), POLL).toContain('sample-active');
      await waitForDrawn(page, 'cam-heatmap', POLL.timeout);
      await expect.poll(() => page.getByTestId('placeholder').count(), POLL).toBe(0);
      const caption = (await page.getByTestId('chip-caption').textContent())!;
      const rule = caption.match(/every class scoring ≥ ([\d.]+)%, or the best one alone when none does( \(none does here\))?\.$/);
      expect(rule, caption).not.toBeNull();
      const threshold = parseFloat(rule![1]);
      const regionCaption = page.getByTestId('region-caption');
      const regionNamed = (await regionCaption.count()) > 0 ? (await regionCaption.getAttribute('data-classes'))!.split(',') : [];
      const shown = await chips(page);
      if (rule![2]) {
        expect(shown.filter((c) => c.kept && !regionNamed.includes(c.name)).length, sample).toBe(1);
        expect(shown.every((c) => c.score < threshold), sample).toBe(true);
      } else {
        for (const c of shown) expect(c.kept, `${sample}: ${c.name} ${c.score}% against ${threshold}%`).toBe(c.score >= threshold || regionNamed.includes(c.name));
      }
    }
    await saveScreenshot(page, 'chips-horse-rider');
  });
});
