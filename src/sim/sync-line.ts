/**
 * The embedded mode's line per HPA sync, for a person watching `npm start`:
 * `sync 12:00:15 default/php-apache replicas 1 -> 5 cpu 250% of 50% (ScaleUpLimit: ...)`.
 * @module
 */
import type { Decision } from '../hpa/index.js';

/** What a line needs of the runtime's record (structurally its HpaDecisionRecord). */
export interface SyncRecord {
  hpa: { namespace: string; name: string };
  decision: Decision;
}

function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** The condition that says most about this sync: a limit that held, else why it (did not) scale. */
function reasonOf(d: Decision): string {
  const limited = d.conditions.find((c) => c.type === 'ScalingLimited' && c.status === 'True');
  if (limited) return `${limited.reason}: ${limited.message}`;
  const inactive = d.conditions.find((c) => c.type === 'ScalingActive' && c.status === 'False');
  if (inactive) return `${inactive.reason}: ${inactive.message}`;
  const able = d.conditions.find((c) => c.type === 'AbleToScale');
  return able ? `${able.reason}: ${able.message}` : (d.explanation.at(-1) ?? '');
}

/** One line per HPA. */
export function syncLine(record: SyncRecord, nowMs: number): string {
  const d = record.decision;
  const metrics = d.metrics
    .map((m) => {
      const resource = m.name.split(' ')[0] ?? m.type;
      return m.ok
        ? `${resource} ${m.current ?? '?'} of ${m.target ?? '?'}`
        : `${resource} unavailable`;
    })
    .join(', ');
  return `sync ${clockTime(nowMs)} ${record.hpa.namespace}/${record.hpa.name} replicas ${d.currentReplicas} -> ${d.desiredReplicas} ${metrics} (${reasonOf(d)})`;
}
