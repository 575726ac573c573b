/**
 * The parts of `hpa explain` that read the engine's decision back for a person: why each pod the
 * engine set aside was set aside (the decision's per-pod reasons from groupPods), and what would
 * make the HPA scale (the decision's tolerance band, the bounds, stabilization and policies).
 * Pure functions of the decision; no rule of the controller is derived here a second time.
 * @module
 */
import type { V2MetricSpec } from '@kubernetes/client-node';
import type {
  Decision,
  MetricExplanation,
  PodReasonCode,
  Scenario,
  ToleranceFacts,
} from '../hpa/index.js';
import { Quantity } from '../k8s/index.js';
import { milliQuantity } from './metric-values.js';

/** One pod the engine did not count as a ready pod with metrics, and the rule that decided it. */
export interface PodNote {
  pod: string;
  group: 'ignored' | 'unready' | 'initializing' | 'missing';
  /** The rule, e.g. "phase Pending: counted as not ready". */
  rule: string;
}

/** The rule behind each of the engine's reasons, in words. */
function ruleText(reason: PodReasonCode, cpuInitializationPeriodSeconds: number): string {
  switch (reason) {
    case 'deleted':
      return 'being deleted: ignored';
    case 'phase-failed':
      return 'phase Failed: ignored';
    case 'phase-succeeded':
      return 'phase Succeeded: ignored';
    case 'pending':
      return 'phase Pending: counted as not ready';
    case 'no-readiness':
      return 'no Ready condition or start time: its cpu sample cannot be trusted';
    case 'not-ready':
      return 'Ready=False: counted as not ready';
    case 'never-ready':
      return 'Ready=False and never Ready since it started: counted as not ready';
    case 'sampled-too-soon':
      return `still initializing: within the ${cpuInitializationPeriodSeconds}s cpu initialization period its sample was taken less than one metric window after it became Ready`;
    case 'no-metrics':
      return 'no metrics returned for this pod';
  }
}

/** What was done with the pods of each group in the ratio. */
function useText(m: MetricExplanation, group: 'ignored' | 'unready' | 'missing'): string {
  if (group === 'unready')
    return m.unreadyCountedAsZero === true
      ? 'counted at 0 because the proposal was a scale-up'
      : 'left out of the ratio';
  if (m.missingFill === 'zero') return 'counted at 0 because the proposal was a scale-up';
  if (m.missingFill === 'target')
    return `counted at ${m.missingFillPercent === undefined ? 'the target' : `${m.missingFillPercent}% of its request`} because the proposal was a scale-down`;
  return 'left out of the ratio';
}

/** Every pod the metric set aside, with the engine's rule; and what was done with it in the ratio. */
export function podNotes(m: MetricExplanation, cpuInitializationPeriodSeconds: number): PodNote[] {
  return m.podReasons.map(({ pod, group, reason }) => {
    const rule = ruleText(reason, cpuInitializationPeriodSeconds);
    if (group === 'ignored') return { pod, group, rule };
    return {
      pod,
      group: reason === 'sampled-too-soon' ? 'initializing' : group,
      rule: `${rule}; ${useText(m, group)}`,
    };
  });
}

const percent = (f: number): string => `${Math.round(f * 1000) / 10}%`;
const round1 = (n: number): string => String(Math.round(n * 10) / 10);

function scaled(q: string, factor: number): string {
  try {
    return milliQuantity((Quantity.parse(q).milliValue() / 1000) * factor) ?? q;
  } catch {
    return q;
  }
}

