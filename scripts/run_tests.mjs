// Runs every test (type check, then unit + e2e in one Vitest run) and ends with one plain
// summary line, "tests: N passed, N failed, N skipped", that CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const REPORT = 'test-results/vitest.json';
mkdirSync('test-results', { recursive: true });
rmSync(REPORT, { force: true });

// The type check is part of "all tests": Vitest strips types without checking them.
const typecheck = spawnSync('npx', ['tsc', '--noEmit'], { stdio: 'inherit' });
console.log(`typecheck: ${typecheck.status === 0 ? 'passed' : 'FAILED'}`);

const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${REPORT}`, ...process.argv.slice(2)];
const { status } = spawnSync('npx', args, { stdio: 'inherit' });

let passed = 0, failed = 0, skipped = 0;
if (existsSync(REPORT)) {
  const report = JSON.parse(readFileSync(REPORT, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  skipped = report.numPendingTests + report.numTodoTests;
  // A file that fails to load has no tests to count; count it as a failure.
  failed += report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
} else {
  failed = 1;
}
if (typecheck.status === 0) passed++;
else failed++;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status === 0 && failed === 0 ? 0 : 1);
