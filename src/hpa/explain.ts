/**
 * Operator-facing explanation lines: one per rule that shaped the decision, in the order the
 * controller applies them.
 * @module
 */
import type { SyncOutcome } from './sync.js';
import type { Tolerances } from './tolerance.js';
import type { Decision, LimitsExplanation, MetricExplanation, PolicyLimit } from './types.js';

/** Spec facts the lines mention. */
export interface ExplainContext {
  tolerances: Tolerances;
  minReplicas: number;
  maxReplicas: number;
}

/** A ratio with at most three decimals. */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? String(Math.round(ratio * 1000) / 1000) : String(ratio);
}

function pods(n: number): string {
  return n === 1 ? '1 pod' : `${n} pods`;
}

function verb(list: readonly string[]): string {
  return list.length === 1 ? 'was' : 'were';
}

function names(list: readonly string[]): string {
  const shown = list.slice(0, 5).join(', ');
  return list.length > 5 ? `${shown}, ...` : shown;
}

/** Which pods were ignored, unready or missing, and what was assumed for them. */
function podGroupLines(m: MetricExplanation): string[] {
  const lines: string[] = [];
  const { ignoredPods, unreadyPods, missingPods } = m;
  if (ignoredPods.length > 0) {
    lines.push(
      `${pods(ignoredPods.length)} ignored (deleted, Failed or Succeeded): ${names(ignoredPods)}`,
    );
  }
  if (unreadyPods.length > 0) {
    const why = 'Pending, not Ready, or sampled too soon after starting';
    lines.push(`${pods(unreadyPods.length)} not counted as ready (${why}): ${names(unreadyPods)}`);
  }
  const missing = `${pods(missingPods.length)} missing metrics ${verb(missingPods)} counted at`;
  if (missingPods.length > 0 && m.missingFill === undefined) {
    lines.push(
      `${pods(missingPods.length)} without metrics left out because the ratio is exactly 1: ${names(missingPods)}`,
    );
  } else if (m.missingFill === 'target') {
    const at =
      m.missingFillPercent === undefined
        ? '100% of target'
        : `${m.missingFillPercent}% of their request`;
    lines.push(`${missing} ${at} because the proposal was a scale-down: ${names(missingPods)}`);
  } else if (m.missingFill === 'zero') {
    lines.push(`${missing} 0% because the proposal was a scale-up: ${names(missingPods)}`);
  }
  if (m.unreadyCountedAsZero === true) {
    lines.push(
      `${pods(unreadyPods.length)} not ready ${verb(unreadyPods)} counted at 0% because the proposal was a scale-up`,
    );
  }
  return lines;
}

/** How one metric's proposal came about. */
export function explainMetric(m: MetricExplanation, ctx: ExplainContext): string[] {
  if (!m.ok) {
    return [
      `${m.name}: could not be computed (${m.reason ?? 'failed'}): ${m.error ?? 'unknown error'}`,
    ];
  }
  const ratio = formatRatio(m.usageRatio ?? 0);
  const first = `${m.name}: current ${m.current ?? '?'} against target ${m.target ?? '?'}, usage ratio ${ratio}`;
  return [first, ...podGroupLines(m), `${m.name}: ${ruleLine(m, ctx)}`];
}

function ruleLine(m: MetricExplanation, ctx: ExplainContext): string {
  const ratio = formatRatio(m.usageRatio ?? 0);
  const adjusted = formatRatio(m.adjustedUsageRatio ?? 0);
  const proposal = m.proposal ?? 0;
  switch (m.rule) {
    case 'within-tolerance':
      return `ratio ${ratio} is within the tolerance ${ctx.tolerances.toString()}, so it proposes the current size ${proposal}`;
    case 'proportional':
      return `proposes ceil(${ratio} x ${pods(m.readyPods ?? 0)} ready) = ${proposal}`;
    case 'per-pod-average':
      return `proposes ceil(total ${m.total ?? '?'} / ${m.target ?? '?'} per pod) = ${proposal}`;
    case 'scale-from-zero':
      return `at zero replicas proposes ceil(${ratio}) = ${proposal}`;
    case 'recomputed':
      return `with those assumptions the ratio is ${adjusted}, so it proposes ${proposal}`;
    case 'recomputed-within-tolerance':
      return `with those assumptions the ratio is ${adjusted}, within the tolerance, so it proposes the current size ${proposal}`;
    case 'direction-reversed':
      return `with those assumptions the ratio ${adjusted} points the other way than ${ratio}, so it proposes the current size ${proposal}`;
    case 'count-reversed':
      return `with those assumptions the new count would move against the ratio, so it proposes the current size ${proposal}`;
    default:
      return `proposes ${proposal}`;
  }
}

