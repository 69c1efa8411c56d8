import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { encode as encodePng } from 'fast-png';
import { parseNpy, serializeNpy } from '../src/core/npy';
import { decodeLabelPng } from '../src/io/label_png';
import { writeFakeModelSet } from '../src/models/testing/fake_model_set';

const run = promisify(execFile);
const BIN = join(__dirname, '..', 'bin', 'affinitylab.mjs');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(BIN, args);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let dir: string;
const path = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'affinitylab-cli-'));
  // Two cells 1 apart on a 1x2 grid: W = e^-1, beta 1 -> a = e^-1.
  await writeFile(path('s.npy'), serializeNpy(Float32Array.from([1, 0, 0, 1]), [2, 1, 2]));
  await writeFile(path('e.npy'), serializeNpy(Float32Array.from([0, 1]), [1, 1, 2]));
  await writeFile(path('e_other_grid.npy'), serializeNpy(Float32Array.from([0, 1, 2]), [1, 1, 3]));
  await writeFile(path('e_f64.npy'), serializeNpy(Float64Array.from([0, 1]), [1, 1, 2]));
  await writeFile(path('e_2d.npy'), serializeNpy(Float32Array.from([0, 1]), [1, 2]));
  await writeFile(path('garbage.npy'), 'not numpy');
});

describe('affinitylab CLI', () => {
  it('prints help', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/walk/);
    const walk = await cli('walk', '--help');
    expect(walk.stdout).toMatch(/--scores S\.npy/);
  });

  it('walk writes the revised maps as float32 (C, H, W)', async () => {
    const res = await cli('walk', '--scores', path('s.npy'), '--embed', path('e.npy'), '--out', path('r.npy'), '--beta', '1', '--steps', '1');
    expect(res.code).toBe(0);
    const out = parseNpy(await readFile(path('r.npy')));
    expect(out.dtype).toBe('<f4');
    expect(out.shape).toEqual([2, 1, 2]);
    const a = Math.exp(-1);
    const expected = [1 / (1 + a), a / (1 + a), a / (1 + a), 1 / (1 + a)];
    out.data.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it.each([
    [['--embed', 'e.npy', '--out', 'r.npy'], /--scores is required/],
    [['--scores', 'missing.npy', '--embed', 'e.npy', '--out', 'r.npy'], /cannot read scores file .*missing\.npy: ENOENT/],
    [['--scores', 's.npy', '--embed', 'garbage.npy', '--out', 'r.npy'], /embed file .*garbage\.npy: not a \.npy file/],
    [['--scores', 's.npy', '--embed', 'e_f64.npy', '--out', 'r.npy'], /dtype <f8; expected float32/],
    [['--scores', 's.npy', '--embed', 'e_2d.npy', '--out', 'r.npy'], /expected 3 dimensions/],
    [['--scores', 's.npy', '--embed', 'e_other_grid.npy', '--out', 'r.npy'], /scores grid 1x2 differs from embed grid 1x3/],
    [['--scores', 's.npy', '--embed', 'e.npy', '--out', 'r.npy', '--steps', '2.5'], /--steps must be an integer >= 0/],
    [['--scores', 's.npy', '--embed', 'e.npy', '--out', 'r.npy', '--bogus'], /Unknown option '--bogus'/],
  ])('bad input %j exits 2 with one line on stderr', async (args, message) => {
    const withPaths = args.map((a) => (a.endsWith('.npy') ? path(a) : a));
    const res = await cli('walk', ...withPaths);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('infers a 12000x9000 JPEG (shrunk while it loads) in under 3 GB for the whole process, masks at full size', async () => {
    writeFakeModelSet(path('model'), 3);
    await sharp({ create: { width: 12000, height: 9000, channels: 3, background: { r: 200, g: 120, b: 40 } } }).jpeg().toFile(path('huge.jpg'));
    // The CLI in a process of its own that reports its peak resident memory (KiB) when done.
    const script = `const { main } = await import(${JSON.stringify(join(__dirname, 'main.ts'))});
      const code = await main(['infer', ${JSON.stringify(path('huge.jpg'))}, '--model', ${JSON.stringify(path('model'))}, '--out', ${JSON.stringify(path('huge'))}, '--steps', '1']);
      console.log(JSON.stringify({ code, maxRss: process.resourceUsage().maxRSS }));`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    const { code, maxRss } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { code: number; maxRss: number };
    expect(code).toBe(0);
    expect(maxRss * 1024).toBeLessThan(3 * 2 ** 30);
    const mask = decodeLabelPng(await readFile(join(dir, 'huge', 'huge_final.png')));
    expect([mask.width, mask.height]).toEqual([12000, 9000]);
  }, 120_000);

  it.each([
    ['a model set with a truncated weights file', 'truncated-model', /^affinitylab infer: cannot load model set .*truncated-model: .*cam\/model\.json: weight shards hold 100 bytes, the manifest needs \d+$/],
    ['an output folder that is a file', 'out-is-file', /^affinitylab infer: cannot create the output folder .*s\.npy \((EEXIST|ENOTDIR)\)$/],
  ])('infer with %s exits 2 with one line on stderr, no stack trace', async (_, kind, message) => {
    const model = path(kind === 'truncated-model' ? 'truncated-model' : 'model');
    writeFakeModelSet(model, 3);
    if (kind === 'truncated-model') {
      const weights = join(model, 'cam', 'weights.bin');
      await writeFile(weights, (await readFile(weights)).subarray(0, 100));
    }
    // s.npy exists, so as --out it cannot become a folder.
    const args = ['--model', model, '--out', kind === 'out-is-file' ? path('s.npy') : path('x')];
    const res = await cli('infer', path('s.npy'), ...args);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr.trim()).toMatch(message);
  });

  it('infer prints only its own lines on stderr for CMYK, truncated, corrupt and 1x1 images (no raw libjpeg output)', async () => {
    writeFakeModelSet(path('model'), 3);
    const photo = await sharp(join(__dirname, '../public/samples/coffee.jpg')).jpeg().toBuffer();
    const corrupt = Buffer.from(photo);
    for (let i = 2000; i < corrupt.length - 2; i += 50) corrupt[i] ^= 0x5a;
    await writeFile(path('cmyk.jpg'), await readFile(join(__dirname, '../src/io/testdata/formats/cmyk.jpg')));
    await writeFile(path('cut.jpg'), photo.subarray(0, Math.floor(photo.length * 0.6)));
    await writeFile(path('corrupt.jpg'), corrupt);
    await writeFile(path('dot.png'), encodePng({ width: 1, height: 1, data: Uint8Array.from([9, 99, 199]), channels: 3, depth: 8 }));
    const res = await cli('infer', ...['cmyk.jpg', 'cut.jpg', 'corrupt.jpg', 'dot.png'].map(path), '--model', path('model'), '--out', path('kinds'), '--steps', '1');
    expect(res.stderr.trim().split('\n')).toEqual([
      `affinitylab infer: ${path('cut.jpg')}: warning: damaged image (premature end of JPEG image): decoded as far as the data goes`,
      expect.stringMatching(new RegExp(`^affinitylab infer: ${path('corrupt.jpg')}: warning: damaged image \\(Corrupt JPEG data: .*\\): decoded as far as the data goes$`)),
    ]);
    expect(res.code).toBe(0);
    const dot = decodeLabelPng(await readFile(join(dir, 'kinds', 'dot_final.png')));
    expect([dot.width, dot.height]).toEqual([1, 1]);
  });

  it('rejects unknown commands with exit 2', async () => {
    const res = await cli('frobnicate');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
