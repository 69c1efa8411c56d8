import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { keptClasses, maskMiou, walkInput, type StageMasks } from '../src/core/masks';
import { parseNpy } from '../src/core/npy';
import { decodeImage } from '../src/io/node_image_decode';
import { decodeLabelPng } from '../src/io/label_png';
import { modelSetFromDir } from '../src/models/node_model_set';
import { useNodeWasmBackend } from '../src/models/node_wasm';
import { channelsOfClasses, imageMasks, loadPipeline } from '../src/models/pipeline';
import { baseUrl, launchChromium, saveScreenshot } from './browser';
import { E2E_MODEL_SET } from './global_setup';
import { scrubTo, waitForDrawn } from './lab_page';
import { maxAbsDiff, toMaps, walkSnapshot } from './test_hooks';

/**
 * Most tests drive the UI with the synthetic stand-in (fast, no weights); one
 * runs the real tfjs pipeline with random weights on WebGPU, and two the
 * shipped default set (committed, so never skipped).
 */
const SYNTHETIC = '?model=synthetic-untrained&backend=cpu';
const POLL = { timeout: 120_000, interval: 250 };

let browser: Browser | undefined;
/** Requests the page made outside the app's origin: there must be none (weights, samples, wasm are all served locally). */
let external: string[] = [];
afterEach(async () => {
  await browser?.close();
  browser = undefined;
  expect(external, 'requests outside the app origin').toEqual([]);
  external = [];
});

interface OpenOptions {
  viewport?: { width: number; height: number };
  webgpu?: boolean;
  /** Runs before the page loads, e.g. to set up routes. */
  prepare?: (page: Page) => Promise<unknown>;
}

async function openLab(query: string, { viewport = { width: 1280, height: 800 }, webgpu = false, prepare }: OpenOptions = {}): Promise<Page> {
  browser = await launchChromium({ webgpu });
  const page = await browser.newPage({ viewport });
  await prepare?.(page);
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(baseUrl()) && !url.startsWith('data:') && !url.startsWith('blob:')) external.push(url);
  });
  await page.goto(baseUrl() + query);
  return page;
}

interface CanvasStats {
  width: number;
  height: number;
  /** Pixels with alpha > 0. */
  opaque: number;
  /** Distinct RGB values (capped), to tell a heatmap from a flat fill. */
  colours: number;
  hash: number;
}

function canvasStats(page: Page, testId: string): Promise<CanvasStats> {
  return page.getByTestId(testId).evaluate((canvas: HTMLCanvasElement) => {
    const { width, height } = canvas;
    const data = width && height ? canvas.getContext('2d')!.getImageData(0, 0, width, height).data : new Uint8ClampedArray(0);
    let opaque = 0;
    let hash = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0) opaque++;
      if (colours.size < 1000) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      hash = (Math.imul(hash, 31) + data[i] + data[i + 1] * 7 + data[i + 2] * 13) | 0;
    }
    return { width, height, opaque, colours: colours.size, hash };
  });
}

function waitForResult(page: Page): Promise<void> {
  return waitForDrawn(page, 'cam-heatmap', POLL.timeout);
}

type PanelMious = Record<keyof StageMasks, string>;

/**
 * The per-image mIoU of each mask as npm run eval computes it (Node, tfjs
 * wasm, src/models/pipeline imageMasks and src/core/masks maskMiou), with
 * predicted and with ground-truth labels, at the one decimal the panels show.
 */
