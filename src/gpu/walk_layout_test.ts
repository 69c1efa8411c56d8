import { describe, expect, it } from 'vitest';
import { neighbourAffinities } from '../core/affinity';
import { createMaps, mapsFrom } from '../core/maps';
import { fullDiscOffsets } from '../core/pairs';
import { buildTransition } from '../core/random_walk';
import { seededRandom } from '../core/seeded_random';
import { denseTransition } from '../core/testing/dense_transition';
import { affinitiesFromTaps, channelGroups, packChannels, tapOffsets, tapTable, unpackChannels } from './walk_layout';

describe('packChannels', () => {
  it('puts four channels of a cell in one vec4 and zero-fills the last group', () => {
    // Five channels of a 1x2 grid: channel c holds 10c + cell.
    const maps = mapsFrom(Float32Array.from([0, 1, 10, 11, 20, 21, 30, 31, 40, 41]), 5, 1, 2);
    expect(channelGroups(5)).toBe(2);
    expect(Array.from(packChannels(maps))).toEqual([0, 10, 20, 30, 1, 11, 21, 31, 40, 0, 0, 0, 41, 0, 0, 0]);
  });

  it('is undone by unpackChannels', () => {
    const maps = createMaps(6, 3, 4);
    const random = seededRandom(3);
    for (let i = 0; i < maps.data.length; i++) maps.data[i] = random();
    expect(unpackChannels(packChannels(maps), 6, 3, 4)).toEqual(maps);
  });
});

describe('tapOffsets', () => {
  it("puts the cell itself first, then the core's disc in its order, as (dx, dy)", () => {
    // Radius 2: the eight cells around, row by row.
    expect(Array.from(tapOffsets(fullDiscOffsets(2)))).toEqual([0, 0, -1, -1, 0, -1, 1, -1, -1, 0, 1, 0, -1, 1, 0, 1, 1, 1]);
  });
});

describe('tapTable', () => {
  it('holds T = D^-1 W^beta of every in-grid neighbour, so one step equals the dense walk (psa)', () => {
    const [height, width, dims, radius, beta] = [5, 6, 3, 3, 4];
    const random = seededRandom(7);
    const embed = createMaps(dims, height, width);
    for (let i = 0; i < embed.data.length; i++) embed.data[i] = random();
    const offsets = fullDiscOffsets(radius);
    const table = tapTable(buildTransition(neighbourAffinities(embed, radius), beta), offsets);

    // psa's column-normalised T: one step of cam @ T gives cell i the sum over j of v_j T[j][i].
    const n = height * width;
    const dense = denseTransition(embed, radius, beta);

    const v = Array.from({ length: n }, () => random());
    const taps = table.taps.length / 2;
    for (let i = 0; i < n; i++) {
      const [y, x] = [Math.floor(i / width), i % width];
      let viaTaps = 0;
      for (let k = 0; k < taps; k++) {
        const w = table.weights[k * n + i];
        const [ny, nx] = [y + table.taps[k * 2 + 1], x + table.taps[k * 2]];
        if (ny < 0 || ny >= height || nx < 0 || nx >= width) {
          expect(w).toBe(0);
          continue;
        }
        viaTaps += w * v[ny * width + nx];
      }
      let reference = 0;
      for (let j = 0; j < n; j++) reference += v[j] * dense[j][i];
      expect(viaTaps).toBeCloseTo(reference, 6);
    }
  });
});

describe('affinitiesFromTaps', () => {
  it("turns a W table as the GPU writes it (tap-major, the cell first, 0 off the grid) into the core's affinities", () => {
    const [height, width, dims, radius] = [4, 7, 3, 3];
    const random = seededRandom(11);
    const embed = createMaps(dims, height, width);
    for (let i = 0; i < embed.data.length; i++) embed.data[i] = random();
    const core = neighbourAffinities(embed, radius);
    const n = height * width;
    const k = core.offsets.length;
    const table = new Float32Array((k + 1) * n).fill(1, 0, n);
    for (let i = 0; i < n; i++) for (let o = 0; o < k; o++) table[(o + 1) * n + i] = Number.isNaN(core.weights[i * k + o]) ? 0 : core.weights[i * k + o];
    expect(affinitiesFromTaps(table, height, width, core.offsets)).toEqual(core);
  });
});
