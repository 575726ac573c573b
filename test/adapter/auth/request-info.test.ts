import { describe, expect, it } from 'vitest';
import { requestInfo } from '../../../adapter/auth/index.js';
import { StatusError } from '../../../src/k8s/index.js';

const M = 'metrics.k8s.io';
const C = 'custom.metrics.k8s.io';
const E = 'external.metrics.k8s.io';

/** [verb, group, version, namespace, resource, subresource, name] of a resource request. */
type Want = [string, string, string, string, string, string, string];

const resourceCases: Array<{ name: string; method?: string; url: string; want: Want }> = [
  {
    name: 'metrics: list nodes',
    url: `/apis/${M}/v1beta1/nodes`,
    want: ['list', M, 'v1beta1', '', 'nodes', '', ''],
  },
  {
    name: 'metrics: get one node',
    url: `/apis/${M}/v1beta1/nodes/n1`,
    want: ['get', M, 'v1beta1', '', 'nodes', '', 'n1'],
  },
  {
    name: 'metrics: list nodes by label',
    url: `/apis/${M}/v1beta1/nodes?labelSelector=zone%3Da`,
    want: ['list', M, 'v1beta1', '', 'nodes', '', ''],
  },
  {
    name: 'metrics: list pods of all namespaces',
    url: `/apis/${M}/v1beta1/pods`,
    want: ['list', M, 'v1beta1', '', 'pods', '', ''],
  },
  {
    name: 'metrics: list pods in a namespace',
    url: `/apis/${M}/v1beta1/namespaces/ns1/pods`,
    want: ['list', M, 'v1beta1', 'ns1', 'pods', '', ''],
  },
  {
    name: 'metrics: get one pod',
    url: `/apis/${M}/v1beta1/namespaces/ns1/pods/p1`,
    want: ['get', M, 'v1beta1', 'ns1', 'pods', '', 'p1'],
  },
  {
    name: 'metrics: trailing slash is the same list',
    url: `/apis/${M}/v1beta1/nodes/`,
    want: ['list', M, 'v1beta1', '', 'nodes', '', ''],
  },
  {
    name: 'metrics: fieldSelector metadata.name names the object',
    url: `/apis/${M}/v1beta1/nodes?fieldSelector=metadata.name%3Dn2`,
    want: ['list', M, 'v1beta1', '', 'nodes', '', 'n2'],
  },
  {
    name: 'metrics: fieldSelector == also names it',
    url: `/apis/${M}/v1beta1/nodes?fieldSelector=metadata.name%3D%3Dn2,spec.x%3Dy`,
    want: ['list', M, 'v1beta1', '', 'nodes', '', 'n2'],
  },
  {
    name: 'metrics: fieldSelector != names nothing',
    url: `/apis/${M}/v1beta1/nodes?fieldSelector=metadata.name!%3Dn2`,
    want: ['list', M, 'v1beta1', '', 'nodes', '', ''],
  },
  {
    name: 'metrics: watch=true is a watch',
    url: `/apis/${M}/v1beta1/nodes?watch=true`,
    want: ['watch', M, 'v1beta1', '', 'nodes', '', ''],
  },
  {
    name: 'metrics: watch=0 is a list',
    url: `/apis/${M}/v1beta1/nodes?watch=0`,
    want: ['list', M, 'v1beta1', '', 'nodes', '', ''],
  },
  {
    name: 'metrics: watch=False is a list',
    url: `/apis/${M}/v1beta1/nodes?watch=False`,
    want: ['list', M, 'v1beta1', '', 'nodes', '', ''],
  },
  {
    name: 'metrics: empty watch value is a watch',
    url: `/apis/${M}/v1beta1/nodes?watch=`,
    want: ['watch', M, 'v1beta1', '', 'nodes', '', ''],
  },
  {
    name: 'metrics: /watch/ prefix is a watch',
    url: `/apis/${M}/v1beta1/watch/namespaces/ns1/pods`,
    want: ['watch', M, 'v1beta1', 'ns1', 'pods', '', ''],
  },
  {
    name: 'metrics: escaped namespace is decoded',
    url: `/apis/${M}/v1beta1/namespaces/kube%2Dsystem/pods`,
    want: ['list', M, 'v1beta1', 'kube-system', 'pods', '', ''],
  },
  {
    name: 'custom: pods/* metric in a namespace',
    url: `/apis/${C}/v1beta2/namespaces/default/pods/*/http_requests`,
    want: ['get', C, 'v1beta2', 'default', 'pods', 'http_requests', '*'],
  },
  {
    name: 'custom: pods/* metric with a selector',
    url: `/apis/${C}/v1beta2/namespaces/default/pods/*/http_requests?labelSelector=app%3Dweb`,
    want: ['get', C, 'v1beta2', 'default', 'pods', 'http_requests', '*'],
  },
  {
    name: 'custom: object by name',
    url: `/apis/${C}/v1beta2/namespaces/default/services/frontend/hits`,
    want: ['get', C, 'v1beta2', 'default', 'services', 'hits', 'frontend'],
  },
  {
    name: 'custom: root-scoped nodes/* metric',
    url: `/apis/${C}/v1beta1/nodes/*/cpu_temp`,
    want: ['get', C, 'v1beta1', '', 'nodes', 'cpu_temp', '*'],
  },
  {
    name: 'custom: namespace object metric',
    url: `/apis/${C}/v1beta2/namespaces/default/metrics/queue_depth`,
    want: ['get', C, 'v1beta2', 'default', 'metrics', '', 'queue_depth'],
  },
  {
    name: 'custom: metric name with a dot and escapes',
    url: `/apis/${C}/v1beta2/namespaces/d/pods/p%2D1/m.x`,
    want: ['get', C, 'v1beta2', 'd', 'pods', 'm.x', 'p-1'],
  },
  {
    name: 'external: metric in a namespace is a list',
    url: `/apis/${E}/v1beta1/namespaces/default/queue_messages_ready?labelSelector=queue%3Dw`,
    want: ['list', E, 'v1beta1', 'default', 'queue_messages_ready', '', ''],
  },
  {
    name: 'core group: pod by name',
    url: '/api/v1/namespaces/ns/pods/p',
    want: ['get', '', 'v1', 'ns', 'pods', '', 'p'],
  },
  {
    name: 'core group: namespace status subresource',
    url: '/api/v1/namespaces/ns/status',
    want: ['get', '', 'v1', 'ns', 'namespaces', 'status', 'ns'],
  },
  {
    name: 'POST is create',
    method: 'POST',
    url: `/apis/${M}/v1beta1/nodes`,
    want: ['create', M, 'v1beta1', '', 'nodes', '', ''],
  },
  {
    name: 'DELETE without a name is deletecollection',
    method: 'DELETE',
    url: `/apis/${M}/v1beta1/nodes`,
    want: ['deletecollection', M, 'v1beta1', '', 'nodes', '', ''],
  },
  {
    name: 'HEAD reads like GET',
    method: 'HEAD',
    url: `/apis/${M}/v1beta1/nodes/n1`,
    want: ['get', M, 'v1beta1', '', 'nodes', '', 'n1'],
  },
  {
    name: 'OPTIONS has no verb',
    method: 'OPTIONS',
    url: `/apis/${M}/v1beta1/nodes/n1`,
    want: ['', M, 'v1beta1', '', 'nodes', '', 'n1'],
  },
];