async function evalMious(model: string, sample: string): Promise<{ predicted: PanelMious; groundTruth: PanelMious }> {
  await useNodeWasmBackend();
  const pipeline = await loadPipeline(modelSetFromDir(fileURLToPath(new URL(`../models/${model}`, import.meta.url))));
  try {
    const image = await decodeImage(readFileSync(new URL(`../public/samples/${sample}.jpg`, import.meta.url)));
    const truth = decodeLabelPng(readFileSync(new URL(`../public/samples/${sample}.png`, import.meta.url))).labels;
    const { meta } = pipeline;
    const result = await pipeline.run(image);
    const truthClasses = [...new Set(truth)].filter((c) => c !== 0 && c !== 255);
    const keepSets = [keptClasses(result.classScores, result.classEvidence.threshold), channelsOfClasses(meta, truthClasses)];
    const [predicted, groundTruth] = imageMasks(result, meta, keepSets, { ...meta.defaults, order: 'psa' }).map(
      (masks) => Object.fromEntries(Object.entries(masks).map(([stage, mask]) => [stage, `${(100 * maskMiou(mask, truth)).toFixed(1)}%`])) as PanelMious,
    );
    return { predicted, groundTruth };
  } finally {
    pipeline.dispose();
  }
}

/** The mIoU each compare panel shows once the walk panel is at step t. */
function shownMious(page: Page, t: number): Promise<PanelMious | null> {
  return page.evaluate((step) => {
    const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
    if (document.querySelector('[data-testid="panel-rw"]')?.getAttribute('data-t') !== String(step)) return null;
    return { cam: text('panel-cam-miou'), rw: text('panel-rw-miou'), final: text('panel-final-miou') };
  }, t);
}

