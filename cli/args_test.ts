import { describe, expect, it } from 'vitest';
import { numberOption } from './args';
import { UsageError } from './usage_error';

describe('numberOption', () => {
  it('returns the fallback, even undefined, when the option is absent', () => {
    expect(numberOption(undefined, 'beta', 8)).toBe(8);
    expect(numberOption(undefined, 'beta', undefined, { above: 0 })).toBeUndefined();
  });

  it('accepts the inclusive lower bound but not the exclusive one', () => {
    expect(numberOption('0', 'beta', 8, { min: 0 })).toBe(0);
    expect(() => numberOption('0', 'beta', 8, { above: 0 })).toThrow("--beta must be a number > 0, got '0'");
    expect(numberOption('0.5', 'beta', 8, { above: 0 })).toBe(0.5);
  });

  it('names the option and the range for non-numbers and non-integers', () => {
    expect(() => numberOption('abc', 'alpha', 16, { min: 0 })).toThrow("--alpha must be a number >= 0, got 'abc'");
    expect(() => numberOption('2.5', 'steps', 1, { integer: true, above: 0 })).toThrow("--steps must be an integer > 0, got '2.5'");
    expect(() => numberOption(' ', 'steps', 1)).toThrow(UsageError);
  });
});
