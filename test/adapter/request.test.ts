import { describe, expect, it } from 'vitest';
import {
  boolParam,
  defaultRequestLimits,
  fieldSelectorParam,
  includeObjectParam,
  intParam,
  labelSelectorParam,
  negotiate,
} from '../../adapter/request.js';
import { StatusError } from '../../src/k8s/index.js';

const q = (s: string) => new URLSearchParams(s);
const limits = defaultRequestLimits;

describe('negotiate: should pass', () => {
  const cases = [
    { name: 'no Accept header is JSON', accept: undefined, table: true, want: { kind: 'json' } },
    { name: 'a wildcard is JSON', accept: '*/*', table: true, want: { kind: 'json' } },
    {
      name: 'kubectl get asks for Table v1 first',
      accept:
        'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      table: true,
      want: { kind: 'table', version: 'v1' },
    },
    {
      name: 'Table where none exists falls back to JSON',
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      table: false,
      want: { kind: 'json' },
    },
    {
      name: 'protobuf first, JSON second',
      accept: 'application/vnd.kubernetes.protobuf,application/json',
      table: true,
      want: { kind: 'json' },
    },
    {
      name: 'q values order the clauses',
      accept: 'application/json;q=0.5,application/json;as=Table;v=v1beta1;g=meta.k8s.io',
      table: true,
      want: { kind: 'table', version: 'v1beta1' },
    },
    {
      name: 'aggregated discovery falls back to the legacy document',
      accept:
        'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      table: false,
      want: { kind: 'json' },
    },
  ];
  it.each(cases)('$name', ({ accept, table, want }) =>
    expect(negotiate(accept, table)).toEqual(want),
  );
});

describe('negotiate: should fail', () => {
  const cases = [
    { name: 'YAML only', accept: 'application/yaml' },
    { name: 'Table of an unknown version', accept: 'application/json;as=Table;v=v2;g=meta.k8s.io' },
    { name: 'JSON refused by q=0', accept: 'application/json;q=0' },
  ];
  it.each(cases)('$name', ({ accept }) => {
    expect(() => negotiate(accept, true)).toThrow(StatusError);
    try {
      negotiate(accept, true);
    } catch (err) {
      expect((err as StatusError).status.code).toBe(406);
    }
  });
});

describe('query parameters: should pass', () => {
  const cases = [
    {
      name: 'bool true words',
      run: () => ['1', 't', 'TRUE', 'True'].map((v) => boolParam(q(`pretty=${v}`), 'pretty')),
      want: [true, true, true, true],
    },
    {
      name: 'bool false words',
      run: () => ['0', 'f', 'false'].map((v) => boolParam(q(`pretty=${v}`), 'pretty')),
      want: [false, false, false],
    },
    { name: 'absent bool', run: () => boolParam(q(''), 'pretty'), want: undefined },
    { name: 'int with sign', run: () => intParam(q('limit=-5'), 'limit'), want: -5 },
    {
      name: 'first of repeated values wins',
      run: () => intParam(q('limit=3&limit=x'), 'limit'),
      want: 3,
    },
    { name: 'includeObject default', run: () => includeObjectParam(q('')), want: 'Metadata' },
    {
      name: 'label selector canonical text',
      run: () => labelSelectorParam(q('labelSelector=b%3D1,a'), 'labelSelector', limits).toString(),
      want: 'a,b=1',
    },
    {
      name: 'field selector on allowed fields',
      run: () =>
        fieldSelectorParam(
          q('fieldSelector=metadata.name!%3Dx'),
          ['metadata.name'],
          limits,
        ).toString(),
      want: 'metadata.name!=x',
    },
  ];
  it.each(cases)('$name', ({ run, want }) => expect(run()).toEqual(want));
});

describe('query parameters: should fail', () => {
  const cases = [
    {
      name: 'bool yes',
      run: () => boolParam(q('watch=yes'), 'watch'),
      message: 'invalid value "yes" for query parameter "watch": must be a boolean',
    },
    {
      name: 'int with a fraction',
      run: () => intParam(q('limit=1.5'), 'limit'),
      message: 'invalid value "1.5" for query parameter "limit": must be an integer',
    },
    {
      name: 'int beyond int64',
      run: () => intParam(q('limit=9223372036854775808'), 'limit'),
      message:
        'invalid value "9223372036854775808" for query parameter "limit": must be an integer',
    },
    {
      name: 'empty int',
      run: () => intParam(q('limit='), 'limit'),
      message: 'invalid value "" for query parameter "limit": must be an integer',
    },
    {
      name: 'selector longer than the limit counts bytes, not characters',
      run: () =>
        labelSelectorParam(q(`labelSelector=a%3D${'é'.repeat(4100)}`), 'labelSelector', limits),
      message: 'labelSelector is longer than the limit of 8192 bytes',
    },
    {
      name: 'field not allowed',
      run: () => fieldSelectorParam(q('fieldSelector=spec.x%3D1'), ['metadata.name'], limits),
      message: '"spec.x" is not a known field selector: only "metadata.name"',
    },
  ];
  it.each(cases)('$name', ({ run, message }) => {
    try {
      run();
      expect.unreachable();
    } catch (err) {
      expect((err as StatusError).status).toMatchObject({
        code: 400,
        reason: 'BadRequest',
        message,
      });
    }
  });
});
