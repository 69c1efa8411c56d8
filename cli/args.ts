import { UsageError } from './usage_error';

interface NumberBounds {
  integer?: boolean;
  /** Smallest value allowed. */
  min?: number;
  /** Values must be strictly greater than this. */
  above?: number;
}

/**
 * Parses a numeric option, naming the option and the allowed range when it is
 * wrong; `fallback` when the option is absent (undefined lets the caller tell
 * "not given" from any number).
 */
export function numberOption<F extends number | undefined>(
  value: string | undefined,
  name: string,
  fallback: F,
  { integer = false, min = -Infinity, above = -Infinity }: NumberBounds = {},
): number | F {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n <= above) {
    const bound = above > -Infinity ? `> ${above}` : `>= ${min}`;
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} ${bound}, got '${value}'`);
  }
  return n;
}

export function requiredOption(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}
