import type { Page } from 'playwright-core';

/** Waits on the lab's UI; shared by the browser tests and scripts/screenshots.ts. */

/** Waits until the canvas `testId` has drawn at least one non-transparent pixel. */
export async function waitForDrawn(page: Page, testId: string, timeout: number): Promise<void> {
  await page.waitForFunction(
    (id) => {
      const canvas = document.querySelector(`[data-testid="${id}"]`) as HTMLCanvasElement | null;
      if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
      return false;
    },
    testId,
    { timeout },
  );
}

/** Moves the t slider with the keyboard (Home/End) and waits until panel-rw shows that step. */
export async function scrubTo(page: Page, key: 'Home' | 'End', t: number, timeout: number): Promise<void> {
  const slider = page.getByTestId('t-slider');
  await slider.focus();
  await slider.press(key);
  await page.waitForFunction(
    (step) => document.querySelector('[data-testid="panel-rw"]')?.getAttribute('data-t') === step,
    String(t),
    { timeout },
  );
}

/**
 * Clicks sample `id` and waits until its walk has finished. Its `name` shows in
 * the render that starts its analysis: until then the earlier image's finished
 * walk is still on screen.
 */
export async function openSample(page: Page, id: string, name: string, timeout: number): Promise<void> {
  await page.getByTestId(`sample-${id}`).click();
  await page.waitForFunction((text) => document.querySelector('[data-testid="image-name"]')?.textContent?.includes(text) ?? false, name, { timeout });
  await page.waitForFunction(() => document.querySelector('[data-testid="walk-progress"]')?.getAttribute('class') === 'stage-done', undefined, { timeout });
}
