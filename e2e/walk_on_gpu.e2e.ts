import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { walkInput } from '../src/core/masks';
import { buildTransition, RandomWalk } from '../src/core/random_walk';
import { SYNTHETIC_MODEL_ID } from '../src/models/synthetic_pipeline';
import { baseUrl, launchChromium, saveScreenshot } from './browser';
import { openSample, scrubTo } from './lab_page';
import { maxAbsDiff, tensorMemory, toAffinities, toMaps, walkSnapshot, type WalkSnapshot } from './test_hooks';

/**
 * The app's walk on WebGPU (in the pipeline worker, on tfjs' device;
 * SwiftShader here) against the walk worker's CPU walk and the core. The
 * synthetic stand-in is plain JavaScript, so both backends analyse an image
 * alike: the revised masks must agree at every step shown, the device's walk
 * input and steps must equal the core's, and on WebGPU the embedding must
 * never come back from the pipeline worker.
 */
const POLL = { timeout: 180_000, interval: 250 };
/** Steps read back through the test hook and held against the core. */
const COMPARED = [0, 16, 256];
/**
 * How far a float32 walk may stray from the float64 core at each compared
 * step. On this image float32 rounding grows along the walk (its regions
 * mix slowly): at t = 256 the walk worker's own float32 walk (the wasm
 * kernel) is 2.6e-5 from the core and the GPU's 4.7e-5, both 6e-6 at most at t = 16.
 */
const TOLERANCE: Record<number, number> = { 0: 1e-5, 16: 1e-5, 256: 1e-4 };

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

/**
 * Records, in the page, the key names (at any depth) of every run result the
 * pipeline worker sends: what crosses from the worker to the page.
 */
async function recordRunResults(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const keysOf = (value: unknown, into: Set<string>): Set<string> => {
      if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
        for (const [key, inner] of Object.entries(value)) keysOf(inner, into.add(key));
      }
      return into;
    };
    const recorded: string[][] = [];
    Object.assign(window, { runResultKeys: recorded });
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        this.addEventListener('message', (e: MessageEvent) => {
          const value = e.data?.type === 'done' ? e.data.value : null;
          if (value && typeof value === 'object' && 'placement' in value) recorded.push([...keysOf(value, new Set())]);
        });
      }
    };
  });
}

const runResultKeys = (page: Page) => page.evaluate(() => (window as unknown as { runResultKeys: string[][] }).runResultKeys);

async function openSynthetic(backend: 'cpu' | 'webgpu'): Promise<Page> {
  browser = await launchChromium({ webgpu: backend === 'webgpu' });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await recordRunResults(page);
  await page.goto(`${baseUrl()}?model=${SYNTHETIC_MODEL_ID}&backend=${backend}&test-hooks`);
  await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), POLL).toBe(backend);
  return page;
}

/** The revised-mask panel's pixels (the mask blended onto the image). */
function rwPixels(page: Page): Promise<number[]> {
  return page.getByTestId('panel-rw').evaluate((canvas: HTMLCanvasElement) => Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data));
}

/** The exported revised mask (a label PNG) of the step shown. */
async function exportedMask(page: Page): Promise<Uint8Array> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-mask-rw').click()]);
  return new Uint8Array(readFileSync(await file.path()));
}

interface WalkedMasks {
  site: string | null;
  last: number[];
  first: number[];
  exported: Uint8Array;
  walk: WalkSnapshot;
  runResults: string[][];
}

/** Opens a sample in the compare view: the revised mask at t = 256 (shown and exported) and t = 0, where the walk ran, the walk itself, and what the runs sent. */
async function walkedMasks(backend: 'cpu' | 'webgpu'): Promise<WalkedMasks> {
  const page = await openSynthetic(backend);
  await page.getByTestId('tab-compare').click();
  await openSample(page, 'val-cat-car', 'Cat and car', POLL.timeout);
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
  const walk = await walkSnapshot(page, COMPARED, POLL.timeout);
  const runResults = await runResultKeys(page);
  await browser!.close();
  browser = undefined;
  return { site, last, first, exported, walk, runResults };
}

const differing = (a: number[], b: number[]) => a.filter((v, i) => v !== b[i]).length;

/** Both backends' walks, taken once by the first test that needs them (expect.poll runs inside tests only). */
let both: Promise<{ cpu: WalkedMasks; gpu: WalkedMasks }> | undefined;
const walks = () => (both ??= (async () => ({ cpu: await walkedMasks('cpu'), gpu: await walkedMasks('webgpu') }))());