function policyText(p: PolicyLimit): string {
  const unit = p.type === 'Percent' ? `${p.value}%` : `${p.value} pods`;
  return `${p.type} ${unit} per ${p.periodSeconds}s allows ${p.limit} (from ${p.periodStartReplicas} at the start of the period)`;
}

/** Stabilization, rate limits and bounds. */
export function explainLimits(limits: LimitsExplanation): string[] {
  const lines: string[] = [];
  const s = limits.stabilization;
  if (s?.reason === 'ScaleDownStabilized') {
    lines.push(
      `scale-down stabilized: the highest recommendation of the last ${s.downWindowSeconds}s is ${s.stabilized}, so ${s.stabilized} instead of ${s.recommendation}`,
    );
  } else if (s?.reason === 'ScaleUpStabilized') {
    lines.push(
      `scale-up stabilized: the lowest recommendation of the last ${s.upWindowSeconds ?? 0}s is ${s.stabilized}, so ${s.stabilized} instead of ${s.recommendation}`,
    );
  }
  const rate = limits.rate;
  const stabilized = s?.stabilized ?? limits.prenormalized;
  if (limits.limitReason === 'ScaleUpLimit' || limits.limitReason === 'ScaleDownLimit') {
    const direction = limits.limitReason === 'ScaleUpLimit' ? 'scale-up' : 'scale-down';
    const detail =
      rate === undefined || rate.policies.length === 0
        ? 'without spec.behavior the controller at most doubles the replicas (or goes to 4)'
        : `${rate.policies.map(policyText).join('; ')}; selectPolicy ${rate.selectPolicy ?? 'Max'}`;
    lines.push(
      `${direction} limited to ${rate?.limit ?? stabilized} instead of ${stabilized}: ${detail}`,
    );
  } else if (limits.limitReason === 'TooFewReplicas') {
    lines.push(
      `${stabilized} is below minReplicas ${limits.minReplicas}, so ${limits.minReplicas}`,
    );
  } else if (limits.limitReason === 'TooManyReplicas') {
    lines.push(
      `${stabilized} is above maxReplicas ${limits.maxReplicas}, so ${limits.maxReplicas}`,
    );
  }
  return lines;
}

function shortcutLine(
  outcome: SyncOutcome,
  decision: Decision,
  ctx: ExplainContext,
): string | undefined {
  switch (outcome.shortcut) {
    case 'disabled':
      return "scaling is disabled: the target's spec.replicas is 0 (scale it up by hand, or set minReplicas to 0 to let metrics do it)";
    case 'above-max':
      return `the target has ${decision.currentReplicas} replicas, above maxReplicas ${ctx.maxReplicas}: set to ${ctx.maxReplicas} without reading metrics`;
    case 'below-min':
      return `the target has ${decision.currentReplicas} replicas, below minReplicas ${ctx.minReplicas}: set to ${ctx.minReplicas} without reading metrics`;
    default:
      return undefined;
  }
}

/** Every line for a decision. */
export function explainDecision(
  decision: Decision,
  outcome: SyncOutcome,
  ctx: ExplainContext,
): string[] {
  const shortcut = shortcutLine(outcome, decision, ctx);
  if (shortcut !== undefined) return [shortcut, summary(decision)];
  const lines: string[] = [];
  for (const m of outcome.metrics) lines.push(...explainMetric(m, ctx));
  const active = decision.conditions.find((c) => c.type === 'ScalingActive');
  if (outcome.metricsFailed) {
    if (active?.reason === 'InvalidSelector') lines.push(active.message);
    else if (outcome.metrics.some((m) => m.ok)) {
      lines.push(
        'a metric failed while the others propose fewer replicas than now, so the controller does not scale (it never scales down on partial data)',
      );
    } else {
      lines.push('no metric could be computed, so the controller does not scale');
    }
    return [...lines, summary(decision)];
  }
  if (outcome.metricsError !== undefined) {
    lines.push(
      'a metric failed, but the others propose at least the current size, so the controller scales on them and reports the failure',
    );
  }
  if (outcome.metrics.length > 1 && outcome.winningMetric !== undefined) {
    lines.push(
      `the largest proposal wins: ${outcome.limits?.prenormalized ?? 0} from ${outcome.winningMetric}`,
    );
  }
  if (outcome.limits !== undefined) lines.push(...explainLimits(outcome.limits));
  return [...lines, summary(decision)];
}

function summary(decision: Decision): string {
  return decision.rescale
    ? `scale from ${decision.currentReplicas} to ${decision.desiredReplicas} replicas${decision.rescaleReason === undefined ? '' : ` (${decision.rescaleReason})`}`
    : `no rescale: the target stays at ${decision.currentReplicas} replicas`;
}