/** The band a metric must leave to change the replica count: the target times the engine's ratio bounds. */
export function metricThreshold(
  spec: V2MetricSpec | undefined,
  m: MetricExplanation,
  tol: ToleranceFacts,
): string | undefined {
  if (spec === undefined || !m.ok) return undefined;
  const source =
    spec.resource ?? spec.containerResource ?? spec.pods ?? spec.object ?? spec.external;
  const target = source?.target;
  if (target === undefined) return undefined;
  const band = (t: string): string =>
    `(target ${t}, tolerance up ${percent(tol.scaleUp)} / down ${percent(tol.scaleDown)})`;
  const across =
    m.readyPods === undefined
      ? ''
      : ` across ${m.readyPods} ready pod${m.readyPods === 1 ? '' : 's'}`;
  if (target.type === 'Utilization' && target.averageUtilization !== undefined) {
    const t = target.averageUtilization;
    return `${m.name} must exceed ${round1(t * tol.maxRatio)}% ${band(`${t}%`)}${across} to scale up, or fall below ${round1(t * tol.minRatio)}% to scale down`;
  }
  const q = target.type === 'Value' ? target.value : target.averageValue;
  if (q === undefined) return undefined;
  const what = target.type === 'Value' ? `${m.name}` : `${m.name} per pod`;
  return `${what} must exceed ${scaled(q, tol.maxRatio)} ${band(q)}${target.type === 'Value' ? '' : across} to scale up, or fall below ${scaled(q, tol.minRatio)} to scale down`;
}

/** When the recommendations holding a stabilized value leave the window (horizontal.go stabilizeRecommendationWithBehaviors). */
function stabilizationHint(d: Decision, nowMs: number): string | undefined {
  const s = d.limits?.stabilization;
  if (s?.reason === undefined) return undefined;
  const down = s.reason === 'ScaleDownStabilized';
  const windowSeconds = (down ? s.downWindowSeconds : s.upWindowSeconds) ?? 0;
  const holding = d.history.recommendations.filter(
    (r) =>
      (down ? r.replicas > s.recommendation : r.replicas < s.recommendation) &&
      Date.parse(r.timestamp) > nowMs - windowSeconds * 1000,
  );
  const lastMs = Math.max(...holding.map((r) => Date.parse(r.timestamp)));
  const when = Number.isFinite(lastMs)
    ? ` at ${new Date(lastMs + windowSeconds * 1000).toISOString()}`
    : '';
  return `the ${down ? 'scale-down' : 'scale-up'} stabilization window (${windowSeconds}s) holds ${s.stabilized}: the recommendations ${down ? 'above' : 'below'} ${s.recommendation} age out of it${when}; if the metrics stay as they are, it moves to ${s.recommendation} then`;
}

/** What would make the HPA scale, most specific first. */
export function whatWouldScale(
  scenario: Scenario,
  d: Decision,
  specs: readonly V2MetricSpec[],
  fetchErrors: ReadonlyMap<number, string>,
): string[] {
  const hints: string[] = [];
  if (scenario.scale.specReplicas === 0 && (scenario.hpa.spec?.minReplicas ?? 1) > 0)
    hints.push(
      "the target's spec.replicas is 0, which disables autoscaling: scale the target up by hand to re-enable it",
    );
  for (const m of d.metrics) {
    // The API's own error says more than the engine's "no metrics returned".
    if (!m.ok)
      hints.push(
        `fix ${m.name}: ${m.reason ?? 'failed'}: ${fetchErrors.get(m.index) ?? m.error ?? 'unknown error'}`,
      );
    const threshold =
      d.tolerances === undefined ? undefined : metricThreshold(specs[m.index], m, d.tolerances);
    if (threshold !== undefined) hints.push(threshold);
  }
  const stabilization = stabilizationHint(d, Date.parse(scenario.now));
  if (stabilization !== undefined) hints.push(stabilization);
  const rate = d.limits?.rate;
  if (
    rate !== undefined &&
    (d.limits?.limitReason === 'ScaleUpLimit' || d.limits?.limitReason === 'ScaleDownLimit')
  ) {
    hints.push(
      `the ${rate.direction === 'up' ? 'scale-up' : 'scale-down'} rate limit allows ${rate.limit} now; further steps follow as the policy periods pass (spec.behavior.${rate.direction === 'up' ? 'scaleUp' : 'scaleDown'}.policies)`,
    );
  }
  const max = scenario.hpa.spec?.maxReplicas ?? Number.POSITIVE_INFINITY;
  const min = scenario.hpa.spec?.minReplicas ?? 1;
  if (d.desiredReplicas >= max)
    hints.push(`at maxReplicas ${max}: no metric can scale it higher; raise spec.maxReplicas`);
  if (d.desiredReplicas <= min)
    hints.push(`at minReplicas ${min}: no metric can scale it lower; lower spec.minReplicas`);
  return hints;
}