describe('the random walk in the app on WebGPU', () => {
  it('runs on the GPU and shows and exports the same masks as the CPU walk at t = 0 and t = 256', async () => {
    const { cpu, gpu } = await walks();
    expect(cpu.site).toBe('worker');
    expect(gpu.site).toBe('gpu');
    expect(gpu.first.length).toBe(cpu.first.length);
    // The walk changes the mask, so equal masks at t = 256 are not equal by default.
    expect(differing(cpu.first, cpu.last)).toBeGreaterThan(0);
    expect(differing(gpu.first, cpu.first)).toBe(0);
    expect(differing(gpu.last, cpu.last)).toBe(0);
    expect(gpu.exported).toEqual(cpu.exported);
  });

  it("builds the walk input on the device as the core's walkInput builds it, within 1e-5", async () => {
    const { cpu, gpu } = await walks();
    const { walk } = gpu;
    expect(walk.cams).toEqual(cpu.walk.cams);
    const input = walkInput(toMaps(walk.cams), walk.keep, walk, walk.alpha);
    expect(walk.walked[0]).toMatchObject({ channels: input.channels, height: input.height, width: input.width });
    expect(maxAbsDiff(walk.walked[0].data, input.data)).toBeLessThan(1e-5);
  });

  it("walks on the device as the core walks (within 1e-5 up to t = 16), and reads back the core's affinities", async () => {
    const { cpu, gpu } = await walks();
    const { walk } = gpu;
    // The CPU page's walk worker computed these from the embedding (core/affinity.ts); on WebGPU they came from the device.
    const affinities = toAffinities(cpu.walk.affinities);
    expect(maxAbsDiff(walk.affinities.weights, affinities.weights)).toBeLessThan(1e-5);
    const core = new RandomWalk(buildTransition(affinities, walk.beta), walkInput(toMaps(walk.cams), walk.keep, walk, walk.alpha));
    COMPARED.forEach((t, k) => {
      core.advance(t - core.step);
      expect(maxAbsDiff(walk.walked[k].data, core.current().data), `t = ${t}`).toBeLessThan(TOLERANCE[t]);
    });
  });

  it('never brings the embedding back from the pipeline worker on WebGPU', async () => {
    const { cpu, gpu } = await walks();
    expect(cpu.runResults).toHaveLength(1);
    expect(cpu.runResults[0]).toContain('embedding');
    expect(gpu.runResults).toHaveLength(1);
    expect(gpu.runResults[0]).toEqual(expect.arrayContaining(['inputsId', 'affinities']));
    expect(gpu.runResults[0]).not.toContain('embedding');
  });
});

describe('the walk inputs kept on the WebGPU device', () => {
  it("are the current analysis' embedding and CAMs only: two tensors, through new walks, a new image and model switches", async () => {
    const page = await openSynthetic('webgpu');
    await openSample(page, 'val-cat-car', 'Cat and car', POLL.timeout);
    // The stand-in has no weights: whatever tfjs holds is the walk's.
    expect((await tensorMemory(page)).numTensors).toBe(2);
    // A new alpha walks again on the same inputs.
    const { alpha } = await walkSnapshot(page, [256], POLL.timeout);
    await page.getByTestId('alpha-slider').press('ArrowLeft');
    await expect.poll(async () => (await walkSnapshot(page, [256], POLL.timeout)).alpha, POLL).toBe(alpha - 1);
    expect((await tensorMemory(page)).numTensors).toBe(2);
    await openSample(page, 'val-cow-cat', 'Cow and cat', POLL.timeout);
    expect((await tensorMemory(page)).numTensors).toBe(2);
    expect((await walkSnapshot(page, [256], POLL.timeout)).walkOn).toBe('gpu');
    // Another model set (real networks, 20 classes) and back: nothing an earlier set's run kept stays behind.
    await page.getByTestId('model-select').selectOption('scratch');
    expect((await walkSnapshot(page, [256], POLL.timeout)).cams.channels).toBe(20);
    await page.getByTestId('model-select').selectOption(SYNTHETIC_MODEL_ID);
    expect((await walkSnapshot(page, [256], POLL.timeout)).cams.channels).toBe(12);
    expect((await tensorMemory(page)).numTensors).toBe(2);
  }, 300_000);
});
