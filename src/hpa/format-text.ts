/**
 * The decision as plain text for terminals (`scaleplane hpa evaluate -o text`).
 * @module
 */
import type { Decision } from './types.js';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** A short, aligned rendering: outcome, conditions, per-metric proposals, then the explanation. */
export function formatDecisionText(decision: Decision): string {
  const lines: string[] = [];
  const action = decision.rescale ? `rescale from ${decision.currentReplicas}` : 'no rescale';
  lines.push(
    `desired replicas: ${decision.desiredReplicas} (current ${decision.currentReplicas}, ${action})`,
  );
  lines.push('conditions:');
  const reasonWidth = Math.max(0, ...decision.conditions.map((c) => c.reason.length));
  for (const c of decision.conditions) {
    lines.push(
      `  ${pad(c.type, 15)} ${pad(c.status, 6)} ${pad(c.reason, reasonWidth)}  ${c.message}`,
    );
  }
  if (decision.metrics.length > 0) {
    lines.push('metrics:');
    for (const m of decision.metrics) {
      const detail = m.ok
        ? `${m.current ?? '?'} / target ${m.target ?? '?'} -> ${m.proposal ?? '?'} replicas`
        : `failed (${m.reason ?? 'error'})`;
      lines.push(`  ${m.name}: ${detail}`);
    }
  }
  lines.push('why:');
  for (const line of decision.explanation) lines.push(`  - ${line}`);
  return `${lines.join('\n')}\n`;
}
