// Runs every test (type check, then unit + e2e in one Vitest run) and ends with one plain
// summary line, "tests: N passed, N failed, N skipped", that CI reads.
import { spawnSync } from 'node:child_process';
import { runVitest, summaryLine } from './test_summary.mjs';

// The type check is part of "all tests": Vitest strips types without checking them.
// `npm run typecheck` checks the whole project, then src/core without the DOM library.
const typecheck = spawnSync('npm', ['run', '--silent', 'typecheck'], { stdio: 'inherit' });
console.log(`typecheck: ${typecheck.status === 0 ? 'passed' : 'FAILED'}`);

const run = runVitest(process.argv.slice(2));
if (typecheck.status === 0) run.passed++;
else run.failed++;
console.log(summaryLine(run));
process.exit(run.status === 0 && run.failed === 0 ? 0 : 1);
