import { inferCommand, INFER_HELP } from './commands/infer';
import { walkCommand, WALK_HELP } from './commands/walk';
import { UsageError } from './usage_error';

/** run() may return an exit code (infer: 1 when some images failed); nothing means 0. */
type Command = { run: (argv: string[]) => Promise<void | number>; help: string; summary: string };

const COMMANDS: Record<string, Command> = {
  infer: { run: inferCommand, help: INFER_HELP, summary: 'CAM, random-walk and segmentation masks of images as indexed PNGs' },
  walk: { run: walkCommand, help: WALK_HELP, summary: 'revise score maps with the sparse random walk (.npy in/out)' },
};

const HELP = `affinitylab <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`).join('\n')}

Run 'affinitylab <command> --help' for a command's options.`;

/** Runs the CLI and returns the exit code: 0 ok, 2 bad input, 1 unexpected failure. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`affinitylab: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return (await command.run(rest)) ?? 0;
  } catch (e) {
    // parseArgs reports unknown or malformed options with these codes.
    const code = (e as { code?: string }).code;
    if (e instanceof UsageError || code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      console.error(`affinitylab ${name}: ${(e as Error).message}`);
      return 2;
    }
    console.error(`affinitylab ${name}: unexpected failure: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}
