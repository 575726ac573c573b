/**
 * The CLI's seams: what a command gets (CliIo, so tests drive it with strings) and what it is
 * (Command, registered by name in commands.ts).
 * @module
 */

/** Process edges a command may use; node-io.ts has the real ones, tests pass fakes. */
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** All of standard input, as text. */
  stdin(): Promise<string>;
  readFile(path: string): Promise<string>;
}

/** One subcommand, such as `hpa evaluate`. */
export interface Command {
  /** The words after `scaleplane`, space-separated: 'serve', 'hpa evaluate'. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The text `--help` prints. */
  usage: string;
  /** Runs with the arguments after the command's words; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Success. */
export const EXIT_OK = 0;
/** An unexpected failure. */
export const EXIT_FAILURE = 1;
/** Bad invocation or malformed input. */
export const EXIT_USAGE = 2;

/** Bad flags or input: the dispatcher prints the message as one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
