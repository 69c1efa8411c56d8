import type { TestProject } from 'vitest/node';
import { serveBuiltApp } from '../build/serve_built_app';
import { FAKE_META, writeFakeModelSet } from '../src/models/testing/fake_model_set';

/**
 * A model set with small random weights, written into the build output only
 * (never into models/), so the browser tests can run the real tfjs pipeline
 * before trained weights exist. Open it with ?model=e2e-random.
 */
export const E2E_MODEL_SET = 'e2e-random';

/** Builds the app once and serves it on 127.0.0.1 for every e2e file. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const app = await serveBuiltApp({
    port: 4310,
    beforeServe: () =>
      writeFakeModelSet(`dist/models/${E2E_MODEL_SET}`, 1, { ...FAKE_META, name: 'random weights (browser tests only)' }),
  });
  project.provide('baseUrl', app.url);
  return () => app.close();
}
