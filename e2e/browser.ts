import { mkdir } from 'node:fs/promises';
import { Browser, chromium, Page } from 'playwright-core';
import { inject } from 'vitest';

/** Debian's Chromium; Playwright's own browser download is not reachable here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BASE_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** `webgpu: true` exposes WebGPU on SwiftShader; false leaves the page to fall back. */
export function launchChromium({ webgpu }: { webgpu: boolean }): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: webgpu ? [...BASE_ARGS, '--enable-unsafe-webgpu'] : [...BASE_ARGS, '--disable-features=WebGPU,Vulkan'],
  });
}

export function baseUrl(): string {
  return inject('baseUrl');
}

export const ARTIFACTS_DIR = 'test-results/e2e';

/** Keeps a screenshot of what the page showed, for people to look at after the run. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS_DIR}/${name}.png`, fullPage: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
