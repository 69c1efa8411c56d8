import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from './main';

// A command that fails in a way no check foresaw.
vi.mock('./commands/walk', () => ({
  WALK_HELP: 'walk help',
  walkCommand: async () => {
    throw new TypeError('cannot read properties of undefined\nsecond line of the message');
  },
}));

let errors: string[] = [];
beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
});
afterEach(() => {
  errors = [];
  vi.restoreAllMocks();
});

describe('unexpected failures', () => {
  it('exit 1 with one line and no stack trace', async () => {
    expect(await main(['walk', '--scores', 's.npy'])).toBe(1);
    expect(errors).toEqual(['affinitylab walk: unexpected failure: cannot read properties of undefined']);
  });

  it('print the stack trace with --debug, wherever it is given', async () => {
    expect(await main(['walk', '--debug', '--scores', 's.npy'])).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^affinitylab walk: unexpected failure: TypeError: cannot read properties of undefined\nsecond line of the message\n\s+at /);
  });
});
