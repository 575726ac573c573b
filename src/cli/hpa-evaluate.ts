/**
 * `scaleplane hpa evaluate <file|->`: one HPA scenario in, the controller's decision out.
 * Parsing and printing only; the engine decides.
 * @module
 */
import { parseArgs } from 'node:util';
import { evaluate, formatDecisionText, parseScenario, type Scenario } from '../hpa/index.js';
import { EXIT_OK, UsageError, type CliIo, type Command } from './command.js';

const usage = `Usage: scaleplane hpa evaluate [options] <scenario.json | ->

Evaluates one HorizontalPodAutoscaler sync as kube-controller-manager would, from a scenario
file (or standard input with -) and prints the decision.

Options:
  -o, --output json|text   output format (default json)
  -h, --help               show this help
`;

/** Node's parseArgs messages carry a how-to-fix tail; the first sentence names the problem. */
function firstSentence(message: string): string {
  const end = message.indexOf('. ');
  return end < 0 ? message : message.slice(0, end);
}

function parseFlags(args: string[]): {
  output: 'json' | 'text';
  help: boolean;
  file: string | undefined;
} {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        output: { type: 'string', short: 'o', default: 'json' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(firstSentence(err instanceof Error ? err.message : String(err)));
  }
  const { output, help } = parsed.values;
  if (output !== 'json' && output !== 'text')
    throw new UsageError(`--output: must be json or text (got "${output}")`);
  if (!help && parsed.positionals.length !== 1)
    throw new UsageError('expected one scenario file, or - for standard input');
  return { output, help, file: parsed.positionals[0] };
}

/** Reads, decodes and validates the scenario; every failure names the file and the field. */
async function loadScenario(file: string, io: CliIo): Promise<Scenario> {
  let text: string;
  try {
    text = file === '-' ? await io.stdin() : await io.readFile(file);
  } catch (err) {
    throw new UsageError(
      `${file}: cannot read: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `${file}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const parsed = parseScenario(json);
  if ('issues' in parsed)
    throw new UsageError(
      `${file}: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  return parsed.scenario;
}

/** The `hpa evaluate` command. */
export const hpaEvaluateCommand: Command = {
  name: 'hpa evaluate',
  summary: 'evaluate one HPA scenario and print the decision',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const flags = parseFlags(args);
    if (flags.help || flags.file === undefined) {
      io.stdout.write(usage);
      return EXIT_OK;
    }
    const decision = evaluate(await loadScenario(flags.file, io));
    io.stdout.write(
      flags.output === 'text'
        ? formatDecisionText(decision)
        : `${JSON.stringify(decision, null, 2)}\n`,
    );
    return EXIT_OK;
  },
};
