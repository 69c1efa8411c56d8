// Vitest reporter that counts a run for the summary line and writes the counts, as JSON,
// to the file named by $TEST_SUMMARY_FILE. Vitest's own counts miss failures that are not
// a failed test: a hook or file error, an unhandled error, a globalSetup that threw.
import { writeFileSync } from 'node:fs';

/**
 * Counts every failure once: each failed test, each test a failure stopped from running,
 * each file or suite that failed by itself, each unhandled error.
 * `started` holds the ids of the tests Vitest got to (onTestCaseReady).
 */
function countRun(testModules, unhandledErrors, reason, started) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const module of testModules) {
    // A file that failed to load, or a beforeAll/afterAll error, sits on the file or suite.
    for (const entity of [module, ...module.children.allSuites()]) {
      if (entity.errors().length > 0) counts.failed++;
    }
    for (const test of module.children.allTests()) counts[testOutcome(test, started)]++;
  }
  counts.failed += unhandledErrors.length;
  // A run can fail with nothing to count: a globalSetup that threw before any file ran.
  if (reason !== 'passed' && counts.failed === 0) counts.failed = 1;
  return counts;
}

function testOutcome(test, started) {
  const { state } = test.result();
  if (state === 'passed') return 'passed';
  if (state === 'skipped') {
    // skip/todo/-t/.only set the mode at collection, and ctx.skip() happens once the test
    // started; a test meant to run that never started was stopped by a failed beforeAll.
    const onPurpose = test.options.mode === 'skip' || test.options.mode === 'todo';
    return onPurpose || started.has(test.id) ? 'skipped' : 'failed';
  }
  return 'failed'; // failed, or still pending when the run ended
}

export default class TestSummaryReporter {
  started = new Set();

  onTestCaseReady(test) {
    this.started.add(test.id);
  }

  onTestRunEnd(testModules, unhandledErrors, reason) {
    const counts = countRun(testModules, unhandledErrors, reason, this.started);
    writeFileSync(process.env.TEST_SUMMARY_FILE, JSON.stringify(counts));
  }
}
