/** What every command gets and how its errors are printed. */

/** run() may return an exit code (infer: 1 when some images failed); nothing means 0. */
export interface Command {
  run: (argv: string[], options: CommandOptions) => Promise<void | number>;
  help: string;
}

export interface CommandOptions {
  /** --debug: print stack traces of unexpected failures. */
  debug: boolean;
}

/** An error for stderr: its first line, or with --debug its whole stack. */
export function errorText(e: unknown, debug: boolean): string {
  if (debug && e instanceof Error && e.stack) return e.stack;
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n').find((line) => line.trim() !== '')?.trim() ?? (e instanceof Error ? e.name : 'unknown error');
}
