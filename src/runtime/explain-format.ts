/**
 * `hpa explain` for a person: the decision first, then each metric against its target with the
 * pods set aside, the rules that held the number, the history caveat, and what would make it scale.
 * @module
 */
import type { ExplainedMetric, ExplainReport } from './explain.js';

const percent = (f: number): string => `${Math.round(f * 1000) / 10}%`;
const ratio = (r: number): string => String(Math.round(r * 1000) / 1000);
const from = (source: 'spec' | 'flag'): string =>
  source === 'spec' ? 'spec.behavior' : 'controller flag';

function decisionLine(r: ExplainReport): string {
  const d = r.decision;
  return d.rescale
    ? `decision: scale from ${d.currentReplicas} to ${d.desiredReplicas} replicas${d.rescaleReason === undefined ? '' : ` (${d.rescaleReason})`}`
    : `decision: no rescale, stays at ${d.currentReplicas} replicas (desired ${d.desiredReplicas})`;
}

function metricLines(m: ExplainedMetric): string[] {
  const head = m.ok
    ? `  ${m.name}: ${m.current ?? '?'} vs target ${m.target ?? '?'}${m.usageRatio === undefined ? '' : ` (ratio ${Math.round(m.usageRatio * 1000) / 1000})`} -> ${m.proposal ?? '?'} replicas [${m.rule}]`
    : `  ${m.name}: FAILED ${m.reason ?? ''}: ${m.error ?? ''}`;
  const lines = [head];
  if (m.fetchError !== undefined) lines.push(`    metrics API error: ${m.fetchError}`);
  if (m.readyPods !== undefined) lines.push(`    ready pods with metrics: ${m.readyPods}`);
  for (const p of m.pods) lines.push(`    ${p.group} ${p.pod}: ${p.rule}`);
  return lines;
}

function limitLines(r: ExplainReport): string[] {
  const l = r.decision.limits;
  const lines = [
    `  tolerance: up ${percent(r.tolerance.scaleUp)} (${from(r.tolerance.scaleUpFrom)}), down ${percent(r.tolerance.scaleDown)} (${from(r.tolerance.scaleDownFrom)}); no change while ${ratio(r.tolerance.minRatio)} <= ratio <= ${ratio(r.tolerance.maxRatio)}`,
  ];
  if (l === undefined) return lines;
  const s = l.stabilization;
  if (s !== undefined) {
    const windows = `${s.upWindowSeconds === undefined ? '' : `scale-up window ${s.upWindowSeconds}s, `}scale-down window ${s.downWindowSeconds}s`;
    const held =
      s.reason === undefined
        ? 'did not change the recommendation'
        : `${s.reason}: held ${s.stabilized} instead of ${s.recommendation}`;
    lines.push(`  stabilization: ${windows}; ${held}`);
  }
  if (l.rate !== undefined) {
    const policies = l.rate.policies
      .map((p) => `${p.type} ${p.value} per ${p.periodSeconds}s allows ${p.limit}`)
      .join('; ');
    lines.push(
      `  ${l.rate.direction === 'up' ? 'scale-up' : 'scale-down'} limit ${l.rate.limit}${policies === '' ? '' : ` (${policies}; selectPolicy ${l.rate.selectPolicy ?? 'Max'})`}`,
    );
  }
  lines.push(
    `  bounds: minReplicas ${l.minReplicas}, maxReplicas ${l.maxReplicas}${l.limitReason === undefined ? '' : ` (${l.limitReason})`}`,
  );
  return lines;
}

/** The report as aligned plain text ending in a newline. */
export function formatExplainText(r: ExplainReport): string {
  const ref = r.scaleTargetRef;
  const lines = [
    `HorizontalPodAutoscaler ${r.hpa.namespace}/${r.hpa.name} -> ${ref.kind} ${ref.name}${ref.apiVersion === undefined ? '' : ` (${ref.apiVersion})`}`,
    `evaluated at ${r.evaluatedAt} against ${r.cluster.server}${r.cluster.context === undefined ? '' : ` (context ${r.cluster.context})`}`,
    decisionLine(r),
    '',
    `pods: ${r.selectedPods.length} selected by "${r.selector}"${r.selectedPods.length === 0 ? '' : `: ${r.selectedPods.join(', ')}`}`,
    'metrics:',
    ...r.metrics.flatMap(metricLines),
    'rules:',
    ...limitLines(r),
    `history: ${r.history.note}`,
    'conditions:',
    ...r.decision.conditions.map((c) => `  ${c.type}=${c.status} ${c.reason}: ${c.message}`),
    'why:',
    ...r.decision.explanation.map((e) => `  - ${e}`),
    'to scale:',
    ...(r.toScale.length === 0 ? ['  (nothing to add)'] : r.toScale.map((h) => `  - ${h}`)),
  ];
  return `${lines.join('\n')}\n`;
}
