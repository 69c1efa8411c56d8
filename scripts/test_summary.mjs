// Runs Vitest and counts the run for the summary line, apart from the type check so the
// counting can be tested on small fixture suites (scripts/run_tests_test.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Absolute, because Vitest resolves a reporter path against the config's root.
const REPORTER = fileURLToPath(new URL('./test_summary_reporter.mjs', import.meta.url));

/** `vitest run` with the given CLI arguments; returns its exit status and the counts. */
export function runVitest(args, { stdio = 'inherit' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'test-summary-'));
  const file = join(dir, 'counts.json');
  try {
    const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', `--reporter=${REPORTER}`, ...args], {
      stdio,
      encoding: 'utf8',
      env: { ...process.env, TEST_SUMMARY_FILE: file },
    });
    const counts = readCounts(file);
    // Vitest can exit non-zero for a failure the reporter never saw (a config that does not load).
    if (run.status !== 0 && counts.failed === 0) counts.failed = 1;
    return { status: run.status, ...counts, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readCounts(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { passed: 0, failed: 1, skipped: 0 }; // no report: the run did not finish
  }
}

export function summaryLine({ passed, failed, skipped }) {
  return `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
}
