import { describe, expect, it } from 'vitest';
import { guessResource, resolveObjectResource } from '../../../src/runtime/index.js';

describe('guessResource (UnsafeGuessKindToResource): should pass', () => {
  const cases = [
    { name: 'plain kind', kind: 'Service', want: 'services' },
    { name: 'ending in s', kind: 'Ingress', want: 'ingresses' },
    { name: 'ending in y', kind: 'NetworkPolicy', want: 'networkpolicies' },
    { name: 'custom kind', kind: 'Worker', want: 'workers' },
  ];
  it.each(cases)('$name', ({ kind, want }) => expect(guessResource(kind)).toBe(want));
});

describe('resolveObjectResource: should pass', () => {
  const cases = [
    {
      name: 'a common kind with its apiVersion',
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      want: { group: 'apps', resource: 'deployments' },
    },
    {
      name: 'a common kind without apiVersion takes its usual group',
      apiVersion: undefined,
      kind: 'StatefulSet',
      want: { group: 'apps', resource: 'statefulsets' },
    },
    {
      name: 'a core kind',
      apiVersion: 'v1',
      kind: 'Service',
      want: { group: '', resource: 'services' },
    },
    {
      name: 'Endpoints is not guessed',
      apiVersion: 'v1',
      kind: 'Endpoints',
      want: { group: '', resource: 'endpoints' },
    },
    {
      name: 'a common kind name in another group is guessed there',
      apiVersion: 'example.com/v1',
      kind: 'Deployment',
      want: { group: 'example.com', resource: 'deployments' },
    },
    {
      name: 'an unknown kind is guessed in its group',
      apiVersion: 'example.com/v1',
      kind: 'Worker',
      want: { group: 'example.com', resource: 'workers' },
    },
  ];
  it.each(cases)('$name', async ({ apiVersion, kind, want }) =>
    expect(await resolveObjectResource(apiVersion, kind)).toEqual(want),
  );

  it('the pluggable resolver answers first', async () => {
    const resolver = () => Promise.resolve({ group: 'apps', resource: 'deployments-v2' });
    expect(await resolveObjectResource('apps/v1', 'Deployment', resolver)).toEqual({
      group: 'apps',
      resource: 'deployments-v2',
    });
  });
});

describe('resolveObjectResource: should fall back', () => {
  const cases = [
    { name: 'the resolver does not know the kind', resolver: () => Promise.resolve(undefined) },
    {
      name: 'the resolver fails (discovery down)',
      resolver: () => Promise.reject(new Error('ECONNREFUSED')),
    },
  ];
  it.each(cases)('$name', async ({ resolver }) => {
    expect(await resolveObjectResource('networking.k8s.io/v1', 'Ingress', resolver)).toEqual({
      group: 'networking.k8s.io',
      resource: 'ingresses',
    });
  });
});
