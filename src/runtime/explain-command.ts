/**
 * `scaleplane hpa explain <namespace>/<name>`: flags, kubeconfig, clients, output and exit codes
 * (0 explained, 1 the cluster could not answer, 2 bad flags or input files). Structurally a
 * src/cli Command, registered by the composition root (src/cli may not import src/runtime).
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  ApiDiscovery,
  KubeConfigError,
  KubeHttpClient,
  KubeScaleReader,
  MetricsApiClient,
  loadKubeConfig,
} from '../cluster/index.js';
import { defaultEngineOptions, type EngineOptions, type HpaHistory } from '../hpa/index.js';
import { parseDuration } from '../k8s/index.js';
import { systemClock, type Clock } from '../observability/index.js';
import { ExplainError } from './explain-errors.js';
import { explainHpa, type ExplainRequest } from './explain.js';
import { formatExplainText } from './explain-format.js';
import { rfc3339 } from './metric-values.js';

const usage = `Usage: scaleplane hpa explain [options] <namespace>/<name>

Reads a HorizontalPodAutoscaler, its target's scale, its pods and its metrics from the cluster's
metrics APIs, as kube-controller-manager does, runs the embedded engine and explains the decision.

Options:
  -o, --output text|json              output format (default text)
      --kubeconfig FILE               kubeconfig (default: $KUBECONFIG, then ~/.kube/config)
      --context NAME                  kubeconfig context (default: its current-context)
  -n, --namespace NS                  namespace when the HPA is given without one
      --at TIME                       evaluate at this RFC 3339 time (default: now)
      --history FILE                  the controller's remembered recommendations and scale events
                                      (JSON: a history object, or a scenario or report holding one);
                                      without it the current size is the only remembered one
      --save FILE                     write the assembled scenario; 'hpa evaluate FILE' reproduces it
      --tolerance N                   --horizontal-pod-autoscaler-tolerance (default 0.1)
      --cpu-initialization-period D   (default 5m0s)
      --initial-readiness-delay D     (default 30s)
      --downscale-stabilization D     (default 5m0s)
      --request-timeout D             per API call (default 10s)
  -h, --help                          show this help
`;

/** The process edges of the command (a src/cli CliIo satisfies the first three). */
export interface ExplainIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  readFile(path: string): Promise<string>;
}

export interface HpaExplainDeps {
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  writeFile(path: string, text: string): Promise<void>;
}

interface Flags {
  output: 'text' | 'json';
  namespace: string | undefined;
  name: string;
  kubeconfig?: string;
  context?: string;
  atMs?: number;
  history?: string;
  save?: string;
  options: EngineOptions;
  timeoutMs: number;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function duration(flag: string, text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs;
  try {
    const ms = parseDuration(text);
    if (ms >= 0) return ms;
  } catch {
    // Reported below with the flag's name.
  }
  throw new ExplainError(
    `--${flag}: must be a non-negative duration such as 30s or 5m (got "${text}")`,
    true,
  );
}

function parseFlags(args: string[]): Flags | 'help' {
  let parsed;
  try {
    const s = { type: 'string' } as const;
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        output: { ...s, short: 'o', default: 'text' },
        namespace: { ...s, short: 'n' },
        kubeconfig: s,
        context: s,
        at: s,
        history: s,
        save: s,
        tolerance: s,
        'cpu-initialization-period': s,
        'initial-readiness-delay': s,
        'downscale-stabilization': s,
        'request-timeout': s,
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new ExplainError((err as Error).message.split('. ')[0] ?? 'bad flags', true);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (v.output !== 'text' && v.output !== 'json')
    throw new ExplainError(`--output: must be text or json (got "${v.output}")`, true);
  if (parsed.positionals.length !== 1)
    throw new ExplainError('expected one HPA as <namespace>/<name>', true);
  const target = parsed.positionals[0]!;
  const slash = target.indexOf('/');
  const namespace = slash < 0 ? v.namespace : target.slice(0, slash);
  const name = slash < 0 ? target : target.slice(slash + 1);
  if (namespace === '' || name === '' || name.includes('/'))
    throw new ExplainError(`expected <namespace>/<name>, got "${target}"`, true);
  let atMs: number | undefined;
  if (v.at !== undefined) {
    atMs = Date.parse(v.at);
    if (!RFC3339.test(v.at) || !Number.isFinite(atMs))
      throw new ExplainError(
        `--at: must be an RFC 3339 time such as 2026-01-01T12:00:00Z (got "${v.at}")`,
        true,
      );
  }
  const tolerance =
    v.tolerance === undefined ? defaultEngineOptions.tolerance : Number(v.tolerance);
  if (
    v.tolerance !== undefined &&
    (v.tolerance.trim() === '' || !Number.isFinite(tolerance) || tolerance < 0)
  )
    throw new ExplainError(
      `--tolerance: must be a non-negative number such as 0.1 (got "${v.tolerance}")`,
      true,
    );
  const seconds = (flag: string, text: string | undefined, fallback: number): number =>
    duration(flag, text, fallback * 1000) / 1000;
  const options: EngineOptions = {
    tolerance,
    cpuInitializationPeriodSeconds: seconds(
      'cpu-initialization-period',
      v['cpu-initialization-period'],
      defaultEngineOptions.cpuInitializationPeriodSeconds,
    ),
    initialReadinessDelaySeconds: seconds(
      'initial-readiness-delay',
      v['initial-readiness-delay'],
      defaultEngineOptions.initialReadinessDelaySeconds,
    ),
    downscaleStabilizationWindowSeconds: seconds(
      'downscale-stabilization',
      v['downscale-stabilization'],
      defaultEngineOptions.downscaleStabilizationWindowSeconds,
    ),
  };
  const timeoutMs = duration('request-timeout', v['request-timeout'], 10_000);
  return {
    output: v.output,
    namespace,
    name,
    kubeconfig: v.kubeconfig,
    context: v.context,
    atMs,
    history: v.history,
    save: v.save,
    options,
    timeoutMs,
  };
}

/** A history object, or the `history` of a scenario, or of an `hpa evaluate` / `hpa explain -o json` output. */
async function readHistory(file: string, io: ExplainIo): Promise<Partial<HpaHistory>> {
  let doc: unknown;
  try {
    doc = JSON.parse(await io.readFile(file));
  } catch (err) {
    throw new ExplainError(`--history ${file}: ${(err as Error).message}`, true);
  }
  const isObj = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  const looksLikeHistory = (x: unknown): boolean =>
    isObj(x) && ['recommendations', 'scaleUpEvents', 'scaleDownEvents'].some((k) => k in x);
  const candidates = [
    doc,
    isObj(doc) ? doc.history : undefined,
    isObj(doc) && isObj(doc.decision) ? doc.decision.history : undefined,
  ];
  const found = candidates.find(looksLikeHistory);
  if (found === undefined)
    throw new ExplainError(
      `--history ${file}: no recommendations, scaleUpEvents or scaleDownEvents found (expected a history object, or a document with "history")`,
      true,
    );
  return found as Partial<HpaHistory>;
}

function kubeConfigFor(flags: Flags, env: HpaExplainDeps['env']): KubeConfig {
  let kc: KubeConfig | undefined;
  try {
    kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, env });
  } catch (err) {
    if (err instanceof KubeConfigError)
      throw new ExplainError(err.message, flags.kubeconfig !== undefined);
    throw err;
  }
  if (kc === undefined)
    throw new ExplainError(
      'no kubeconfig found: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config',
    );
  if (flags.context !== undefined) {
    if (kc.getContextObject(flags.context) == null)
      throw new ExplainError(
        `--context: no context "${flags.context}" in the kubeconfig (kubectl config get-contexts lists them)`,
        true,
      );
    kc.setCurrentContext(flags.context);
  }
  return kc;
}

