import { describe, expect, it } from 'vitest';
import { labelSelectorJson, milliQuantity } from '../../../adapter/custom/index.js';
import { parseSelector } from '../../../src/k8s/index.js';

describe('milliQuantity: should pass', () => {
  const cases = [
    { name: 'fraction to milli', v: 1.5, want: '1500m' },
    { name: 'integer', v: 42, want: '42' },
    { name: 'thousands get the k suffix', v: 2000, want: '2k' },
    { name: 'below a milli truncates to zero', v: 0.0004, want: '0' },
    { name: 'truncation is toward zero for negatives', v: -0.0019, want: '-1m' },
    { name: 'NaN serves as zero, as prometheus-adapter does', v: Number.NaN, want: '0' },
  ];
  it.each(cases)('$name', ({ v, want }) => expect(milliQuantity(v)).toBe(want));
});

describe('labelSelectorJson: should pass', () => {
  const cases = [
    { name: 'everything is null', text: '', want: 'null' },
    {
      name: 'equality to matchLabels',
      text: 'a=1,b==2',
      want: '{"matchLabels":{"a":"1","b":"2"}}',
    },
    {
      name: 'existence without values',
      text: 'a,!b',
      want: '{"matchExpressions":[{"key":"a","operator":"Exists"},{"key":"b","operator":"DoesNotExist"}]}',
    },
    {
      name: 'inequality as NotIn',
      text: 'a!=1',
      want: '{"matchExpressions":[{"key":"a","operator":"NotIn","values":["1"]}]}',
    },
    {
      name: 'set operators keep sorted values',
      text: 'a in (z,y)',
      want: '{"matchExpressions":[{"key":"a","operator":"In","values":["y","z"]}]}',
    },
  ];
  it.each(cases)('$name', ({ text, want }) =>
    expect(labelSelectorJson(parseSelector(text))).toBe(want),
  );
});