describe('interactive lab', () => {
  it('runs CAM, affinity and walk views on an uploaded image, and t changes the revised mask', async () => {
    const page = await openLab(SYNTHETIC);
    await expect.poll(() => page.getByTestId('untrained-warning').isVisible(), POLL).toBe(true);
    await page.getByTestId('upload-input').setInputFiles(fileURLToPath(new URL('../public/samples/chelsea.jpg', import.meta.url)));
    await waitForResult(page);
    const heat = await canvasStats(page, 'cam-heatmap');
    expect(heat.colours).toBeGreaterThan(10);
    await saveScreenshot(page, 'lab-cam-1280');

    // The background map follows the alpha slider live.
    await page.getByTestId('class-chip-background').click();
    await expect.poll(async () => (await canvasStats(page, 'cam-heatmap')).hash, POLL).not.toBe(heat.hash);
    const background = await canvasStats(page, 'cam-heatmap');
    const alpha = page.getByTestId('alpha-slider');
    await alpha.focus();
    for (let i = 0; i < 8; i++) await alpha.press('ArrowLeft');
    await expect.poll(async () => (await canvasStats(page, 'cam-heatmap')).hash, POLL).not.toBe(background.hash);
    await saveScreenshot(page, 'lab-cam-background-1280');

    await page.getByTestId('tab-affinity').click();
    await waitForDrawn(page, 'affinity-boundary', POLL.timeout);
    const stage = page.getByTestId('affinity-neighbours').locator('..');
    const box = (await stage.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.5);
    await waitForDrawn(page, 'affinity-transition', POLL.timeout);
    // Arrow keys move the probe one cell.
    const probeText = () => page.getByTestId('probe-cell').textContent();
    const [x, y] = (await probeText())!.match(/\d+/g)!.map(Number);
    await stage.press('ArrowRight');
    await expect.poll(probeText, POLL).toBe(`(${x + 1}, ${y})`);
    await saveScreenshot(page, 'lab-affinity-1280');
    await page.getByTestId('layer-graph').check();
    await waitForDrawn(page, 'affinity-graph', POLL.timeout);
    await saveScreenshot(page, 'lab-affinity-graph-1280');

    await page.getByTestId('tab-compare').click();
    await scrubTo(page, 'End', 256, POLL.timeout);
    const late = await canvasStats(page, 'panel-rw');
    await scrubTo(page, 'Home', 0, POLL.timeout);
    const early = await canvasStats(page, 'panel-rw');
    expect(early.hash).not.toBe(late.hash);
    for (const id of ['panel-cam', 'panel-rw', 'panel-final']) {
      const panel = await canvasStats(page, id);
      expect(panel.width, id).toBeGreaterThan(100);
      expect(panel.colours, id).toBeGreaterThan(10);
    }
    await scrubTo(page, 'End', 256, POLL.timeout);
    await saveScreenshot(page, 'lab-compare-1280');
  });

  it('shows mIoU per panel and against t for a sample with ground truth', async () => {
    const page = await openLab(SYNTHETIC, { viewport: { width: 1920, height: 1080 } });
    await expect.poll(() => page.getByTestId('model-select').inputValue(), POLL).toBe('synthetic-untrained');
    await page.getByTestId('sample-val-cat-car').click();
    await waitForResult(page);
    // psa's label generation takes the present classes from the ground truth: cat and car here.
    await page.getByTestId('labels-ground-truth').check();
    for (const name of ['cat', 'car']) {
      await expect.poll(() => page.getByTestId(`class-chip-${name}`).getAttribute('class'), POLL).toBe('chip');
    }
    await saveScreenshot(page, 'lab-cam-1920');
    await page.getByTestId('tab-compare').click();
    for (const id of ['panel-cam-miou', 'panel-rw-miou', 'panel-final-miou']) {
      await expect.poll(() => page.getByTestId(id).textContent(), POLL).toMatch(/^\d+\.\d%$/);
    }
    await expect.poll(() => page.getByTestId('miou-plot').isVisible(), POLL).toBe(true);
    await scrubTo(page, 'End', 256, POLL.timeout);
    await saveScreenshot(page, 'lab-compare-1920');
    await page.getByTestId('compare-swipe').check();
    await saveScreenshot(page, 'lab-compare-swipe-1920');
  });

  it('plays the walk and exports masks as VOC-indexed PNGs and scores as .npy', async () => {
    const page = await openLab(SYNTHETIC);
    await page.getByTestId('sample-val-cow-cat').click();
    await waitForResult(page);
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('log-scale').check();
    await page.getByTestId('play-button').click();
    // t starts at the last step, so wait for Play to run from 0 and stop there, not for t alone.
    await expect.poll(() => page.getByTestId('play-button').getAttribute('aria-pressed'), POLL).toBe('false');
    await expect.poll(() => page.getByTestId('t-value').textContent(), POLL).toBe('256');
    await expect.poll(() => page.getByTestId('panel-rw').getAttribute('data-t'), POLL).toBe('256');

    const download = async (kind: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${kind}`).click()]);
      const path = await file.path();
      return { name: file.suggestedFilename(), bytes: new Uint8Array(readFileSync(path)) };
    };
    const mask = await download('mask-rw');
    expect(mask.name).toBe('Cow_and_cat_rw_t256.png');
    const labels = decodeLabelPng(mask.bytes);
    expect([labels.width, labels.height]).toEqual([512, 512]);
    const allowed = new Set([0, 1, 3, 4, 6, 7, 8, 10, 12, 13, 15, 19, 20]); // background and the stand-in's classes
    expect([...new Set(labels.labels)].every((c) => allowed.has(c))).toBe(true);
    const scores = await download('scores-rw');
    const npy = parseNpy(scores.bytes);
    expect(npy.dtype).toBe('<f4');
    expect(npy.shape.slice(1)).toEqual([32, 32]);
  });

  it('explains bad input and stays usable', async () => {
    const page = await openLab(SYNTHETIC);
    await page.getByTestId('upload-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
    await expect.poll(() => page.getByTestId('image-error').textContent(), POLL).toContain('not an image');
    await page.getByTestId('upload-input').setInputFiles({ name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0, 1, 2]) });
    await expect.poll(() => page.getByTestId('image-error').textContent(), POLL).toContain('could not be decoded');
    await saveScreenshot(page, 'lab-bad-input');
    await page.getByTestId('sample-coffee').click();
    await waitForResult(page);
    await expect.poll(() => page.getByTestId('image-error').count(), POLL).toBe(0);
  });

  it('takes images by drag and drop and by paste, with EXIF orientation applied', async () => {
    const page = await openLab(SYNTHETIC);
    // 96x48 pixels stored, EXIF orientation 6: shown rotated, 48x96.
    const base64 = readFileSync(new URL('./fixtures/exif_orientation_6.jpg', import.meta.url)).toString('base64');
    const transfer = (name: string) =>
      page.evaluateHandle(
        ([b64, fileName]) => {
          const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          const dt = new DataTransfer();
          dt.items.add(new File([bytes], fileName, { type: 'image/jpeg' }));
          return dt;
        },
        [base64, name],
      );
    await page.getByTestId('upload-input').locator('..').dispatchEvent('drop', { dataTransfer: await transfer('dropped.jpg') });
    await expect.poll(() => page.getByTestId('image-name').textContent(), POLL).toContain('dropped.jpg · 48×96');
    const pasted = await transfer('pasted.jpg');
    await page.evaluate((dt) => window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt })), pasted);
    await expect.poll(() => page.getByTestId('image-name').textContent(), POLL).toContain('pasted.jpg · 48×96');
    await waitForResult(page);

    // A photo larger than the display limit is shown downscaled (still sharp), and analysed.
    const large = await page.evaluateHandle(async () => {
      const canvas = new OffscreenCanvas(6000, 3000);
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#4a7';
      ctx.fillRect(0, 0, 6000, 3000);
      ctx.fillStyle = '#c33';
      ctx.fillRect(2000, 1000, 2000, 1200);
      const dt = new DataTransfer();
      dt.items.add(new File([await canvas.convertToBlob({ type: 'image/jpeg' })], 'large.jpg', { type: 'image/jpeg' }));
      return dt;
    });
    await page.getByTestId('upload-input').locator('..').dispatchEvent('drop', { dataTransfer: large });
    await expect.poll(() => page.getByTestId('image-name').textContent(), POLL).toContain('large.jpg · 4096×2048');
    await waitForResult(page);
  });

  it('runs the real tfjs pipeline on WebGPU (SwiftShader) end to end', async () => {
    // Random weights: this checks the networks run and feed every view, not what they predict.
    const page = await openLab(`?model=${E2E_MODEL_SET}&backend=webgpu&test-hooks`, {
      webgpu: true,
      // Hold the backbone's weights back a little so the byte progress is on screen long enough to check.
      prepare: (p) =>
        p.route('**/centernet.bin', async (route) => {
          await new Promise((resolve) => setTimeout(resolve, 1500));
          await route.continue();
        }),
    });
    await expect.poll(() => page.getByTestId('load-progress').textContent(), POLL).toMatch(/Loading weights: .* of \d+\.\d MiB/);
    await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), POLL).toBe('webgpu');
    await expect.poll(() => page.getByTestId('untrained-warning').isVisible(), POLL).toBe(true);
    await page.getByTestId('upload-input').setInputFiles(fileURLToPath(new URL('./fixtures/exif_orientation_6.jpg', import.meta.url)));
    await waitForResult(page);
    await expect.poll(() => page.getByTestId('stages').textContent(), POLL).toMatch(/segmentation\s*\d+/);
    // The walk starts from the CAMs the networks left on the device: its input equals the core's from the CAMs the page shows.
    const walk = await walkSnapshot(page, [0], POLL.timeout);
    expect(walk.walkOn).toBe('gpu');
    expect(maxAbsDiff(walk.walked[0].data, walkInput(toMaps(walk.cams), walk.keep, walk, walk.alpha).data)).toBeLessThan(1e-5);
    await saveScreenshot(page, 'lab-webgpu-cam');
    await page.getByTestId('tab-affinity').click();
    await waitForDrawn(page, 'affinity-boundary', POLL.timeout);
    await saveScreenshot(page, 'lab-webgpu-affinity');
    await page.getByTestId('tab-compare').click();
    await scrubTo(page, 'End', 256, POLL.timeout);
    for (const id of ['panel-cam', 'panel-rw', 'panel-final']) expect((await canvasStats(page, id)).opaque, id).toBeGreaterThan(0);
    await saveScreenshot(page, 'lab-webgpu-compare');
  });

  it('runs the trained default model set on a ground-truth sample and shows the mIoU npm run eval computes for it', async () => {
    // On wasm, as the evaluation runs in Node: the same backend's arithmetic on both sides.
    const expected = await evalMious('default', 'val-cow-cat');
    const page = await openLab('?backend=wasm');
    await expect.poll(() => page.getByTestId('model-select').inputValue(), POLL).toBe('default');
    await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), POLL).toBe('wasm');
    await page.getByTestId('sample-val-cow-cat').click();
    await waitForResult(page);
    await saveScreenshot(page, 'lab-trained-cam');
    await page.getByTestId('tab-affinity').click();
    await waitForDrawn(page, 'affinity-boundary', POLL.timeout);
    await saveScreenshot(page, 'lab-trained-affinity');
    await page.getByTestId('tab-compare').click();
    await scrubTo(page, 'End', 256, POLL.timeout);
    // The walk panel at the last step, t = meta.json's steps, which the evaluation walks.
    await expect.poll(() => shownMious(page, 256), POLL).toEqual(expected.predicted);
    await expect.poll(() => page.getByTestId('miou-plot').isVisible(), POLL).toBe(true);
    await saveScreenshot(page, 'lab-trained-compare');

    // psa's labels, the ground truth's classes (cow and cat; the CAM head predicts cow alone here).
    expect(expected.groundTruth).not.toEqual(expected.predicted);
    await page.getByTestId('tab-cam').click();
    await page.getByTestId('labels-ground-truth').check();
    await page.getByTestId('tab-compare').click();
    await expect.poll(() => shownMious(page, 256), POLL).toEqual(expected.groundTruth);
  });

  it('lets the detector name the class of a real photograph and says so', async () => {
    const page = await openLab('');
    await expect.poll(() => page.getByTestId('model-select').inputValue(), POLL).toBe('default');
    await page.getByTestId('sample-dog-daisy').click();
    await waitForResult(page);
    await expect.poll(() => page.getByTestId('class-evidence').textContent(), POLL).toMatch(/COCO object detector .* was sure of this image/);
    // The kept class's chip is plain "chip"; the others shown for context are "chip chip-absent".
    await expect.poll(() => page.getByTestId('class-chip-dog').getAttribute('class'), POLL).toBe('chip');
    // The detector's one dog box is drawn over the CAM, inside the picture, and named below it.
    await expect.poll(() => page.getByTestId('stage-box').count(), POLL).toBe(1);
    const stage = await page.getByTestId('view-cam').locator('.stage').boundingBox();
    const drawn = await page.getByTestId('stage-box').boundingBox();
    expect(drawn!.width * drawn!.height).toBeGreaterThan(0.1 * stage!.width * stage!.height);
    expect(drawn!.x + drawn!.width).toBeLessThanOrEqual(stage!.x + stage!.width + 1);
    expect(await page.getByTestId('box-caption').textContent()).toMatch(/detector’s box of dog/);
    // The classes export says the same, the box in pixels of the 512x340 sample.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-classes').click()]);
    expect(download.suggestedFilename()).toMatch(/_classes\.json$/);
    const report = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(report).toMatchObject({ source: 'detector', labels: 'predicted', belowThreshold: false, beta: 32 });
    expect(report.kept.map((k: { name: string }) => k.name)).toEqual(['dog']);
    expect(report.boxes).toHaveLength(1);
    const [x0, y0, x1, y1] = report.boxes[0].box;
    expect(x0 >= 0 && y0 >= 0 && x1 <= 512 && y1 <= 340 && (x1 - x0) * (y1 - y0) > 0.1 * 512 * 340).toBe(true);
    await page.getByTestId('sample-val-cow-cat').click();
    await waitForResult(page);
    await expect.poll(() => page.getByTestId('class-evidence').textContent(), POLL).toMatch(/come from the CAM head, .* the COCO detector saw no class it was sure of/);
    expect(await page.getByTestId('stage-box').count()).toBe(0);
  });
});