async function execute(flags: Flags, deps: HpaExplainDeps, io: ExplainIo): Promise<number> {
  const history =
    flags.history === undefined
      ? undefined
      : { file: flags.history, value: await readHistory(flags.history, io) };
  const kc = kubeConfigFor(flags, deps.env);
  const context = kc.getCurrentContext();
  const namespace = flags.namespace ?? kc.getContextObject(context)?.namespace ?? 'default';
  const api = new KubeHttpClient({ kubeConfig: kc, timeoutMs: flags.timeoutMs });
  const discovery = new ApiDiscovery({ api, clock: deps.clock });
  const clients = {
    api,
    discovery,
    scales: new KubeScaleReader({ api, discovery }),
    metrics: new MetricsApiClient({ api }),
    server: kc.getCurrentCluster()?.server ?? '(none)',
  };
  const req: ExplainRequest = {
    namespace,
    name: flags.name,
    now: rfc3339(flags.atMs ?? deps.clock.now()),
    options: flags.options,
    context,
    ...(history === undefined ? {} : { history }),
  };
  const { report, scenario } = await explainHpa(clients, req);
  if (flags.save !== undefined) {
    try {
      await deps.writeFile(flags.save, `${JSON.stringify(scenario, null, 2)}\n`);
    } catch (err) {
      throw new ExplainError(`--save ${flags.save}: cannot write: ${(err as Error).message}`);
    }
    io.stderr.write(
      `saved the scenario to ${flags.save}; 'scaleplane hpa evaluate ${flags.save}' reproduces this decision\n`,
    );
  }
  io.stdout.write(
    flags.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatExplainText(report),
  );
  return 0;
}

/** The command object: name, summary, usage and run(args, io) resolving to the exit code. */
export function createHpaExplainCommand(deps: HpaExplainDeps): {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: ExplainIo): Promise<number>;
} {
  return {
    name: 'hpa explain',
    summary: "explain a live HPA's decision from the cluster's objects and metrics APIs",
    usage,
    async run(args, io) {
      try {
        const flags = parseFlags(args);
        if (flags === 'help') {
          io.stdout.write(usage);
          return 0;
        }
        return await execute(flags, deps, io);
      } catch (err) {
        if (!(err instanceof ExplainError)) throw err;
        io.stderr.write(`error: hpa explain: ${err.message}\n`);
        return err.usage ? 2 : 1;
      }
    },
  };
}

/** `hpa explain` on the real process: its environment, the wall clock and the file system. */
export const hpaExplainCommand = createHpaExplainCommand({
  env: process.env,
  clock: systemClock,
  writeFile: (path, text) => writeFile(path, text, 'utf8'),
});
