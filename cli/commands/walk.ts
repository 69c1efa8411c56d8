import { parseArgs } from 'node:util';
import { neighbourAffinities } from '../../src/core/affinity';
import { DEFAULT_BETA, DEFAULT_RADIUS, DEFAULT_STEPS } from '../../src/core/constants';
import { buildTransition, randomWalk } from '../../src/core/random_walk';
import { numberOption, requiredOption } from '../args';
import { readMapsNpy, writeMapsNpy } from '../npy_files';
import { UsageError } from '../usage_error';

export const WALK_HELP = `affinitylab walk --scores S.npy --embed E.npy --out R.npy [--beta ${DEFAULT_BETA}] [--steps ${DEFAULT_STEPS}] [--radius ${DEFAULT_RADIUS}]

Revises score maps with AffinityNet's random walk (Ahn & Kwak, CVPR 2018),
iterating the sparse transition instead of psa's dense T^t: the same result
without an N x N matrix.

  --scores S.npy   float32 (C, H, W) score maps, background channel included
  --embed E.npy    float32 (D, H, W) AffinityNet embeddings on the same grid
  --out R.npy      float32 (C, H, W) maps after --steps steps
  --beta B         power applied to the affinities (default ${DEFAULT_BETA})
  --steps T        random-walk steps (default ${DEFAULT_STEPS}; psa's logt 8 = 256)
  --radius R       neighbours with dy^2 + dx^2 < R^2 (default ${DEFAULT_RADIUS})`;

export async function walkCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scores: { type: 'string' },
      embed: { type: 'string' },
      out: { type: 'string' },
      beta: { type: 'string' },
      steps: { type: 'string' },
      radius: { type: 'string' },
    },
    strict: true,
  });
  const scoresPath = requiredOption(values.scores, 'scores');
  const embedPath = requiredOption(values.embed, 'embed');
  const outPath = requiredOption(values.out, 'out');
  const beta = numberOption(values.beta, 'beta', DEFAULT_BETA, { min: 0 });
  const steps = numberOption(values.steps, 'steps', DEFAULT_STEPS, { integer: true, min: 0 });
  const radius = numberOption(values.radius, 'radius', DEFAULT_RADIUS, { integer: true, min: 1 });

  const [scores, embed] = await Promise.all([readMapsNpy(scoresPath, 'scores'), readMapsNpy(embedPath, 'embed')]);
  if (scores.height !== embed.height || scores.width !== embed.width) {
    throw new UsageError(
      `scores grid ${scores.height}x${scores.width} differs from embed grid ${embed.height}x${embed.width}`,
    );
  }
  const transition = buildTransition(neighbourAffinities(embed, radius), beta);
  const { final } = randomWalk(scores, transition, steps);
  await writeMapsNpy(outPath, final);
}
