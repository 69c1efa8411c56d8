import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchChromium, saveScreenshot } from './browser';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

async function badgeText(webgpu: boolean, screenshot: string, query = ''): Promise<string> {
  browser = await launchChromium({ webgpu });
  const page = await browser.newPage();
  const external: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(baseUrl()) && !req.url().startsWith('data:') && !req.url().startsWith('blob:')) external.push(req.url());
  });
  await page.goto(baseUrl() + query);
  const badge = page.getByTestId('backend-badge');
  await expect.poll(async () => badge.getAttribute('data-backend'), { timeout: 120_000, interval: 500 }).not.toBeNull();
  await saveScreenshot(page, screenshot);
  expect(external).toEqual([]);
  return (await badge.textContent()) ?? '';
}

describe('app boot', () => {
  it('runs on WebGPU when asked to and Chromium exposes it', async () => {
    const text = await badgeText(true, 'boot-webgpu', '?backend=webgpu');
    expect(text).toContain('backend: webgpu');
  });

  it('falls back to another backend when the one asked for fails, and says which', async () => {
    const text = await badgeText(false, 'boot-fallback', '?backend=webgpu');
    expect(text).toMatch(/backend: (webgl|wasm|cpu)/);
    expect(text).toContain('fell back from webgpu');
  });

  it('starts on wasm when asked to (?backend=wasm)', async () => {
    const text = await badgeText(false, 'boot-wasm', '?backend=wasm');
    expect(text).toContain('backend: wasm');
  });
});
