/**
 * parseScenario: untrusted input (a parsed JSON document) to a Scenario, or every issue with its
 * field path. Keys the format does not define (such as `expect` and `source`) are ignored.
 * @module
 */
import { Checker, type Issue } from './checker.js';
import type { Scenario, ScaleSnapshot } from './types.js';
import { validateHpa } from './validate-hpa.js';
import {
  validateCustomMetrics,
  validateExternalMetrics,
  validateHistory,
  validateOptions,
  validatePodMetrics,
  validatePods,
} from './validate-snapshot.js';

export type { Issue } from './checker.js';

function validateScale(c: Checker, value: unknown): ScaleSnapshot | undefined {
  const scale = c.object(value, 'scale');
  if (scale === undefined) return undefined;
  const specReplicas = c.integer(scale.specReplicas, 'scale.specReplicas', {
    required: true,
    min: 0,
  });
  const statusReplicas = c.integer(scale.statusReplicas, 'scale.statusReplicas', {
    required: true,
    min: 0,
  });
  // An empty or unparsable selector is the controller's InvalidSelector condition, not bad input.
  const selector = c.string(scale.selector, 'scale.selector', { required: true });
  if (specReplicas === undefined || statusReplicas === undefined || selector === undefined)
    return undefined;
  return { specReplicas, statusReplicas, selector };
}

/**
 * Validates a scenario (see the contract in hpa-scenario.md). Returns `{ scenario }` with pod and
 * status timestamps as Dates, or `{ issues }` listing every problem found.
 */
export function parseScenario(input: unknown): { scenario: Scenario } | { issues: Issue[] } {
  const c = new Checker();
  const root = c.object(input, '(root)');
  if (root === undefined) return { issues: c.issues };
  const now = c.time(root.now, 'now', true);
  const hpa = validateHpa(c, root.hpa);
  const scale = validateScale(c, root.scale);
  const pods = validatePods(c, root.pods);
  const podMetrics = validatePodMetrics(c, root.podMetrics);
  const customMetrics = validateCustomMetrics(c, root.customMetrics);
  const externalMetrics = validateExternalMetrics(c, root.externalMetrics);
  const history = validateHistory(c, root.history);
  const options = validateOptions(c, root.options);
  if (c.issues.length > 0 || now === undefined || hpa === undefined || scale === undefined)
    return { issues: c.issues };
  const scenario: Scenario = {
    now: root.now as string,
    hpa,
    scale,
    pods,
    podMetrics,
    customMetrics,
    externalMetrics,
  };
  if (history !== undefined) scenario.history = history;
  if (options !== undefined) scenario.options = options;
  return { scenario };
}
