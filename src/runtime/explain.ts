/**
 * The `hpa explain` use case: read one HPA's inputs from a live cluster, assemble the scenario
 * (the contract format `hpa evaluate` reads, so a saved one reproduces the decision), run the
 * engine and describe the decision: each metric against its target, the pods set aside and why,
 * tolerance, stabilization and policies, and what would make it scale.
 * @module
 */
import type { V2CrossVersionObjectReference } from '@kubernetes/client-node';
import {
  evaluateInput,
  metricSpecs,
  parseHistory,
  parseScenario,
  type Decision,
  type EngineOptions,
  type HpaHistory,
  type MetricExplanation,
  type Scenario,
  type ToleranceFacts,
} from '../hpa/index.js';
import { ExplainError } from './explain-errors.js';
import { fetchExplainInputs, type ExplainClients } from './explain-fetch.js';
import { podNotes, whatWouldScale, type PodNote } from './explain-hints.js';

export interface ExplainRequest {
  namespace: string;
  name: string;
  /** RFC 3339: the sync time the engine evaluates at. */
  now: string;
  options: EngineOptions;
  /** The controller's memory, when the caller has it; otherwise first-sync semantics. */
  history?: { file: string; value: Partial<HpaHistory> };
  /** Where the inputs came from, recorded in the saved scenario's `source` (ignored by parseScenario). */
  context?: string;
}

/** One metric: the engine's account plus the API error and the pods it set aside. */
export interface ExplainedMetric extends MetricExplanation {
  /** The metrics API's error, when the values could not be fetched. */
  fetchError?: string;
  pods: PodNote[];
}

export interface ExplainReport {
  hpa: { namespace: string; name: string };
  scaleTargetRef: V2CrossVersionObjectReference;
  evaluatedAt: string;
  cluster: { server: string; context?: string };
  /** The target's scale selector and the pods it picked. */
  selector: string;
  selectedPods: string[];
  history: { source: 'first-sync' | 'file'; file?: string; note: string };
  options: EngineOptions;
  /** The engine's tolerances for this HPA (decision.tolerances). */
  tolerance: ToleranceFacts;
  metrics: ExplainedMetric[];
  /** What would make the HPA scale, most specific first. */
  toScale: string[];
  decision: Decision;
}

export interface ExplainResult {
  report: ExplainReport;
  /** The assembled scenario as JSON (contract format), for --save. */
  scenario: Record<string, unknown>;
}

function historyNote(req: ExplainRequest, currentReplicas: number): ExplainReport['history'] {
  if (req.history === undefined) {
    return {
      source: 'first-sync',
      note: `the controller's memory (its recent recommendations and scale events) cannot be read from the cluster, so stabilization used the current replica count (${currentReplicas}) as the only remembered recommendation, as on the HPA's first sync; pass --history FILE to evaluate with a remembered history`,
    };
  }
  const h = req.history.value;
  return {
    source: 'file',
    file: req.history.file,
    note: `stabilization and rate limits used the history in ${req.history.file}: ${h.recommendations?.length ?? 0} recommendations, ${h.scaleUpEvents?.length ?? 0} scale-up and ${h.scaleDownEvents?.length ?? 0} scale-down events`,
  };
}

/** JSON in, Scenario out, through the same validation `hpa evaluate` applies. */
function toScenario(raw: Record<string, unknown>, historyFile: string | undefined): Scenario {
  const parsed = parseScenario(JSON.parse(JSON.stringify(raw)));
  if ('scenario' in parsed) return parsed.scenario;
  const historyIssues = parsed.issues.filter((i) => i.path.startsWith('history'));
  if (historyIssues.length > 0 && historyFile !== undefined) {
    throw new ExplainError(
      `--history ${historyFile}: ${historyIssues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      true,
    );
  }
  throw new ExplainError(
    `the cluster's objects do not form a valid HPA scenario: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
  );
}

/** Reads, evaluates and explains one HPA. Rejects with an {@link ExplainError} naming what is missing. */
export async function explainHpa(
  clients: ExplainClients,
  req: ExplainRequest,
): Promise<ExplainResult> {
  const fetched = await fetchExplainInputs(clients, req.namespace, req.name);
  const raw: Record<string, unknown> = {
    now: req.now,
    hpa: fetched.hpa,
    scale: fetched.scale,
    pods: fetched.pods,
    podMetrics: fetched.podMetrics,
    customMetrics: fetched.customMetrics,
    externalMetrics: fetched.externalMetrics,
    options: req.options,
    ...(req.history === undefined ? {} : { history: req.history.value }),
    source: {
      tool: 'scaleplane hpa explain',
      server: clients.server,
      ...(req.context === undefined ? {} : { context: req.context }),
      fetchErrors: fetched.fetchErrors,
    },
  };
  // The objects are validated as `hpa evaluate` validates them; the metrics are the client's answers.
  const scenario = toScenario(raw, req.history?.file);
  const { decision } = evaluateInput({
    nowMs: Date.parse(req.now),
    hpa: scenario.hpa,
    scale: scenario.scale,
    pods: scenario.pods,
    metrics: fetched.metrics,
    ...(scenario.history === undefined ? {} : { history: parseHistory(scenario.history) }),
    options: req.options,
  });
  const tolerance = decision.tolerances;
  const specs = metricSpecs(scenario.hpa);
  const pods = scenario.pods;
  const metrics = decision.metrics.map((m): ExplainedMetric => {
    const fetchError = fetched.fetchErrors.find((e) => e.index === m.index)?.error;
    return {
      ...m,
      ...(fetchError === undefined ? {} : { fetchError }),
      pods: podNotes(m, req.options.cpuInitializationPeriodSeconds),
    };
  });
  const report: ExplainReport = {
    hpa: { namespace: req.namespace, name: req.name },
    scaleTargetRef: scenario.hpa.spec?.scaleTargetRef ?? fetched.hpa.spec!.scaleTargetRef,
    evaluatedAt: req.now,
    cluster: {
      server: clients.server,
      ...(req.context === undefined ? {} : { context: req.context }),
    },
    selector: scenario.scale.selector,
    selectedPods: pods.map((p) => p.metadata?.name ?? ''),
    history: historyNote(req, decision.currentReplicas),
    options: req.options,
    tolerance,
    metrics,
    toScale: whatWouldScale(
      scenario,
      decision,
      specs,
      new Map(fetched.fetchErrors.map((e) => [e.index, e.error])),
    ),
    decision,
  };
  return { report, scenario: raw };
}
