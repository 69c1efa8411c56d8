/**
 * What one model set costs against another: both run on the same check-set
 * photographs, alternately, in one process (Node, tfjs wasm), each with its
 * own class evidence. Prints the median network time per stage and the ratio,
 * e.g. a retrained head against the set as it was before
 * (`git archive HEAD~1 models/default | tar -x -C /tmp/base`).
 *
 *   npm run bench:sets -- /tmp/base/models/default models/default [--photos 6 --rounds 3]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { modelSetFromDir } from '../src/models/node_model_set';
import { useNodeWasmBackend } from '../src/models/node_wasm';
import { loadPipeline } from '../src/models/pipeline';
import { checkSetPhotos, networksTotal, printMedianRatios, timeAlternately } from './side_by_side';

const USAGE = 'usage: npm run bench:sets -- BASELINE_DIR CANDIDATE_DIR [--photos N] [--rounds N]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { photos: { type: 'string', default: '6' }, rounds: { type: 'string', default: '3' } },
  });
  if (positionals.length !== 2) throw new Error(USAGE);
  await useNodeWasmBackend();
  const sets = await Promise.all(positionals.map((dir) => loadPipeline(modelSetFromDir(path.resolve(dir)))));
  const images = await checkSetPhotos(Number(values.photos));
  const [base, candidate] = await timeAlternately(sets, images, Number(values.rounds), async (set, image) => {
    const { timings } = await set.run(image);
    return { ...timings, networks: networksTotal(timings) };
  });
  console.log(`${images.length} photos x ${values.rounds} rounds, median ms (tfjs wasm, Node):`);
  printMedianRatios([positionals[0], positionals[1]], base, candidate);
  for (const set of sets) set.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
