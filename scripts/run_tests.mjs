// Runs every test (type check and import lint, then unit + e2e in one Vitest run) and ends
// with one plain summary line, "tests: N passed, N failed, N skipped", that CI reads.
import { spawnSync } from 'node:child_process';
import { runVitest, summaryLine } from './test_summary.mjs';

/** One package.json script, counted as one test. */
function check(name, script) {
  const run = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit' });
  console.log(`${name}: ${run.status === 0 ? 'passed' : 'FAILED'}`);
  return run.status === 0;
}

// The type check is part of "all tests": Vitest strips types without checking them.
// `npm run typecheck` checks the whole project, then src/core without the DOM library.
const checks = [check('typecheck', 'typecheck'), check('lint', 'lint')]; // lint: import layers (.dependency-cruiser.cjs)

const run = runVitest(process.argv.slice(2));
for (const ok of checks) {
  if (ok) run.passed++;
  else run.failed++;
}
console.log(summaryLine(run));
process.exit(run.status === 0 && run.failed === 0 ? 0 : 1);
