import { describe, expect, it } from 'vitest';
import {
  parseCustomPath,
  parseGroupResource,
  pathSegments,
} from '../../../adapter/custom/index.js';

describe('parseCustomPath: should pass', () => {
  const cases = [
    {
      name: 'root-scoped object by name',
      path: '/nodes/n1/load',
      want: {
        groupResource: { group: '', resource: 'nodes' },
        namespace: undefined,
        name: 'n1',
        metric: 'load',
      },
    },
    {
      name: 'root-scoped by selector',
      path: '/nodes/*/load',
      want: {
        groupResource: { group: '', resource: 'nodes' },
        namespace: undefined,
        name: '*',
        metric: 'load',
      },
    },
    {
      name: 'namespaced object in a group',
      path: '/namespaces/d/deployments.apps/web/rps',
      want: {
        groupResource: { group: 'apps', resource: 'deployments' },
        namespace: 'd',
        name: 'web',
        metric: 'rps',
      },
    },
    {
      name: 'the namespace object itself',
      path: '/namespaces/d/metrics/queue',
      want: {
        groupResource: { group: '', resource: 'namespaces' },
        namespace: undefined,
        name: 'd',
        metric: 'queue',
      },
    },
    {
      name: 'a dotted group keeps every dot after the first',
      path: '/namespaces/d/ingresses.networking.k8s.io/i/rps',
      want: {
        groupResource: { group: 'networking.k8s.io', resource: 'ingresses' },
        namespace: 'd',
        name: 'i',
        metric: 'rps',
      },
    },
    {
      name: 'percent-encoded metric names decode',
      path: '/nodes/n1/request_count%3Arate1m',
      want: {
        groupResource: { group: '', resource: 'nodes' },
        namespace: undefined,
        name: 'n1',
        metric: 'request_count:rate1m',
      },
    },
    {
      name: 'a trailing slash is ignored',
      path: '/nodes/n1/load/',
      want: {
        groupResource: { group: '', resource: 'nodes' },
        namespace: undefined,
        name: 'n1',
        metric: 'load',
      },
    },
  ];
  it.each(cases)('$name', ({ path, want }) =>
    expect(parseCustomPath(pathSegments(path)!)).toEqual(want),
  );
});

describe('parseCustomPath: should fail', () => {
  const cases = [
    { name: 'empty path', path: '/' },
    { name: 'root resource leaf', path: '/nodes/foo' },
    { name: 'namespaced resource leaf', path: '/namespaces/ns/pods/bar' },
    { name: 'four segments not naming metrics', path: '/namespaces/ns/pods/x' },
    { name: 'five segments outside namespaces', path: '/apps/ns/pods/x/m' },
    { name: 'six segments', path: '/namespaces/ns/pods/x/m/extra' },
    { name: 'an empty segment', path: '/nodes//load' },
  ];
  it.each(cases)('$name', ({ path }) =>
    expect(parseCustomPath(pathSegments(path)!)).toBeUndefined(),
  );

  it('a segment that does not decode is no path at all', () =>
    expect(pathSegments('/nodes/%E0%A4%A/m')).toBeUndefined());
});

describe('parseGroupResource: should pass', () => {
  const cases = [
    { name: 'core group', text: 'pods', want: { group: '', resource: 'pods' } },
    {
      name: 'named group',
      text: 'deployments.apps',
      want: { group: 'apps', resource: 'deployments' },
    },
  ];
  it.each(cases)('$name', ({ text, want }) => expect(parseGroupResource(text)).toEqual(want));
});
