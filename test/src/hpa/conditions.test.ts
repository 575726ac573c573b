import { describe, expect, it } from 'vitest';
import { ConditionSet } from '../../../src/hpa/conditions.js';
import { NOW, at } from '../../support/hpa-builders.js';

describe('ConditionSet (setConditionInList)', () => {
  const earlier = at(-600);
  const cases = [
    { name: 'a new condition transitions now', previous: [], status: 'True' as const, time: NOW },
    {
      name: 'same status keeps the previous transition time',
      previous: [{ type: 'ScalingActive', status: 'True', lastTransitionTime: new Date(earlier) }],
      status: 'True' as const,
      time: earlier,
    },
    {
      name: 'same status as an RFC 3339 string keeps it too',
      previous: [
        { type: 'ScalingActive', status: 'True', lastTransitionTime: earlier as unknown as Date },
      ],
      status: 'True' as const,
      time: earlier,
    },
    {
      name: 'a changed status transitions now',
      previous: [{ type: 'ScalingActive', status: 'False', lastTransitionTime: new Date(earlier) }],
      status: 'True' as const,
      time: NOW,
    },
    {
      name: 'Unknown to False is a change',
      previous: [
        { type: 'ScalingActive', status: 'Unknown', lastTransitionTime: new Date(earlier) },
      ],
      status: 'False' as const,
      time: NOW,
    },
    {
      name: 'a previous condition without a time gets now',
      previous: [{ type: 'ScalingActive', status: 'True' }],
      status: 'True' as const,
      time: NOW,
    },
  ];
  it.each(cases)('$name', (c) => {
    const set = new ConditionSet(c.previous, NOW);
    set.set('ScalingActive', c.status, 'ValidMetricFound', 'msg');
    expect(set.list()).toEqual([
      {
        type: 'ScalingActive',
        status: c.status,
        reason: 'ValidMetricFound',
        message: 'msg',
        lastTransitionTime: c.time,
      },
    ]);
  });

  it('setting twice in one sync keeps the first transition when the status holds', () => {
    const set = new ConditionSet(
      [{ type: 'AbleToScale', status: 'True', lastTransitionTime: new Date(earlier) }],
      NOW,
    );
    set.set('AbleToScale', 'True', 'SucceededGetScale', 'a');
    set.set('AbleToScale', 'True', 'SucceededRescale', 'b');
    expect(set.get('AbleToScale')).toMatchObject({
      reason: 'SucceededRescale',
      message: 'b',
      lastTransitionTime: earlier,
    });
  });

  it('lists only conditions set this sync, in the controller order', () => {
    const set = new ConditionSet([{ type: 'ScalingLimited', status: 'True' }], NOW);
    set.set('ScalingActive', 'False', 'FailedGetResourceMetric', 'x');
    set.set('AbleToScale', 'True', 'SucceededGetScale', 'y');
    expect(set.list().map((c) => c.type)).toEqual(['AbleToScale', 'ScalingActive']);
  });
});
