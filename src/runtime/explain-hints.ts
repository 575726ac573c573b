/**
 * The parts of `hpa explain` that read the engine's decision back for a person: why each pod the
 * engine set aside was set aside (replica_calculator.go groupPods), and what would make the HPA
 * scale (the tolerance band of Tolerances.isWithin, the bounds, stabilization and policies).
 * Pure functions of the scenario and the decision.
 * @module
 */
import type { V1Pod, V2MetricSpec } from '@kubernetes/client-node';
import type { Decision, MetricExplanation, Scenario } from '../hpa/index.js';
import { Quantity } from '../k8s/index.js';
import { milliQuantity } from './metric-values.js';

/** One pod the engine did not count as a ready pod with metrics, and the rule that decided it. */
export interface PodNote {
  pod: string;
  group: 'ignored' | 'unready' | 'initializing' | 'missing';
  /** The rule, e.g. "phase Pending: counted as not ready". */
  rule: string;
}

/** The effective tolerances (horizontal.go tolerancesForHpa): the flag, overridden per direction by spec.behavior. */
export function tolerancesOf(
  scenario: Scenario,
  globalTolerance: number,
): { scaleUp: number; scaleDown: number } {
  const of = (q: string | undefined): number => {
    if (q === undefined) return globalTolerance;
    try {
      return Quantity.parse(q).milliValue() / 1000;
    } catch {
      return globalTolerance;
    }
  };
  const b = scenario.hpa.spec?.behavior;
  return { scaleUp: of(b?.scaleUp?.tolerance), scaleDown: of(b?.scaleDown?.tolerance) };
}

function readyStatus(pod: V1Pod): string | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

/** Why groupPods put this unready pod aside. */
function unreadyRule(
  pod: V1Pod,
  cpuInitializationPeriodSeconds: number,
): Pick<PodNote, 'group' | 'rule'> {
  if (pod.status?.phase === 'Pending')
    return { group: 'unready', rule: 'phase Pending: counted as not ready' };
  const ready = readyStatus(pod);
  if (ready === undefined || pod.status?.startTime === undefined)
    return {
      group: 'unready',
      rule: 'no Ready condition or start time: its cpu sample cannot be trusted',
    };
  if (ready !== 'True') return { group: 'unready', rule: `Ready=${ready}: counted as not ready` };
  return {
    group: 'initializing',
    rule: `still initializing: within the ${cpuInitializationPeriodSeconds}s cpu initialization period its sample was taken less than one metric window after it became Ready`,
  };
}

/** Every pod the metric set aside, with the rule; and what was done with it in the ratio. */
export function podNotes(
  m: MetricExplanation,
  pods: readonly V1Pod[],
  cpuInitializationPeriodSeconds: number,
): PodNote[] {
  const byName = new Map(pods.map((p) => [p.metadata?.name ?? '', p]));
  const notes: PodNote[] = [];
  for (const name of m.ignoredPods) {
    const pod = byName.get(name);
    const rule =
      pod?.metadata?.deletionTimestamp != null
        ? 'being deleted: ignored'
        : `phase ${pod?.status?.phase ?? 'unknown'}: ignored`;
    notes.push({ pod: name, group: 'ignored', rule });
  }
  const unreadyUse =
    m.unreadyCountedAsZero === true
      ? 'counted at 0 because the proposal was a scale-up'
      : 'left out of the ratio';
  for (const name of m.unreadyPods) {
    const pod = byName.get(name);
    const base =
      pod === undefined
        ? { group: 'unready' as const, rule: 'not ready' }
        : unreadyRule(pod, cpuInitializationPeriodSeconds);
    notes.push({ pod: name, group: base.group, rule: `${base.rule}; ${unreadyUse}` });
  }
  const missingUse =
    m.missingFill === 'zero'
      ? 'counted at 0 because the proposal was a scale-up'
      : m.missingFill === 'target'
        ? `counted at ${m.missingFillPercent === undefined ? 'the target' : `${m.missingFillPercent}% of its request`} because the proposal was a scale-down`
        : 'left out of the ratio';
  for (const name of m.missingPods)
    notes.push({
      pod: name,
      group: 'missing',
      rule: `no metrics returned for this pod; ${missingUse}`,
    });
  return notes;
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

/** The band a metric must leave to change the replica count. */
export function metricThreshold(
  spec: V2MetricSpec | undefined,
  m: MetricExplanation,
  tol: { scaleUp: number; scaleDown: number },
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
    return `${m.name} must exceed ${round1(t * (1 + tol.scaleUp))}% ${band(`${t}%`)}${across} to scale up, or fall below ${round1(t * (1 - tol.scaleDown))}% to scale down`;
  }
  const q = target.type === 'Value' ? target.value : target.averageValue;
  if (q === undefined) return undefined;
  const what = target.type === 'Value' ? `${m.name}` : `${m.name} per pod`;
  return `${what} must exceed ${scaled(q, 1 + tol.scaleUp)} ${band(q)}${target.type === 'Value' ? '' : across} to scale up, or fall below ${scaled(q, 1 - tol.scaleDown)} to scale down`;
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
  tol: { scaleUp: number; scaleDown: number },
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
    const threshold = metricThreshold(specs[m.index], m, tol);
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
