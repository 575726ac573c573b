/**
 * Every shared worked example (../shared/hpa-scenarios: a scenario plus the decision the Kubernetes
 * controller's own unit test asserts) through parseScenario and evaluate.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, parseScenario } from '../../../src/hpa/index.js';
import { hpaScenarioDir } from '../../support/fixtures.js';

interface Expectation {
  desiredReplicas: number;
  conditions?: Record<string, string>;
}

const cases = readdirSync(hpaScenarioDir())
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => {
    const doc = JSON.parse(readFileSync(join(hpaScenarioDir(), file), 'utf8')) as {
      expect: Expectation;
      source: string;
    };
    return { name: `${file} (${doc.source})`, doc, expected: doc.expect };
  });

describe('shared HPA scenarios', () => {
  it('finds the shared scenarios', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  it.each(cases)('$name', ({ doc, expected }) => {
    const parsed = parseScenario(doc);
    if (!('scenario' in parsed)) throw new Error(JSON.stringify(parsed.issues));
    const decision = evaluate(parsed.scenario);
    expect(decision.desiredReplicas).toBe(expected.desiredReplicas);
    for (const [type, reason] of Object.entries(expected.conditions ?? {})) {
      expect(decision.conditions.find((c) => c.type === type)?.reason, type).toBe(reason);
    }
  });
});
