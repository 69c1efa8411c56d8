/**
 * Writes the evaluation tables of models/README.md from the committed
 * summaries (scripts/readme_tables.ts); with --check it only compares, and
 * fails when the README and the summaries disagree.
 *
 *   npm run readme:tables [-- --check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readmeProblems, rewriteReadme, summariesIn } from './readme_tables';

const MODELS = fileURLToPath(new URL('../models/', import.meta.url));
const README = `${MODELS}README.md`;

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const readme = readFileSync(README, 'utf8');
const read = summariesIn(MODELS);
if (values.check) {
  const problems = readmeProblems(readme, read);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) console.error('Run npm run readme:tables to rewrite the tables from the summaries.');
  else console.log('models/README.md: the evaluation tables match their summaries.');
  process.exitCode = problems.length > 0 ? 1 : 0;
} else {
  const updated = rewriteReadme(readme, read);
  if (updated !== readme) writeFileSync(README, updated);
  console.log(updated === readme ? 'models/README.md: tables already up to date.' : 'models/README.md: tables rewritten from the summaries.');
}
