import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { launchChromium } from './browser';
import type { KernelCheck, KernelCheckSpec } from './walk_kernel/protocol';

/**
 * Serves e2e/walk_kernel/ with Vite's dev server (no build needed) and opens
 * it in Chromium with WebGPU (SwiftShader here), for the kernel's browser
 * test and the benchmark.
 */
export interface WalkKernelPage {
  check(spec: KernelCheckSpec): Promise<KernelCheck>;
  close(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export async function openWalkKernelPage(): Promise<WalkKernelPage> {
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.close();
  };
  try {
    // The page imports no packages, so there is nothing to pre-bundle.
    server = await createServer({ configFile: false, root: ROOT, logLevel: 'warn', optimizeDeps: { noDiscovery: true }, server: { host: '127.0.0.1', port: 4330 } });
    await server.listen();
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite did not report a URL');
    browser = await launchChromium({ webgpu: true });
    const page = await browser.newPage();
    await page.goto(`${url}e2e/walk_kernel/index.html`);
    await page.waitForFunction(() => 'walkKernelCheck' in window);
    return { check: (spec) => page.evaluate((s) => window.walkKernelCheck(s), spec), close };
  } catch (e) {
    await close();
    throw e;
  }
}
