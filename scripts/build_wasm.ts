/**
 * Compiles the random walk's WebAssembly kernel (src/wasm/walk_kernel.wat)
 * into the module that ships it (src/wasm/walk_kernel_binary.ts); with
 * --check it only compares, and fails when the committed module is stale.
 *
 *   npm run wasm:build [-- --check]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KERNEL_MODULE, KERNEL_SOURCE, kernelModuleText } from './wasm_kernel';

const ROOT = path.join(import.meta.dirname, '..');

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const generated = await kernelModuleText(readFileSync(path.join(ROOT, KERNEL_SOURCE), 'utf8'));
const target = path.join(ROOT, KERNEL_MODULE);
const committed = existsSync(target) ? readFileSync(target, 'utf8') : '';
if (values.check) {
  if (committed !== generated) console.error(`${KERNEL_MODULE} is not what ${KERNEL_SOURCE} compiles to: run npm run wasm:build.`);
  else console.log(`${KERNEL_MODULE} matches ${KERNEL_SOURCE}.`);
  process.exitCode = committed === generated ? 0 : 1;
} else {
  if (committed !== generated) writeFileSync(target, generated);
  console.log(committed === generated ? `${KERNEL_MODULE}: already up to date.` : `${KERNEL_MODULE}: written from ${KERNEL_SOURCE}.`);
}
