/**
 * What one model set costs against another: both run on the same check-set
 * photographs, alternately, in one process (Node, tfjs wasm), each with its
 * own class evidence. Prints the median network time per stage and the ratio,
 * e.g. a retrained head against the set as it was before
 * (`git archive HEAD~1 models/default | tar -x -C /tmp/base`).
 *
 *   npm run bench:sets -- /tmp/base/models/default models/default [--photos 6 --rounds 3]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeImage } from '../src/io/node_image_decode';
import { modelSetFromDir } from '../src/models/node_model_set';
import { useNodeWasmBackend } from '../src/models/node_wasm';
import { loadPipeline, type LabPipeline } from '../src/models/pipeline';

const ROOT = path.join(import.meta.dirname, '..');
const USAGE = 'usage: npm run bench:sets -- BASELINE_DIR CANDIDATE_DIR [--photos N] [--rounds N]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { photos: { type: 'string', default: '6' }, rounds: { type: 'string', default: '3' } },
  });
  if (positionals.length !== 2) throw new Error(USAGE);
  await useNodeWasmBackend();
  const sets = await Promise.all(positionals.map((dir) => loadPipeline(modelSetFromDir(path.resolve(dir)))));
  const files = (JSON.parse(readFileSync(path.join(ROOT, 'eval/real/photos.json'), 'utf8')) as { file: string }[]).slice(0, Number(values.photos));
  const images = await Promise.all(files.map((f) => decodeImage(readFileSync(path.join(ROOT, 'eval/real', f.file)))));
  const times = new Map<LabPipeline, Record<string, number[]>>(sets.map((set) => [set, {}]));
  for (const set of sets) await set.run(images[0]); // warm-up: kernels compile on first use
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const image of images) {
      for (const set of sets) {
        const { timings } = await set.run(image);
        const record = times.get(set)!;
        const stages = { ...timings, networks: Object.values(timings).reduce((a, b) => a + b, 0) };
        for (const [stage, ms] of Object.entries(stages)) (record[stage] ??= []).push(ms);
      }
    }
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const [base, candidate] = sets.map((set) => times.get(set)!);
  console.log(`${images.length} photos x ${values.rounds} rounds, median ms (tfjs wasm, Node):`);
  console.log(`| stage | ${positionals[0]} | ${positionals[1]} | ratio |\n|---|---|---|---|`);
  for (const stage of Object.keys(base)) {
    const a = median(base[stage]);
    const b = median(candidate[stage]);
    console.log(`| ${stage} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} |`);
  }
  for (const set of sets) set.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
