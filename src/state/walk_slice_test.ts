import { describe, expect, it } from 'vitest';
import { DEFAULT_STEPS } from '../core/constants';
import { useLabStore } from './store';
import { carryT } from './walk_slice';

describe('carryT', () => {
  it('keeps showing the last step when the user left t at the end', () => {
    expect(carryT(DEFAULT_STEPS, DEFAULT_STEPS, DEFAULT_STEPS)).toBe(DEFAULT_STEPS);
    expect(carryT(256, 256, 64)).toBe(64);
    expect(carryT(64, 64, 256)).toBe(256);
  });

  it('keeps a step the user chose, within the new walk', () => {
    expect(carryT(0, 256, 256)).toBe(0);
    expect(carryT(10, 256, 64)).toBe(10);
    expect(carryT(100, 256, 64)).toBe(64);
  });
});

describe('the store', () => {
  it('starts with t at the last step, so the first result shows where the walk ends', () => {
    const { t, steps } = useLabStore.getState();
    expect(t).toBe(steps);
  });
});
