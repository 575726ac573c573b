import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/hpa/index.js';
import { hpaScenarioDir } from '../../support/fixtures.js';

/** A valid minimal scenario as JSON would carry it. */
// Deep, loosely typed edits of a JSON document are the point of these tables.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

function valid(): Doc {
  return {
    now: '2026-01-01T12:00:00Z',
    hpa: {
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 5,
      },
    },
    scale: { specReplicas: 2, statusReplicas: 2, selector: 'app=web' },
    pods: [
      {
        metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', resources: { requests: { cpu: '100m' } } }] },
        status: {
          phase: 'Running',
          startTime: '2026-01-01T11:00:00Z',
          conditions: [
            { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T11:00:10Z' },
          ],
        },
      },
    ],
    podMetrics: [
      {
        metadata: { name: 'web-1', namespace: 'default' },
        timestamp: '2026-01-01T12:00:00Z',
        window: '30s',
        containers: [{ name: 'app', usage: { cpu: '50m' } }],
      },
    ],
    customMetrics: [],
    externalMetrics: [],
  };
}

type Edit = (s: Doc) => void;

const failCases: { name: string; edit: Edit; issue: string }[] = [
  {
    name: 'maxReplicas below 1',
    edit: (s) => (s.hpa.spec.maxReplicas = 0),
    issue: 'hpa.spec.maxReplicas: must be >= 1',
  },
  {
    name: 'maxReplicas missing',
    edit: (s) => delete s.hpa.spec.maxReplicas,
    issue: 'hpa.spec.maxReplicas: is required',
  },
  {
    name: 'maxReplicas not an integer',
    edit: (s) => (s.hpa.spec.maxReplicas = 2.5),
    issue: 'hpa.spec.maxReplicas: must be an integer',
  },
  {
    name: 'maxReplicas below minReplicas',
    edit: (s) => (s.hpa.spec.minReplicas = 9),
    issue: 'hpa.spec.maxReplicas: must be >= minReplicas',
  },
  {
    name: 'negative minReplicas',
    edit: (s) => (s.hpa.spec.minReplicas = -1),
    issue: 'hpa.spec.minReplicas: must be >= 0',
  },
  { name: 'now missing', edit: (s) => delete s.now, issue: 'now: is required' },
  {
    name: 'now not RFC 3339',
    edit: (s) => (s.now = '2026-01-01'),
    issue: 'now: must be an RFC 3339 timestamp',
  },
  { name: 'hpa not an object', edit: (s) => (s.hpa = []), issue: 'hpa: must be an object' },
  {
    name: 'scaleTargetRef without a name',
    edit: (s) => delete s.hpa.spec.scaleTargetRef.name,
    issue: 'hpa.spec.scaleTargetRef.name: is required',
  },
  {
    name: 'unknown metric type',
    edit: (s) => (s.hpa.spec.metrics = [{ type: 'Cheese' }]),
    issue:
      'hpa.spec.metrics[0].type: must be one of Resource, ContainerResource, Pods, Object, External',
  },
  {
    name: 'metric source missing',
    edit: (s) => (s.hpa.spec.metrics = [{ type: 'Pods' }]),
    issue: 'hpa.spec.metrics[0].pods: is required',
  },
  {
    name: 'Resource with a Value target',
    edit: (s) =>
      (s.hpa.spec.metrics = [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Value', value: '1' } } },
      ]),
    issue: 'hpa.spec.metrics[0].resource.target.type: must be one of Utilization, AverageValue',
  },
  {
    name: 'averageUtilization of 0',
    edit: (s) =>
      (s.hpa.spec.metrics = [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } },
        },
      ]),
    issue: 'hpa.spec.metrics[0].resource.target.averageUtilization: must be >= 1',
  },
  {
    name: 'a target that is not a quantity',
    edit: (s) =>
      (s.hpa.spec.metrics = [
        {
          type: 'External',
          external: { metric: { name: 'q' }, target: { type: 'Value', value: 'ten' } },
        },
      ]),
    issue: 'hpa.spec.metrics[0].external.target.value: must be a quantity (got "ten")',
  },
  {
    name: 'a target that is not positive',
    edit: (s) =>
      (s.hpa.spec.metrics = [
        {
          type: 'Pods',
          pods: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '0' } },
        },
      ]),
    issue: 'hpa.spec.metrics[0].pods.target.averageValue: must be positive',
  },
  {
    name: 'an invalid metric selector',
    edit: (s) =>
      (s.hpa.spec.metrics = [
        {
          type: 'External',
          external: {
            metric: { name: 'q', selector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } },
            target: { type: 'Value', value: '1' },
          },
        },
      ]),
    issue: 'hpa.spec.metrics[0].external.metric.selector: ',
  },
  {
    name: 'ContainerResource without a container',
    edit: (s) =>
      (s.hpa.spec.metrics = [
        {
          type: 'ContainerResource',
          containerResource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: 50 },
          },
        },
      ]),
    issue: 'hpa.spec.metrics[0].containerResource.container: is required',
  },
  {
    name: 'Object without a described object',
    edit: (s) =>
      (s.hpa.spec.metrics = [
        {
          type: 'Object',
          object: { metric: { name: 'q' }, target: { type: 'Value', value: '1' } },
        },
      ]),
    issue: 'hpa.spec.metrics[0].object.describedObject: is required',
  },
  {
    name: 'empty policies',
    edit: (s) => (s.hpa.spec.behavior = { scaleUp: { policies: [] } }),
    issue: 'hpa.spec.behavior.scaleUp.policies: must specify at least one policy',
  },
  {
    name: 'a policy period above 30 minutes',
    edit: (s) =>
      (s.hpa.spec.behavior = {
        scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 1801 }] },
      }),
    issue: 'hpa.spec.behavior.scaleDown.policies[0].periodSeconds: must be <= 1800',
  },
  {
    name: 'an unknown selectPolicy',
    edit: (s) => (s.hpa.spec.behavior = { scaleUp: { selectPolicy: 'Most' } }),
    issue: 'hpa.spec.behavior.scaleUp.selectPolicy: must be one of Max, Min, Disabled',
  },
  {
    name: 'a stabilization window above an hour',
    edit: (s) => (s.hpa.spec.behavior = { scaleDown: { stabilizationWindowSeconds: 3601 } }),
    issue: 'hpa.spec.behavior.scaleDown.stabilizationWindowSeconds: must be <= 3600',
  },
  {
    name: 'a negative tolerance',
    edit: (s) => (s.hpa.spec.behavior = { scaleUp: { tolerance: '-0.1' } }),
    issue: 'hpa.spec.behavior.scaleUp.tolerance: must be >= 0',
  },
  { name: 'scale missing', edit: (s) => delete s.scale, issue: 'scale: is required' },
  {
    name: 'negative spec replicas',
    edit: (s) => (s.scale.specReplicas = -1),
    issue: 'scale.specReplicas: must be >= 0',
  },
  {
    name: 'selector not a string',
    edit: (s) => (s.scale.selector = { app: 'web' }),
    issue: 'scale.selector: must be a string',
  },
  {
    name: 'a pod without a name',
    edit: (s) => delete s.pods[0].metadata.name,
    issue: 'pods[0].metadata.name: is required',
  },
  {
    name: 'a pod start time that is not a time',
    edit: (s) => (s.pods[0].status.startTime = 'yesterday'),
    issue: 'pods[0].status.startTime: must be an RFC 3339 timestamp',
  },
  {
    name: 'a request that is not a quantity',
    edit: (s) => (s.pods[0].spec.containers[0].resources.requests.cpu = '1 core'),
    issue: 'pods[0].spec.containers[0].resources.requests.cpu: must be a quantity (got "1 core")',
  },
  {
    name: 'a Ready condition without status',
    edit: (s) => delete s.pods[0].status.conditions[0].status,
    issue: 'pods[0].status.conditions[0].status: is required',
  },
  { name: 'pods not an array', edit: (s) => (s.pods = {}), issue: 'pods: must be an array' },
  {
    name: 'a metrics window that is not a duration',
    edit: (s) => (s.podMetrics[0].window = 'thirty'),
    issue: 'podMetrics[0].window: must be a duration such as "30s" (got "thirty")',
  },
  {
    name: 'a usage that is not a quantity',
    edit: (s) => (s.podMetrics[0].containers[0].usage.cpu = 'x'),
    issue: 'podMetrics[0].containers[0].usage.cpu: must be a quantity (got "x")',
  },
  {
    name: 'a custom metric without a value',
    edit: (s) =>
      (s.customMetrics = [
        {
          describedObject: { kind: 'Pod', name: 'p' },
          metric: { name: 'q' },
          timestamp: '2026-01-01T12:00:00Z',
        },
      ]),
    issue: 'customMetrics[0].value: is required',
  },
  {
    name: 'an external metric without a name',
    edit: (s) =>
      (s.externalMetrics = [{ metricLabels: {}, timestamp: '2026-01-01T12:00:00Z', value: '1' }]),
    issue: 'externalMetrics[0].metricName: is required',
  },
  {
    name: 'a history entry without a time',
    edit: (s) => (s.history = { recommendations: [{ replicas: 2 }] }),
    issue: 'history.recommendations[0].timestamp: is required',
  },
  {
    name: 'a negative scale event',
    edit: (s) =>
      (s.history = { scaleUpEvents: [{ timestamp: '2026-01-01T12:00:00Z', replicaChange: -1 }] }),
    issue: 'history.scaleUpEvents[0].replicaChange: must be >= 0',
  },
  {
    name: 'a negative tolerance option',
    edit: (s) => (s.options = { tolerance: -1 }),
    issue: 'options.tolerance: must be >= 0',
  },
  {
    name: 'a fractional option',
    edit: (s) => (s.options = { cpuInitializationPeriodSeconds: 1.5 }),
    issue: 'options.cpuInitializationPeriodSeconds: must be an integer',
  },
  {
    name: 'a condition time in the previous status',
    edit: (s) =>
      (s.hpa.status = {
        conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: 'then' }],
      }),
    issue: 'hpa.status.conditions[0].lastTransitionTime: must be an RFC 3339 timestamp',
  },
];