const nonResourceCases = [
  { name: 'the /apis group list', url: '/apis', path: '/apis' },
  { name: 'a group document', url: `/apis/${M}`, path: `/apis/${M}` },
  { name: 'a group-version resource list', url: `/apis/${C}/v1beta2`, path: `/apis/${C}/v1beta2` },
  { name: 'openapi v2', url: '/openapi/v2?timeout=32s', path: '/openapi/v2' },
  {
    name: 'openapi v3 group',
    url: `/openapi/v3/apis/${M}/v1beta1`,
    path: `/openapi/v3/apis/${M}/v1beta1`,
  },
  { name: 'version', url: '/version', path: '/version' },
  { name: 'healthz check', url: '/healthz/ping', path: '/healthz/ping' },
  { name: 'root', url: '/', path: '/' },
  { name: 'core version list', url: '/api/v1', path: '/api/v1' },
  {
    name: 'unknown prefix with many parts',
    url: `/metrics/${M}/v1beta1/nodes`,
    path: `/metrics/${M}/v1beta1/nodes`,
  },
];

describe('requestInfo: should pass', () => {
  it.each(resourceCases)('$name', ({ method, url, want }) => {
    const info = requestInfo(method ?? 'GET', url);
    expect(info.isResourceRequest).toBe(true);
    expect([
      info.verb,
      info.apiGroup,
      info.apiVersion,
      info.namespace,
      info.resource,
      info.subresource,
      info.name,
    ]).toEqual(want);
  });

  it.each(nonResourceCases)('non-resource: $name', ({ url, path }) => {
    const info = requestInfo('GET', url);
    expect(info).toMatchObject({
      isResourceRequest: false,
      verb: 'get',
      path,
      resource: '',
      apiGroup: '',
    });
  });

  it('non-resource verbs are the lower-case HTTP method', () => {
    expect(requestInfo('POST', '/apis').verb).toBe('post');
  });
});

describe('requestInfo: should fail', () => {
  const cases = [
    {
      name: 'a malformed escape in a segment',
      url: `/apis/${M}/v1beta1/namespaces/%E0%A4%A/pods`,
      message: /invalid URL escape/,
    },
    {
      name: 'a special verb without a resource',
      url: `/apis/${M}/v1beta1/watch`,
      message: /unable to determine kind and namespace/,
    },
    {
      name: 'an absolute-form target, never authorized as the non-resource path "https://..."',
      url: `https://host/apis/${M}/v1beta1/nodes`,
      message: /origin form/,
    },
    { name: 'the asterisk form', url: '*', message: /origin form/ },
  ];
  it.each(cases)('$name', ({ url, message }) => {
    let thrown: unknown;
    try {
      requestInfo('GET', url);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(StatusError);
    expect((thrown as StatusError).code).toBe(400);
    expect((thrown as StatusError).message).toMatch(message);
  });
});
