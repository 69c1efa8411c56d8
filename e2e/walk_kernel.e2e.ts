import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWalkKernelPage, type WalkKernelPage } from './walk_kernel_page';

let page: WalkKernelPage;
beforeAll(async () => {
  page = await openWalkKernelPage();
});
afterAll(() => page?.close());

describe('the WGSL random walk and transition (Chromium, WebGPU on SwiftShader)', () => {
  it('equals the typed-array core within 1e-5 at every compared step', async () => {
    // 6 channels: one full vec4 and one with padding lanes; 11 x 9 cuts through both the 8 x 8 tiles and the radius-5 disc.
    const result = await page.check({ height: 11, width: 9, channels: 6, dims: 8, radius: 5, beta: 8, steps: 32, table: 'cpu' });
    expect(result.compared).toEqual([0, 1, 2, 16, 32]);
    expect(result.maxAbsDiff).toBeLessThan(1e-5);
  });

  it("builds the core's affinities and tap table within 1e-5, and a walk from it equals the core's walk within 1e-5", async () => {
    // 9 x 11: the other way round from the walk's test; beta 16 as the sets walk.
    const result = await page.check({ height: 9, width: 11, channels: 6, dims: 8, radius: 5, beta: 16, steps: 32, table: 'gpu' });
    expect(result.affinitiesMaxAbsDiff).toBeLessThan(1e-5);
    expect(result.tableMaxAbsDiff).toBeLessThan(1e-5);
    expect(result.compared).toEqual([0, 1, 2, 16, 32]);
    expect(result.maxAbsDiff).toBeLessThan(1e-5);
  });
});
