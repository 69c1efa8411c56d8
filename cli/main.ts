import { errorText, type Command } from './command';
import { UsageError } from './usage_error';

/**
 * Commands load on demand: `walk` is pure TypeScript and starts in a fraction
 * of a second, while importing `infer` pulls in tfjs and its wasm backend.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  infer: {
    summary: 'CAM, random-walk and segmentation masks of images as indexed PNGs',
    load: async () => {
      const m = await import('./commands/infer');
      return { run: m.inferCommand, help: m.INFER_HELP };
    },
  },
  walk: {
    summary: 'revise score maps with the sparse random walk (.npy in/out)',
    load: async () => {
      const m = await import('./commands/walk');
      return { run: m.walkCommand, help: m.WALK_HELP };
    },
  },
};

const HELP = `affinitylab <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`).join('\n')}

Run 'affinitylab <command> --help' for a command's options. Any command takes
--debug: an unexpected failure then prints its stack trace as well.`;

/**
 * Runs the CLI and returns the exit code: 0 ok, 2 bad input, 1 unexpected
 * failure. Every error is one line on stderr; stack traces only with --debug.
 */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const [name, ...rest] = argv.filter((a) => a !== '--debug');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`affinitylab: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return 2;
  }
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(command.help);
      return 0;
    }
    return (await command.run(rest, { debug })) ?? 0;
  } catch (e) {
    // parseArgs reports unknown or malformed options with these codes.
    const code = (e as { code?: string }).code;
    if (e instanceof UsageError || code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      console.error(`affinitylab ${name}: ${errorText(e, false)}`);
      return 2;
    }
    console.error(`affinitylab ${name}: unexpected failure: ${errorText(e, debug)}`);
    return 1;
  }
}
