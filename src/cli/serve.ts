/**
 * `scaleplane serve`: the command's entry in the table, its usage (from the flag specs) and the
 * flag parsing with every issue printed by field path and exit 2. What serving does is injected
 * by src/main.ts, the composition root, because src/cli may not import adapter/ or scraper/.
 * @module
 */
import {
  formatIssues,
  ignoredPeerFlags,
  parseServeConfig,
  peerCommandWords,
  peerFlagAliases,
  refusedPeerFlags,
  rulesDocumentIssues,
  serveFlags,
  type ReadFile,
  type ServeConfig,
} from '../config/index.js';
import { EXIT_OK, EXIT_USAGE, type CliIo, type Command } from './command.js';

/** Runs the server until it is told to stop; resolves to the exit code. */
export type ServeRunner = (config: ServeConfig, io: CliIo) => Promise<number>;

function usageText(): string {
  const lines = Object.entries(serveFlags).map(([name, spec]) => {
    const def =
      'default' in spec && spec.default !== undefined && spec.default !== ''
        ? ` (default ${spec.default})`
        : '';
    return `  --${name.padEnd(44)} ${spec.help}${def}`;
  });
  return `Usage: scaleplane serve [flags]

Runs the metrics pipeline: kubelet and Prometheus sources, the metrics.k8s.io,
custom.metrics.k8s.io and external.metrics.k8s.io APIs, and the embedded HPA engine.
It serves the cluster of --kubeconfig, else of the in-cluster service account, else of
$KUBECONFIG or ~/.kube/config, and fails when there is none. With --embedded (what npm start
runs) it contacts no cluster: it serves a simulated one on 127.0.0.1 and prints ready-to-paste
curl and kubectl commands.

Flags:
${lines.join('\n')}

${peerFlagsUsage()}
`;
}

/** The peer flags accepted for existing Deployments' args (src/config/peer-flags.ts). */
function peerFlagsUsage(): string {
  const names = (o: Readonly<Record<string, unknown>>): string =>
    Object.keys(o)
      .map((n) => (n.length === 1 ? `-${n}` : `--${n}`))
      .join(' ');
  return `metrics-server and prometheus-adapter flags:
  Aliases: ${Object.entries(peerFlagAliases)
    .map(([a, t]) => `${a.length === 1 ? '-' : '--'}${a} = --${t}`)
    .join(', ')}
  Refused with the reason: ${names(refusedPeerFlags)}
  Accepted without effect, named in one warning at start (a leading ${peerCommandWords.join(' or ')} is ignored too):
${wrap(names(ignoredPeerFlags), 96).replace(/^/gm, '    ')}`;
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** The serve command; `readFile` reads --config (synchronously, before anything starts). */
export function serveCommand(runner: ServeRunner, readFile: ReadFile): Command {
  const usage = usageText();
  return {
    name: 'serve',
    summary: 'serve the metrics APIs and run the HPA engine (--embedded: a simulated cluster)',
    usage,
    async run(args: string[], io: CliIo): Promise<number> {
      if (args.includes('--help') || args.includes('-h')) {
        io.stdout.write(usage);
        return EXIT_OK;
      }
      const parsed = parseServeConfig(args, readFile, rulesDocumentIssues);
      if (parsed.issues) {
        io.stderr.write(
          `error: serve: invalid configuration (${parsed.issues.length} ${parsed.issues.length === 1 ? 'issue' : 'issues'}):\n${formatIssues(parsed.issues).replace(/^/gm, '  ')}\n`,
        );
        return EXIT_USAGE;
      }
      return runner(parsed.config, io);
    },
  };
}
