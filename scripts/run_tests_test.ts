import { expect, test } from 'vitest';
import { runVitest, summaryLine } from './test_summary.mjs';

// Small deliberately failing suites, one per way a run can fail; `filter` picks one file.
const FIXTURES = 'scripts/fixtures/runner';
const CONFIG = `${FIXTURES}/vitest.config.ts`;

test.each([
  // 2 pass, 1 test.skip
  { name: 'all passing', config: CONFIG, filter: 'passing', expected: { status: 0, passed: 2, failed: 0, skipped: 1 } },
  // 1 passes outside the suite; its 2 tests that never ran + the beforeAll itself; 1 test.skip
  { name: 'beforeAll error', config: CONFIG, filter: 'before_all', expected: { status: 1, passed: 1, failed: 3, skipped: 1 } },
  // the error fails each of the 2 tests
  { name: 'beforeEach error', config: CONFIG, filter: 'before_each', expected: { status: 1, passed: 0, failed: 2, skipped: 0 } },
  // 2 pass, then the afterAll fails
  { name: 'afterAll error', config: CONFIG, filter: 'after_all', expected: { status: 1, passed: 2, failed: 1, skipped: 0 } },
  // the test passes; the rejection it left behind fails
  { name: 'unhandled rejection', config: CONFIG, filter: 'unhandled_rejection', expected: { status: 1, passed: 1, failed: 1, skipped: 0 } },
  { name: 'file failing to load', config: CONFIG, filter: 'import_error', expected: { status: 1, passed: 0, failed: 1, skipped: 0 } },
  // no test runs at all: the set-up is the one failure
  {
    name: 'globalSetup failure',
    config: `${FIXTURES}/global_setup.config.ts`,
    filter: 'passing',
    expected: { status: 1, passed: 0, failed: 1, skipped: 0 },
  },
])('counts a run with $name', ({ config, filter, expected }) => {
  const { output, ...run } = runVitest(['--config', config, filter], { stdio: 'pipe' });
  expect(run, output).toEqual(expected);
});

test('summaryLine is the line CI reads', () => {
  expect(summaryLine({ passed: 3, failed: 1, skipped: 2 })).toBe('tests: 3 passed, 1 failed, 2 skipped');
});
