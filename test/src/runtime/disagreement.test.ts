import { describe, expect, it } from 'vitest';
import type { Decision, MetricExplanation } from '../../../src/hpa/index.js';
import {
  describeRule,
  judgeAgreement,
  type DisagreementMemory,
} from '../../../src/runtime/index.js';

const metric = (
  name: string,
  proposal: number,
  current: string,
  target: string,
  rule: MetricExplanation['rule'] = 'proportional',
): MetricExplanation => ({
  index: 0,
  type: 'Resource',
  name,
  ok: true,
  proposal,
  rule,
  current,
  target,
  ignoredPods: [],
  unreadyPods: [],
  missingPods: [],
  podReasons: [],
});

function decision(o: Partial<Decision> = {}): Decision {
  return {
    desiredReplicas: 5,
    currentReplicas: 3,
    rescale: true,
    metricsFailed: false,
    currentMetrics: [],
    conditions: [],
    history: { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] },
    explanation: [
      'the target has 12 replicas, above maxReplicas 10: set to 10 without reading metrics',
      'scale from 12 to 10 replicas',
    ],
    metrics: [metric('cpu', 5, '90%', '50%'), metric('rps', 2, '5', '10')],
    ...o,
  };
}
const limits = (o: object) => ({ prenormalized: 5, minReplicas: 1, maxReplicas: 10, ...o });

describe('describeRule: should pass', () => {
  const cases = [
    { name: 'the largest metric proposal', d: decision(), want: 'metric cpu: 90% of target 50%' },
    {
      name: 'a metric within tolerance says so',
      d: decision({ metrics: [metric('cpu', 3, '52%', '50%', 'within-tolerance')] }),
      want: 'metric cpu: 52% of target 50%, within tolerance',
    },
    {
      name: 'a rate limit',
      d: decision({ limits: limits({ limitReason: 'ScaleUpLimit' }) }),
      want: 'scale-up rate limit from 3',
    },
    {
      name: 'maxReplicas',
      d: decision({ limits: limits({ limitReason: 'TooManyReplicas' }) }),
      want: 'maxReplicas 10',
    },
    {
      name: 'minReplicas',
      d: decision({ limits: limits({ limitReason: 'TooFewReplicas', minReplicas: 2 }) }),
      want: 'minReplicas 2',
    },
    {
      name: 'downscale stabilization',
      d: decision({
        limits: limits({
          limitReason: 'DesiredWithinRange',
          stabilization: {
            downWindowSeconds: 300,
            recommendation: 1,
            stabilized: 5,
            reason: 'ScaleDownStabilized',
          },
        }),
      }),
      want: 'scale-down stabilization: highest recommendation of the last 300s',
    },
    {
      name: 'no metrics read: the first explanation line',
      d: decision({ metrics: [] }),
      want: 'the target has 12 replicas, above maxReplicas 10: set to 10 without reading metrics',
    },
  ];
  it.each(cases)('$name', ({ d, want }) => expect(describeRule(d)).toBe(want));
});

describe('judgeAgreement', () => {
  const steps = (theirs: Array<number | undefined>, ours = 5, comparable = true) => {
    let memory: DisagreementMemory = {};
    return theirs.map((t) => {
      const v = judgeAgreement(memory, decision({ desiredReplicas: ours }), t, comparable);
      memory = v.memory;
      return [v.agrees, v.report];
    });
  };
  const cases = [
    {
      name: 'equal numbers agree',
      theirs: [5, 5],
      want: [
        [true, false],
        [true, false],
      ],
    },
    {
      name: 'one sync of lag is allowed',
      theirs: [3, 5],
      want: [
        [true, false],
        [true, false],
      ],
    },
    {
      name: 'a persisting difference is reported once',
      theirs: [3, 3, 3, 3],
      want: [
        [true, false],
        [false, true],
        [false, false],
        [false, false],
      ],
    },
    {
      name: 'a changed difference needs two syncs again and is reported again',
      theirs: [3, 3, 4, 4],
      want: [
        [true, false],
        [false, true],
        [true, false],
        [false, true],
      ],
    },
    {
      name: 'the same difference after agreeing is reported again',
      theirs: [3, 3, 5, 3, 3],
      want: [
        [true, false],
        [false, true],
        [true, false],
        [true, false],
        [false, true],
      ],
    },
    {
      name: 'no controller status is never a difference',
      theirs: [undefined, undefined],
      want: [
        [true, false],
        [true, false],
      ],
    },
  ];
  it.each(cases)('$name', ({ theirs, want }) => expect(steps(theirs)).toEqual(want));

  it('a failed evaluation claims nothing and does not re-report a difference already reported', () => {
    let memory: DisagreementMemory = {};
    const run = (comparable: boolean) => {
      const v = judgeAgreement(memory, decision(), 3, comparable);
      memory = v.memory;
      return [v.agrees, v.report];
    };
    expect([run(true), run(true), run(false), run(true), run(true)]).toEqual([
      [true, false],
      [false, true],
      [true, false],
      [true, false],
      [false, false],
    ]);
  });

  it('the difference names both numbers and the rule', () => {
    const v = judgeAgreement({ pending: '5/3' }, decision(), 3, true);
    expect(v.difference).toBe(
      'scaleplane recommends 5 (metric cpu: 90% of target 50%), controller has 3',
    );
  });
});
