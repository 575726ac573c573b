import { describe, expect, it } from 'vitest';
import { describedKind } from '../../../adapter/custom/index.js';

describe('describedKind: should pass', () => {
  const cases = [
    {
      name: 'pods are core v1 Pods',
      gr: { group: '', resource: 'pods' },
      want: { kind: 'Pod', apiVersion: 'v1' },
    },
    {
      name: 'namespaces',
      gr: { group: '', resource: 'namespaces' },
      want: { kind: 'Namespace', apiVersion: 'v1' },
    },
    {
      name: 'endpoints keep their plural kind',
      gr: { group: '', resource: 'endpoints' },
      want: { kind: 'Endpoints', apiVersion: 'v1' },
    },
    {
      name: 'deployments.apps',
      gr: { group: 'apps', resource: 'deployments' },
      want: { kind: 'Deployment', apiVersion: 'apps/v1' },
    },
    {
      name: 'statefulsets.apps',
      gr: { group: 'apps', resource: 'statefulsets' },
      want: { kind: 'StatefulSet', apiVersion: 'apps/v1' },
    },
    {
      name: 'ingresses',
      gr: { group: 'networking.k8s.io', resource: 'ingresses' },
      want: { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1' },
    },
    {
      name: 'unknown resource in a known group: guessed kind, known version',
      gr: { group: 'batch', resource: 'widgets' },
      want: { kind: 'Widget', apiVersion: 'batch/v1' },
    },
    {
      name: 'unknown group: -ies becomes -y, version v1',
      gr: { group: 'example.com', resource: 'policies' },
      want: { kind: 'Policy', apiVersion: 'example.com/v1' },
    },
    {
      name: 'unknown group: -ses loses -es',
      gr: { group: 'example.com', resource: 'statuses' },
      want: { kind: 'Status', apiVersion: 'example.com/v1' },
    },
  ];
  it.each(cases)('$name', ({ gr, want }) => expect(describedKind(gr)).toEqual(want));
});
