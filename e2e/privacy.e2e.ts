import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CONTENT_SECURITY_POLICY } from '../build/content_security_policy';
import { baseUrl, launchChromium, saveScreenshot } from './browser';
import { E2E_MODEL_SET } from './global_setup';
import { waitForDrawn } from './lab_page';

/** Nothing leaves the app's origin, and its Content-Security-Policy keeps it so without breaking wasm or WebGPU. */
const POLL = { timeout: 240_000, interval: 250 };

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

interface Recorded {
  page: Page;
  /** Every request the page made, in order. */
  requests: string[];
  /** Policy violations the page reported (securitypolicyviolation events). */
  violations: () => Promise<string[]>;
}

async function open(query: string, webgpu: boolean): Promise<Recorded> {
  browser = await launchChromium({ webgpu });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { cspViolations: seen });
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  await page.goto(baseUrl() + query);
  return { page, requests, violations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations) };
}

/** Requests to the app's own origin, or to URLs the page made itself (no network). */
const ownOrigin = (url: string) => url.startsWith(`${baseUrl()}/`) || url.startsWith('blob:') || url.startsWith('data:');

describe('privacy and security', () => {
  it('serves its Content-Security-Policy in the built page, before any script, with no remote source in it', async () => {
    const { page } = await open('?model=synthetic-untrained&backend=cpu', false);
    const metas = await page.locator('head > meta, head > script').evaluateAll((elements) => elements.map((e) => e.getAttribute('http-equiv') ?? e.tagName));
    expect(metas.indexOf('Content-Security-Policy')).toBeLessThan(metas.indexOf('SCRIPT'));
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|'unsafe-eval'|'unsafe-inline'/);
  });

  it.each([
    ['wasm', 'default', false],
    ['webgpu', E2E_MODEL_SET, true],
  ])('loads and analyses an image on %s with every request same-origin and no policy violation', async (backend, model, webgpu) => {
    const { page, requests, violations } = await open(`?backend=${backend}&model=${model}`, webgpu);
    await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), POLL).toBe(backend);
    await page.getByTestId('sample-chelsea').click();
    await waitForDrawn(page, 'cam-heatmap', POLL.timeout);
    await expect.poll(() => page.getByTestId('walk-progress').getAttribute('class'), POLL).toBe('stage-done');
    await saveScreenshot(page, `privacy-${backend}`);
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((url) => !ownOrigin(url))).toEqual([]);
    expect(await violations()).toEqual([]);
  }, 300_000);

  it('blocks a remote script and a remote fetch', async () => {
    const { page, requests, violations } = await open('?model=synthetic-untrained&backend=cpu', false);
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`));
    await expect.poll(() => page.getByTestId('model-select').inputValue(), POLL).toBe('synthetic-untrained');
    const fetched = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.src = 'https://example.com/tracker.js';
      document.head.append(script);
      try {
        await fetch('https://example.com/collect');
        return 'sent';
      } catch {
        return 'blocked';
      }
    });
    expect(fetched).toBe('blocked');
    await expect.poll(violations, POLL).toEqual(expect.arrayContaining(['script-src-elem https://example.com/tracker.js', 'connect-src https://example.com/collect']));
    // The browser stops both before they reach the network: the fetch is never sent, the script fails with "csp".
    const remote = requests.filter((url) => url.includes('example.com'));
    expect(remote.every((url) => failed.includes(`${url} csp`))).toBe(true);
  });
});
