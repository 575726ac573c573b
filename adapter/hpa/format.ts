/**
 * Text renderings of the runtime's records for `?format=text`: the engine's own decision text
 * plus the line that compares it with the controller.
 * @module
 */
import { formatDecisionText } from '../../src/hpa/index.js';
import type { HpaDecisionRecord } from '../../src/runtime/index.js';

/** How our recommendation compares with the controller's status.desiredReplicas. */
export function agreementLine(r: HpaDecisionRecord): string {
  if (r.controllerDesiredReplicas === undefined) return 'controller: no status.desiredReplicas yet';
  const theirs = `controller: status.desiredReplicas ${r.controllerDesiredReplicas}`;
  if (!r.agrees)
    return `${theirs}; differs: ${r.difference ?? `scaleplane recommends ${r.decision.desiredReplicas}`}`;
  if (r.result === 'failed') return `${theirs}; not compared: this evaluation failed`;
  return r.decision.desiredReplicas === r.controllerDesiredReplicas
    ? `${theirs}; agrees`
    : `${theirs}; differs for now (allowing one sync of lag)`;
}

/** One HPA: header, the decision as `scaleplane hpa evaluate -o text` prints it, then the agreement. */
export function recordText(r: HpaDecisionRecord): string {
  const target = `${r.scaleTargetRef.kind}/${r.scaleTargetRef.name}`;
  const header = `hpa ${r.hpa.namespace}/${r.hpa.name} (target ${target}), evaluated at ${r.evaluatedAt}: ${r.result}`;
  return `${header}\n${formatDecisionText(r.decision)}${agreementLine(r)}\n`;
}

/** Every HPA on one line each. */
export function listText(records: readonly HpaDecisionRecord[]): string {
  if (records.length === 0) return 'no HPAs evaluated yet\n';
  return records
    .map((r) => {
      const d = r.decision;
      const controller =
        r.controllerDesiredReplicas === undefined ? '-' : String(r.controllerDesiredReplicas);
      return `${r.hpa.namespace}/${r.hpa.name}: ${r.result}, desired ${d.desiredReplicas} (current ${d.currentReplicas}, controller ${controller}${r.agrees ? '' : ', differs'})\n`;
    })
    .join('');
}