describe('parseScenario', () => {
  describe('should fail', () => {
    it.each(failCases)('$name', (c) => {
      const input = valid();
      c.edit(input);
      const result = parseScenario(input);
      expect('issues' in result).toBe(true);
      if (!('issues' in result)) return;
      const texts = result.issues.map((i) => `${i.path}: ${i.message}`);
      expect(
        texts.some((t) => t.startsWith(c.issue)),
        texts.join('; '),
      ).toBe(true);
    });

    it.each([
      { name: 'null', input: null },
      { name: 'an array', input: [] },
      { name: 'a string', input: 'scenario' },
    ])('a root that is $name', ({ input }) => {
      expect(parseScenario(input)).toEqual({
        issues: [{ path: '(root)', message: input === null ? 'is required' : 'must be an object' }],
      });
    });

    it('collects every issue, not just the first', () => {
      const input = valid();
      input.hpa.spec.maxReplicas = 0;
      input.scale.specReplicas = 'two';
      const result = parseScenario(input);
      expect('issues' in result && result.issues.map((i) => i.path)).toEqual([
        'hpa.spec.maxReplicas',
        'scale.specReplicas',
      ]);
    });
  });

  describe('should pass', () => {
    it('converts the times the engine reads to Dates, without touching the input', () => {
      const input = valid();
      input.pods[0].metadata.deletionTimestamp = '2026-01-01T11:59:00Z';
      input.hpa.status = {
        conditions: [
          { type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-01-01T10:00:00Z' },
        ],
      };
      const before = JSON.stringify(input);
      const result = parseScenario(input);
      if (!('scenario' in result)) throw new Error(JSON.stringify(result.issues));
      const p = result.scenario.pods[0]!;
      expect(p.status?.startTime).toEqual(new Date('2026-01-01T11:00:00Z'));
      expect(p.status?.conditions?.[0]?.lastTransitionTime).toEqual(
        new Date('2026-01-01T11:00:10Z'),
      );
      expect(p.metadata?.deletionTimestamp).toEqual(new Date('2026-01-01T11:59:00Z'));
      expect(result.scenario.hpa.status?.conditions?.[0]?.lastTransitionTime).toEqual(
        new Date('2026-01-01T10:00:00Z'),
      );
      expect(JSON.stringify(input)).toBe(before);
    });

    it('ignores keys the format does not define (expect, source)', () => {
      const result = parseScenario({ ...valid(), expect: { desiredReplicas: 3 }, source: 'x' });
      expect('scenario' in result && Object.keys(result.scenario).sort()).toEqual([
        'customMetrics',
        'externalMetrics',
        'hpa',
        'now',
        'podMetrics',
        'pods',
        'scale',
      ]);
    });

    it('absent metric lists are empty', () => {
      const input = valid();
      delete input.podMetrics;
      delete input.customMetrics;
      delete input.externalMetrics;
      const result = parseScenario(input);
      expect(
        'scenario' in result && [
          result.scenario.podMetrics,
          result.scenario.customMetrics,
          result.scenario.externalMetrics,
        ],
      ).toEqual([[], [], []]);
    });

    it('an empty or unparsable selector is not malformed (it is the InvalidSelector condition)', () => {
      for (const selector of ['', 'a b c']) {
        const input = valid();
        input.scale.selector = selector;
        expect('scenario' in parseScenario(input)).toBe(true);
      }
    });

    it('keeps history and options', () => {
      const result = parseScenario({
        ...valid(),
        history: { recommendations: [] },
        options: { tolerance: 0.2 },
      });
      expect('scenario' in result && [result.scenario.history, result.scenario.options]).toEqual([
        { recommendations: [] },
        { tolerance: 0.2 },
      ]);
    });

    it.each([
      '075-scale-cpu--scale-up.json',
      '175-scaling-with-rules--scale-up-with-percent-policy-larger-than-pods-policy.json',
    ])('accepts the shared scenario %s', (file) => {
      expect(
        'scenario' in parseScenario(JSON.parse(readFileSync(join(hpaScenarioDir(), file), 'utf8'))),
      ).toBe(true);
    });
  });
});
