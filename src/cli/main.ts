/**
 * The dispatcher: argv to a registered command, `--help` and `--version`, and the exit-code
 * contract (0 success, 2 bad invocation or input with one line on stderr, 1 anything else).
 * @module
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  type CliIo,
  type Command,
} from './command.js';
import { commands as registered } from './commands.js';

export type { CliIo, Command } from './command.js';

function helpText(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: scaleplane <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help      show this help (also after a command)
  -v, --version   print the version
`;
}

/** package.json sits two levels up from src/cli and three from dist/src/cli. */
async function readVersion(io: CliIo): Promise<string> {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [
    join(here, '..', '..', 'package.json'),
    join(here, '..', '..', '..', 'package.json'),
  ]) {
    try {
      const pkg = JSON.parse(await io.readFile(candidate)) as { name?: unknown; version?: unknown };
      if (pkg.name === 'scaleplane' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not this candidate; try the next.
    }
  }
  throw new Error('cannot find the scaleplane package.json');
}

/** The registered command whose words start argv, preferring the longest name. */
function findCommand(
  argv: readonly string[],
  commands: readonly Command[],
): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; rest: string[] } | undefined;
  for (const command of commands) {
    const words = command.name.split(' ');
    if (
      words.every((w, i) => argv[i] === w) &&
      (best === undefined || words.length > best.command.name.split(' ').length)
    ) {
      best = { command, rest: argv.slice(words.length) };
    }
  }
  return best;
}

function usageFailure(io: CliIo, message: string): number {
  io.stderr.write(`error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return EXIT_USAGE;
}

/** The message for argv that names no registered command. */
function unknownCommand(argv: readonly string[], commands: readonly Command[]): string {
  const first = argv[0] ?? '';
  if (first.startsWith('-')) return `unknown option '${first}'; run 'scaleplane --help'`;
  const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2);
  const group = commands.filter((c) => c.name.startsWith(`${first} `)).map((c) => `'${c.name}'`);
  const hint = group.length > 0 ? `try ${group.join(', ')}` : "run 'scaleplane --help'";
  return `unknown command '${words.join(' ')}'; ${hint}`;
}

/** Runs the CLI; resolves to the process exit code. */
export async function run(
  argv: readonly string[],
  io: CliIo,
  commands: readonly Command[] = registered,
): Promise<number> {
  const first = argv[0];
  if (first === undefined) return usageFailure(io, "no command given; run 'scaleplane --help'");
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(helpText(commands));
    return EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${await readVersion(io)}\n`);
    return EXIT_OK;
  }
  const found = findCommand(argv, commands);
  if (found === undefined) return usageFailure(io, unknownCommand(argv, commands));
  try {
    return await found.command.run(found.rest, io);
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(io, `${found.command.name}: ${err.message}`);
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`error: ${found.command.name}: ${message}\n`);
    return EXIT_FAILURE;
  }
}
