import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launchChromium, saveScreenshot } from './browser';
import { E2E_MODEL_SET } from './global_setup';
import { waitForDrawn } from './lab_page';
import { loseGpuDevice } from './test_hooks';

/**
 * The automatic backend on this machine (no GPU: WebGPU and WebGL are both
 * SwiftShader) must be wasm, with the reason on the badge, and URL options
 * the app cannot follow must be said on screen.
 */
const POLL = { timeout: 120_000, interval: 250 };

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

async function open(query: string, webgpu = false): Promise<Page> {
  browser = await launchChromium({ webgpu });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(baseUrl() + query);
  return page;
}

const badge = (page: Page) => page.getByTestId('backend-badge');

describe('automatic backend choice', () => {
  it('takes wasm over a SwiftShader WebGL and says why', async () => {
    const page = await open('');
    await expect.poll(() => badge(page).getAttribute('data-backend'), POLL).toBe('wasm');
    expect(await badge(page).textContent()).toMatch(/^backend: wasm — no WebGPU \(.+\); WebGL renderer is SwiftShader$/);
    await saveScreenshot(page, 'backend-auto');
  });

  it('takes wasm over a SwiftShader WebGPU adapter too', async () => {
    const page = await open('', true);
    await expect.poll(() => badge(page).getAttribute('data-backend'), POLL).toBe('wasm');
    expect(await badge(page).textContent()).toBe('backend: wasm — WebGPU adapter is software (SwiftShader); WebGL renderer is SwiftShader');
  });

  it('still runs on WebGPU when ?backend=webgpu forces it', async () => {
    const page = await open('?backend=webgpu', true);
    await expect.poll(() => badge(page).getAttribute('data-backend'), POLL).toBe('webgpu');
    expect(await badge(page).textContent()).toBe('backend: webgpu — asked for with ?backend=webgpu');
  });

  it('falls back from a forced WebGPU the browser lacks, and shows it on the badge', async () => {
    const page = await open('?backend=webgpu');
    await expect.poll(() => badge(page).getAttribute('data-backend'), POLL).toBe('wasm');
    expect(await badge(page).textContent()).toBe('backend: wasm — asked for with ?backend=webgpu · fell back from webgpu');
    expect(await badge(page).getAttribute('title')).toMatch(/^webgpu failed: /);
  });

  it('says so when ?backend= or ?model= names nothing it knows', async () => {
    const page = await open('?backend=foo&model=nope');
    await expect.poll(() => page.getByTestId('backend-notice').textContent(), POLL).toBe(
      '?backend=foo is not a backend; use one of webgpu, webgl, wasm, cpu. The backend was chosen automatically.',
    );
    await expect.poll(() => badge(page).getAttribute('data-backend'), POLL).toBe('wasm');
    await expect.poll(() => page.getByTestId('model-notice').textContent(), POLL).toMatch(/^\?model=nope cannot be opened: .* Showing "default" instead\.$/);
    await expect.poll(() => page.getByTestId('model-select').inputValue(), POLL).toBe('default');
    await saveScreenshot(page, 'backend-url-notices');
  });
});

describe('a lost WebGPU device', () => {
  it('restarts the app on another backend, says so, and the app runs again', async () => {
    const page = await open(`?backend=webgpu&model=${E2E_MODEL_SET}&test-hooks`, true);
    await expect.poll(() => badge(page).getAttribute('data-backend'), POLL).toBe('webgpu');
    await page.getByTestId('sample-chelsea').click();
    await waitForDrawn(page, 'cam-heatmap', POLL.timeout);
    await expect.poll(() => page.getByTestId('walk-progress').getAttribute('class'), POLL).toBe('stage-done');

    // The device lives in the pipeline worker, where a test cannot reach it but through the hook.
    expect(await loseGpuDevice(page)).toBe(true);
    await expect.poll(() => badge(page).getAttribute('data-backend'), POLL).toBe('wasm');
    await expect.poll(() => page.getByTestId('backend-lost-notice').textContent(), POLL).toMatch(
      /^The WebGPU device was lost \(Device was destroyed\)\. The app restarted on wasm and loaded the model set again\.$/,
    );
    // The model set reloads on wasm and analyses the image again; another image works too.
    await expect.poll(() => page.getByTestId('walk-progress').getAttribute('class'), POLL).toBe('stage-done');
    await page.getByTestId('sample-coffee').click();
    await expect.poll(() => page.getByTestId('image-name').textContent(), POLL).toMatch(/^Coffee/);
    await waitForDrawn(page, 'cam-heatmap', POLL.timeout);
    await expect.poll(() => page.getByTestId('walk-progress').getAttribute('class'), POLL).toBe('stage-done');
    expect(await page.getByRole('alert').filter({ hasText: 'failed' }).count()).toBe(0);
    await saveScreenshot(page, 'backend-webgpu-device-lost');
  }, 300_000);
});

/** Milliseconds from opening the page to the walk having finished on the first photo. */
async function firstResultMillis(query: string): Promise<{ backend: string | null; millis: number }> {
  const start = Date.now();
  const page = await open(query);
  await expect.poll(() => page.getByTestId('model-select').inputValue(), POLL).toBe('default');
  await page.getByTestId('sample-dog-daisy').click();
  await expect.poll(() => page.getByTestId('walk-progress').getAttribute('class'), POLL).toBe('stage-done');
  const millis = Date.now() - start;
  const backend = await badge(page).getAttribute('data-backend');
  await browser?.close();
  browser = undefined;
  return { backend, millis };
}

describe('first result', () => {
  it('comes as fast on the automatic backend as on ?backend=wasm (within 1.5x)', async () => {
    const wasm = await firstResultMillis('?backend=wasm');
    const auto = await firstResultMillis('');
    console.log(`first result: automatic ${auto.millis} ms (${auto.backend}), ?backend=wasm ${wasm.millis} ms`);
    expect(auto.backend).toBe('wasm');
    expect(auto.millis).toBeLessThan(1.5 * wasm.millis);
  });
});
