/**
 * What the detector's class evidence costs: the default set run on the same
 * photographs with and without `classEvidence`, alternately, in one process
 * (Node, tfjs wasm). Prints the median time per stage and the ratio.
 * With --baseline DIR the comparison is instead against another model set
 * folder without its class evidence, e.g. the default set as it was before
 * the detector evidence (`git archive 62039b5 models/default | tar -x -C /tmp/base`).
 * After the networks, each run makes its three masks for the classes it
 * keeps, at its own β: the set with the detector walks on the WebAssembly
 * kernel (as the app, the CLI and the evaluation do now), the other on the
 * JavaScript core (as everything did before the kernel), so that the
 * `whole run` row compares the product before and after both changes.
 *
 *   npm run bench:evidence [-- --photos 6] [--baseline /tmp/base/models/default]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { modelSetFromDir, withoutClassEvidence } from '../src/models/node_model_set';
import { useNodeWasmBackend } from '../src/models/node_wasm';
import { keptClasses, stageMasks, type MaskParameters } from '../src/core/masks';
import { loadPipeline, maskGeometry, resultMasks, resultParameters, type LabPipeline, type PipelineResult } from '../src/models/pipeline';
import { checkSetPhotos, networksTotal, printMedianRatios, timeAlternately } from './side_by_side';

const ROOT = path.join(import.meta.dirname, '..');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { photos: { type: 'string', default: '6' }, rounds: { type: 'string', default: '3' }, baseline: { type: 'string' } } });
  await useNodeWasmBackend();
  const withDetector = await loadPipeline(modelSetFromDir(path.join(ROOT, 'models/default')));
  const headOnly = await loadPipeline(withoutClassEvidence(modelSetFromDir(values.baseline ?? path.join(ROOT, 'models/default'))));
  const images = await checkSetPhotos(Number(values.photos));
  const masks = (pipeline: LabPipeline, result: PipelineResult) => {
    const { defaults } = pipeline.meta;
    const params = resultParameters({ ...defaults, beta: undefined, order: 'psa' } satisfies Omit<MaskParameters, 'beta'> & { beta?: number }, result);
    const keep = [keptClasses(result.classScores, result.classEvidence.threshold)];
    if (pipeline === withDetector) resultMasks(result, pipeline.meta, keep, params);
    else stageMasks(result, maskGeometry(pipeline.meta, result.placement), keep, params);
  };
  const [detectorTimes, headOnlyTimes] = await timeAlternately([withDetector, headOnly], images, Number(values.rounds), async (pipeline, image) => {
    const result = await pipeline.run(image);
    const started = performance.now();
    masks(pipeline, result);
    const walkAndMasks = performance.now() - started;
    const networks = networksTotal(result.timings);
    return { ...result.timings, networks, 'walk and masks': walkAndMasks, 'whole run': networks + walkAndMasks };
  });
  console.log(`default set, ${images.length} photos x ${values.rounds} rounds, median ms (tfjs wasm, Node):`);
  printMedianRatios([values.baseline ? `${values.baseline}, CAM head only` : 'CAM head only', 'with detector evidence'], headOnlyTimes, detectorTimes);
  withDetector.dispose();
  headOnly.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
