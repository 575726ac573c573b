/**
 * `scaleplane config check FILE [--prometheus-url URL] [-o text|json]`: the first command a
 * migrating user runs. Offline it validates a prometheus-adapter config file (or a scaleplane
 * --config file) exactly as `serve` would and prints every issue with its key path, line and
 * column. With a Prometheus URL it then runs discovery once and prints what would be served. The
 * discovery is injected by src/main.ts, because src/cli may not import scraper/.
 * @module
 */
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import {
  configuredRuleKeys,
  formatIssue,
  isRulesWithoutPrometheus,
  parseRulesDocument,
  parseServeConfig,
  rulesDocumentIssues,
  type ConfigIssue,
  type DiscoveryPreview,
  type RulesConfig,
  type ServeConfig,
} from '../config/index.js';
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  type CliIo,
  type Command,
} from './command.js';

/** Runs discovery once against `config.prometheus`; rejects when Prometheus cannot be reached. */
export type DiscoverOnce = (config: ServeConfig, rules: RulesConfig) => Promise<DiscoveryPreview>;

const usage = `Usage: scaleplane config check FILE [--prometheus-url URL] [-o text|json]

Validates a prometheus-adapter config file (rules, externalRules, resourceRules) or a scaleplane
--config file as serve would, and prints every issue with its key path, line and column.
With --prometheus-url it also runs discovery once, as serve does, and prints each metric that
would be served: its API, group-resource, scope, series count and the query it would run.
Prometheus settings in the file (token, CA, headers, timeout) are used with that URL.

Exit codes: 0 valid; 2 issues in the file, a series query Prometheus refuses, or bad arguments;
1 Prometheus cannot be reached.

Options:
  --prometheus-url URL   run discovery once against this Prometheus
  -o, --output text|json output format (default text)
  -h, --help             show this help
`;

interface Flags {
  file?: string;
  url?: string;
  output: 'text' | 'json';
  help: boolean;
}

function parseFlags(args: string[]): Flags {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        'prometheus-url': { type: 'string' },
        output: { type: 'string', short: 'o', default: 'text' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError(message.split('. ')[0]);
  }
  const { output, help } = parsed.values;
  if (output !== 'json' && output !== 'text')
    throw new UsageError(`--output: must be json or text (got "${output}")`);
  if (!help && parsed.positionals.length !== 1) throw new UsageError('expected one config file');
  return { file: parsed.positionals[0], url: parsed.values['prometheus-url'], output, help };
}

/** What the file holds, for the summary line: `rules: 2, externalRules: 1, resourceRules`. */
function contents(doc: Record<string, unknown> | null): string {
  const keys = configuredRuleKeys(doc ?? undefined);
  if (keys.length === 0) return 'no rules';
  return keys
    .map((k) => (Array.isArray(doc?.[k]) ? `${k}: ${(doc[k] as unknown[]).length}` : k))
    .join(', ');
}

function validate(
  file: string,
  text: string,
  url: string | undefined,
): { issues: ConfigIssue[]; config?: ServeConfig } {
  const argv = ['--config', file, ...(url === undefined ? [] : ['--prometheus-url', url])];
  const parsed = parseServeConfig(argv, () => text, rulesDocumentIssues);
  if (parsed.config) return { issues: [], config: parsed.config };
  // Offline, the file is checked alone: rules without a URL are what a rules file is.
  return {
    issues:
      url === undefined ? parsed.issues.filter((i) => !isRulesWithoutPrometheus(i)) : parsed.issues,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function textReport(
  file: string,
  summary: string,
  issues: readonly ConfigIssue[],
  d?: DiscoveryPreview,
): string {
  const lines = issues.map((i) => formatIssue(i));
  if (d) {
    for (const api of ['custom.metrics.k8s.io', 'external.metrics.k8s.io'] as const) {
      const ms = d.metrics.filter((m) => m.api === api);
      if (ms.length === 0) continue;
      lines.push(`${api}:`);
      for (const m of ms) {
        const what = m.groupResource === undefined ? m.metric : `${m.groupResource}/${m.metric}`;
        const ns = m.namespaces && m.namespaces.length > 0 ? ` in ${m.namespaces.join(', ')}` : '';
        lines.push(
          `  ${what}  ${m.namespaced ? 'namespaced' : 'cluster-scoped'}  ${plural(m.series, 'series').replace(/seriess$/, 'series')}${ns}  (${m.rule})`,
          `    ${m.query.replace(/\s*\n\s*/g, ' ')}`,
        );
      }
    }
    for (const r of d.rulesWithoutMetrics) lines.push(`${r}: no series produce a metric`);
  }
  lines.push(`${file}: ${summary}`);
  return `${lines.join('\n')}\n`;
}

async function run(
  flags: Required<Pick<Flags, 'file'>> & Flags,
  io: CliIo,
  discoverOnce: DiscoverOnce,
): Promise<number> {
  let text: string;
  try {
    text = await io.readFile(flags.file);
  } catch (err) {
    throw new UsageError(
      `${flags.file}: cannot read: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const checked = validate(flags.file, text, flags.url);
  const emit = (summary: string, issues: ConfigIssue[], d?: DiscoveryPreview): void => {
    io.stdout.write(
      flags.output === 'json'
        ? `${JSON.stringify({ file: flags.file, summary, issues, ...(d ? { discovery: d } : {}) }, null, 2)}\n`
        : textReport(flags.file, summary, issues, d),
    );
  };
  if (checked.issues.length > 0) {
    emit(`${plural(checked.issues.length, 'issue')}`, checked.issues);
    return EXIT_USAGE;
  }
  // Valid, so it parses; read again only to say what it holds.
  const what = contents(parseYaml(text) as Record<string, unknown> | null);
  if (flags.url === undefined || checked.config === undefined) {
    emit(`valid (${what}); no issues`, []);
    return EXIT_OK;
  }
  const rules = parseRulesDocument(checked.config.rulesDocument ?? {});
  if (rules.issues) {
    emit(plural(rules.issues.length, 'issue'), rules.issues);
    return EXIT_USAGE;
  }
  let d: DiscoveryPreview;
  try {
    d = await discoverOnce(checked.config, rules.config);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(
      `error: config check: cannot reach Prometheus at ${flags.url}: ${message.replace(/\s*\n\s*/g, ' ')}\n`,
    );
    return EXIT_FAILURE;
  }
  // A selector Prometheus refuses is a config problem of the rules that use it.
  const refused: ConfigIssue[] = d.failedSelectors.flatMap((f) =>
    f.rules.map((rule) => ({
      path: `${rule}.seriesQuery`,
      message: `Prometheus answered: ${f.error}`,
    })),
  );
  const served = `${plural(d.metrics.length, 'metric')} would be served`;
  if (refused.length > 0) {
    emit(
      `valid (${what}); ${served}; ${plural(refused.length, 'issue')} from Prometheus`,
      refused,
      d,
    );
    return EXIT_USAGE;
  }
  emit(`valid (${what}); ${served}`, [], d);
  return EXIT_OK;
}

/** The `config check` command; `discoverOnce` comes from the composition root. */
export function configCheckCommand(discoverOnce: DiscoverOnce): Command {
  return {
    name: 'config check',
    summary:
      'validate a prometheus-adapter or scaleplane config file; with a URL, show what would be served',
    usage,
    async run(args: string[], io: CliIo): Promise<number> {
      const flags = parseFlags(args);
      if (flags.help || flags.file === undefined) {
        io.stdout.write(usage);
        return EXIT_OK;
      }
      return run({ ...flags, file: flags.file }, io, discoverOnce);
    },
  };
}
