import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchChromium, saveScreenshot } from './browser';

/**
 * The networks run in a worker, so the page keeps drawing while they work:
 * from an upload to the walk's last step, no gap between animation frames on
 * the page may reach 200 ms (wasm, the default set, a real photograph).
 */
const POLL = { timeout: 120_000, interval: 250 };
const MAX_FRAME_GAP_MS = 200;
/**
 * On a machine whose two cores other jobs saturate, any thread can be starved
 * for a moment; work on the page (the networks on it took 1.7 s at once)
 * stalls it on every attempt.
 */
const ATTEMPTS = { retry: 2 };

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

interface FrameProbe {
  gaps: number[];
  longTasks: number[];
  stop: () => void;
}

describe('main thread', () => {
  it(`never stalls for ${MAX_FRAME_GAP_MS} ms while the pipeline runs on wasm`, ATTEMPTS, async () => {
    browser = await launchChromium({ webgpu: false });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${baseUrl()}/?backend=wasm`);
    await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), POLL).toBe('wasm');
    await expect.poll(async () => (await page.getByTestId('model-select').inputValue()) === 'default' && (await page.getByTestId('load-progress').count()) === 0, POLL).toBe(true);

    // Every gap between requestAnimationFrame callbacks, and the page's long tasks for the report.
    await page.evaluate(() => {
      const probe: FrameProbe = { gaps: [], longTasks: [], stop: () => undefined };
      let last = performance.now();
      let running = true;
      const frame = (now: number) => {
        probe.gaps.push(now - last);
        last = now;
        if (running) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => probe.longTasks.push(Math.round(e.duration))));
      observer.observe({ type: 'longtask' });
      probe.stop = () => {
        running = false;
        observer.disconnect();
      };
      Object.assign(window, { frameProbe: probe });
    });
    await page.getByTestId('upload-input').setInputFiles(fileURLToPath(new URL('../public/samples/dog-daisy.jpg', import.meta.url)));
    await expect.poll(() => page.getByTestId('walk-progress').getAttribute('class'), POLL).toBe('stage-done');
    const { gaps, longTasks } = await page.evaluate(() => {
      const probe = (window as unknown as { frameProbe: FrameProbe }).frameProbe;
      probe.stop();
      return { gaps: probe.gaps, longTasks: probe.longTasks };
    });
    await saveScreenshot(page, 'main-thread-wasm');

    const longest = Math.max(...gaps);
    console.log(`main thread: ${gaps.length} frames, longest gap ${longest.toFixed(0)} ms; long tasks (ms): ${longTasks.join(', ') || 'none'}`);
    expect(gaps.length).toBeGreaterThan(10);
    expect(longest).toBeLessThan(MAX_FRAME_GAP_MS);
  });
});
