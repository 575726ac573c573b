import { describe, expect, it } from 'vitest';
import type { DecisionCondition } from '../../../src/hpa/index.js';
import { conditionsOf, setCondition } from '../../../src/runtime/conditions.js';

const NOW = '2026-01-01T12:00:00Z';
const before: DecisionCondition = {
  type: 'AbleToScale',
  status: 'True',
  reason: 'SucceededGetScale',
  message: 'ok',
  lastTransitionTime: '2025-12-31T00:00:00Z',
};

describe('setCondition (setConditionInList): should pass', () => {
  const cases = [
    {
      name: 'same status keeps the transition time',
      status: 'True' as const,
      want: '2025-12-31T00:00:00Z',
    },
    { name: 'a new status moves it to now', status: 'False' as const, want: NOW },
  ];
  it.each(cases)('$name', ({ status, want }) => {
    const got = setCondition([before], 'AbleToScale', status, 'R', 'm', NOW);
    expect(got).toEqual([
      { type: 'AbleToScale', status, reason: 'R', message: 'm', lastTransitionTime: want },
    ]);
  });

  it('an absent condition is appended at now', () => {
    expect(
      setCondition([before], 'ScalingActive', 'False', 'R', 'm', NOW).map((c) => [
        c.type,
        c.lastTransitionTime,
      ]),
    ).toEqual([
      ['AbleToScale', '2025-12-31T00:00:00Z'],
      ['ScalingActive', NOW],
    ]);
  });

  it('conditions from an HPA status read Date and string times, and drop unknown types', () => {
    const got = conditionsOf(
      [
        {
          type: 'AbleToScale',
          status: 'True',
          reason: 'A',
          message: 'a',
          lastTransitionTime: new Date('2025-01-01T00:00:00Z'),
        },
        {
          type: 'ScalingActive',
          status: 'False',
          reason: 'B',
          lastTransitionTime: '2025-02-01T00:00:00Z' as unknown as Date,
        },
        { type: 'Custom', status: 'True' },
        { type: 'ScalingLimited', status: 'False' },
      ],
      NOW,
    );
    expect(got).toEqual([
      {
        type: 'AbleToScale',
        status: 'True',
        reason: 'A',
        message: 'a',
        lastTransitionTime: '2025-01-01T00:00:00Z',
      },
      {
        type: 'ScalingActive',
        status: 'False',
        reason: 'B',
        message: '',
        lastTransitionTime: '2025-02-01T00:00:00Z',
      },
      { type: 'ScalingLimited', status: 'False', reason: '', message: '', lastTransitionTime: NOW },
    ]);
  });
});
