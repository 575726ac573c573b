import { describe, expect, it } from 'vitest';
import {
  controllerOutcome,
  disagreements,
  trajectory,
  type ControllerView,
  type RecommendationView,
  type Sample,
} from './differential.js';

const failedMetric = [
  { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' },
];
const active = [{ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' }];

function controller(desiredReplicas: number | undefined, conditions = active): ControllerView {
  return { desiredReplicas, conditions };
}

function ours(atMs: number, desiredReplicas: number, failed = false): RecommendationView {
  return {
    evaluatedAt: new Date(atMs).toISOString(),
    result: failed ? 'failed' : 'unchanged',
    decision: {
      desiredReplicas,
      currentReplicas: desiredReplicas,
      conditions: failed ? failedMetric : active,
      explanation: [`recommend ${desiredReplicas}`],
      metrics: [],
    },
    agrees: true,
  };
}

/** One sample a second: [controller view, scaleplane's latest evaluation]. */
function timeline(rows: [ControllerView, RecommendationView | undefined][]): Sample[] {
  return rows.map(([c, r], i) => ({
    atMs: i * 1000,
    phase: 'p',
    controller: c,
    ...(r ? { scaleplane: r } : {}),
  }));
}

describe('controllerOutcome', () => {
  const cases = [
    { name: 'a computed count', view: controller(4), want: 4 },
    {
      name: 'failed metrics: the stale status count is not a conclusion',
      view: controller(0, failedMetric),
      want: 'not computed (FailedGetResourceMetric)',
    },
    { name: 'before the first sync', view: controller(undefined, []), want: undefined },
    {
      name: "a new object's zero status is not a conclusion",
      view: controller(0, []),
      want: undefined,
    },
  ];
  it.each(cases)('$name', ({ view, want }) => expect(controllerOutcome(view)).toBe(want));
});

describe('disagreements', () => {
  const cases: {
    name: string;
    samples: Sample[];
    lagMs: number;
    want: { side: string; outcome: unknown }[];
  }[] = [
    {
      name: 'the same counts agree',
      samples: timeline([
        [controller(4), ours(0, 4)],
        [controller(4), ours(0, 4)],
      ]),
      lagMs: 2000,
      want: [],
    },
    {
      name: 'one sync of lag either way is allowed',
      samples: timeline([
        [controller(4), ours(0, 4)],
        [controller(4), ours(1000, 8)],
        [controller(8), ours(1000, 8)],
        [controller(8), ours(1000, 8)],
      ]),
      lagMs: 1500,
      want: [],
    },
    {
      name: 'both failing to compute agree; a stale 0 on the controller is not compared',
      samples: timeline([
        [controller(0, failedMetric), ours(0, 4, true)],
        [controller(0, failedMetric), ours(1000, 4, true)],
      ]),
      lagMs: 1000,
      want: [],
    },
    {
      name: 'a count the controller never reached within the lag is recorded on both sides',
      samples: timeline([
        [controller(4), ours(0, 4)],
        [controller(4), ours(1000, 5)],
        [controller(4), ours(1000, 5)],
        [controller(6), ours(3000, 4)],
      ]),
      lagMs: 1000,
      want: [
        { side: 'scaleplane', outcome: 5 },
        { side: 'controller', outcome: 6 },
      ],
    },
    {
      name: 'one side computing while the other fails is a disagreement',
      samples: timeline([[controller(3), ours(0, 3, true)]]),
      lagMs: 1000,
      want: [
        { side: 'scaleplane', outcome: 'not computed (FailedGetResourceMetric)' },
        { side: 'controller', outcome: 3 },
      ],
    },
  ];
  it.each(cases)('$name', ({ samples, lagMs, want }) => {
    expect(
      disagreements(samples, lagMs).map((d) => ({ side: d.side, outcome: d.outcome })),
    ).toEqual(want);
  });

  it('carries both explanations', () => {
    const [d] = disagreements(timeline([[controller(4), ours(0, 5)]]), 1000);
    expect(d).toMatchObject({
      scaleplaneExplanation: ['recommend 5'],
      controllerConditions: ['ScalingActive=True ValidMetricFound: '],
    });
  });
});

describe('trajectory', () => {
  it('keeps each distinct outcome once per run, in order', () => {
    expect(trajectory([undefined, 'not computed (x)', 4, 4, 8, undefined, 8, 10, 2])).toEqual([
      'not computed (x)',
      4,
      8,
      10,
      2,
    ]);
  });
});
