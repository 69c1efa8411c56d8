/**
 * What the benchmarks that compare two pipelines share: the check-set
 * photographs they run on, the alternating rounds (so that both sides see
 * the same machine load) and the table of medians and ratios.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeImage, type DecodedImage } from '../src/io/node_image_decode';
import type { LabPipeline } from '../src/models/pipeline';

const ROOT = path.join(import.meta.dirname, '..');

/** Milliseconds per stage name, one entry per run. */
export type StageTimes = Record<string, number[]>;

/** The first `count` photographs of the real-photo check set, decoded. */
export async function checkSetPhotos(count: number): Promise<DecodedImage[]> {
  const files = (JSON.parse(readFileSync(path.join(ROOT, 'eval/real/photos.json'), 'utf8')) as { file: string }[]).slice(0, count);
  return Promise.all(files.map((f) => decodeImage(readFileSync(path.join(ROOT, 'eval/real', f.file)))));
}

/**
 * Runs every pipeline on every image, alternately, `rounds` times after one
 * warm-up run each (kernels compile on first use). `measure` times one run
 * and returns its stages' milliseconds.
 */
export async function timeAlternately(
  pipelines: LabPipeline[],
  images: DecodedImage[],
  rounds: number,
  measure: (pipeline: LabPipeline, image: DecodedImage) => Promise<Record<string, number>>,
): Promise<StageTimes[]> {
  for (const pipeline of pipelines) await pipeline.run(images[0]);
  const times = pipelines.map((): StageTimes => ({}));
  for (let round = 0; round < rounds; round++) {
    for (const image of images) {
      for (const [i, pipeline] of pipelines.entries()) {
        for (const [stage, ms] of Object.entries(await measure(pipeline, image))) (times[i][stage] ??= []).push(ms);
      }
    }
  }
  return times;
}

/** The sum of a run's network stages, the `networks` row of both benchmarks. */
export function networksTotal(timings: Record<string, number>): number {
  return Object.values(timings).reduce((a, b) => a + b, 0);
}

/** Prints a markdown table: the median of each stage on both sides, and candidate / baseline. */
export function printMedianRatios(headers: [string, string], baseline: StageTimes, candidate: StageTimes): void {
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  console.log(`| stage | ${headers[0]} | ${headers[1]} | ratio |\n|---|---|---|---|`);
  for (const stage of Object.keys(baseline)) {
    const a = median(baseline[stage]);
    const b = median(candidate[stage]);
    console.log(`| ${stage} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} |`);
  }
}
