import { describe, expect, it } from 'vitest';
import {
  badRequest,
  DurationError,
  forbidden,
  goQuote,
  groupResourceString,
  internalError,
  invalid,
  isNotFound,
  methodNotSupported,
  metricNotFound,
  metricNotFoundFor,
  metricNotFoundForSelector,
  notFound,
  parseSelector,
  Quantity,
  QuantityError,
  requestEntityTooLarge,
  SelectorError,
  serviceUnavailable,
  StatusError,
  timeout,
  toStatus,
  tooManyRequests,
  unauthorized,
  type Status,
} from '../../../src/k8s/index.js';

const nodes = { group: 'metrics.k8s.io', resource: 'nodes' };
const pods = { group: 'metrics.k8s.io', resource: 'pods' };
const corePods = { group: '', resource: 'pods' };

describe('status builders (apimachinery errors.go, custom-metrics-apiserver errors.go)', () => {
  const cases: {
    name: string;
    error: StatusError;
    code: number;
    reason: string;
    message: string;
    details?: Status['details'];
  }[] = [
    {
      name: 'not found',
      error: notFound(nodes, 'n1'),
      code: 404,
      reason: 'NotFound',
      message: 'nodes.metrics.k8s.io "n1" not found',
      details: { name: 'n1', group: 'metrics.k8s.io', kind: 'nodes' },
    },
    {
      name: 'not found in the core group omits the group',
      error: notFound(corePods, 'ns/p'),
      code: 404,
      reason: 'NotFound',
      message: 'pods "ns/p" not found',
      details: { name: 'ns/p', kind: 'pods' },
    },
    {
      name: 'bad request',
      error: badRequest('invalid label selector'),
      code: 400,
      reason: 'BadRequest',
      message: 'invalid label selector',
    },
    {
      name: 'invalid with one cause',
      error: invalid({ group: 'autoscaling', kind: 'HorizontalPodAutoscaler' }, 'web', [
        { field: 'spec.maxReplicas', message: 'Invalid value: 0: must be >= 1' },
      ]),
      code: 422,
      reason: 'Invalid',
      message:
        'HorizontalPodAutoscaler.autoscaling "web" is invalid: spec.maxReplicas: Invalid value: 0: must be >= 1',
      details: {
        name: 'web',
        group: 'autoscaling',
        kind: 'HorizontalPodAutoscaler',
        causes: [
          {
            type: 'FieldValueInvalid',
            message: 'Invalid value: 0: must be >= 1',
            field: 'spec.maxReplicas',
          },
        ],
      },
    },
    {
      name: 'invalid with two causes',
      error: invalid({ group: '', kind: 'Pod' }, 'p', [
        { field: 'a', message: 'x' },
        { field: 'b', message: 'y', type: 'FieldValueRequired' },
      ]),
      code: 422,
      reason: 'Invalid',
      message: 'Pod "p" is invalid: [a: x, b: y]',
      details: {
        name: 'p',
        kind: 'Pod',
        causes: [
          { type: 'FieldValueInvalid', message: 'x', field: 'a' },
          { type: 'FieldValueRequired', message: 'y', field: 'b' },
        ],
      },
    },
    {
      name: 'unauthorized default',
      error: unauthorized(),
      code: 401,
      reason: 'Unauthorized',
      message: 'Unauthorized',
    },
    {
      name: 'unauthorized message',
      error: unauthorized('token expired'),
      code: 401,
      reason: 'Unauthorized',
      message: 'token expired',
    },
    {
      name: 'forbidden, namespaced list',
      error: forbidden({
        user: 'jane',
        verb: 'list',
        group: 'metrics.k8s.io',
        resource: 'pods',
        namespace: 'ns',
      }),
      code: 403,
      reason: 'Forbidden',
      message:
        'pods.metrics.k8s.io is forbidden: User "jane" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "ns"',
      details: { group: 'metrics.k8s.io', kind: 'pods' },
    },
    {
      name: 'forbidden, named get with reason',
      error: forbidden(
        {
          user: 'jane',
          verb: 'get',
          group: 'metrics.k8s.io',
          resource: 'pods',
          namespace: 'ns',
          name: 'p1',
        },
        'no RBAC policy matched',
      ),
      code: 403,
      reason: 'Forbidden',
      message:
        'pods.metrics.k8s.io "p1" is forbidden: User "jane" cannot get resource "pods" in API group "metrics.k8s.io" in the namespace "ns": no RBAC policy matched',
      details: { name: 'p1', group: 'metrics.k8s.io', kind: 'pods' },
    },
    {
      name: 'forbidden, cluster scope with subresource',
      error: forbidden({
        user: 'system:anonymous',
        verb: 'get',
        group: 'custom.metrics.k8s.io',
        resource: 'nodes',
        subresource: 'cpu',
        name: 'n1',
      }),
      code: 403,
      reason: 'Forbidden',
      message:
        'nodes.custom.metrics.k8s.io "n1" is forbidden: User "system:anonymous" cannot get resource "nodes/cpu" in API group "custom.metrics.k8s.io" at the cluster scope',
      details: { name: 'n1', group: 'custom.metrics.k8s.io', kind: 'nodes' },
    },
    {
      name: 'forbidden, non-resource path',
      error: forbidden({ user: 'bob', verb: 'get', group: '', resource: '', path: '/metrics' }),
      code: 403,
      reason: 'Forbidden',
      message: 'forbidden: User "bob" cannot get path "/metrics"',
      details: {},
    },
    {
      name: 'forbidden sanitises HTML-looking text',
      error: forbidden({ user: '<b>&', verb: 'get', group: '', resource: '', path: '/x' }),
      code: 403,
      reason: 'Forbidden',
      message: 'forbidden: User "&lt;b&gt;&amp;" cannot get path "/x"',
      details: {},
    },
    {
      name: 'method not supported',
      error: methodNotSupported(pods, 'create'),
      code: 405,
      reason: 'MethodNotAllowed',
      message: 'create is not supported on resources of kind "pods.metrics.k8s.io"',
      details: { group: 'metrics.k8s.io', kind: 'pods' },
    },
    {
      name: 'entity too large',
      error: requestEntityTooLarge('limit is 3145728'),
      code: 413,
      reason: 'RequestEntityTooLarge',
      message: 'Request entity too large: limit is 3145728',
    },
    {
      name: 'too many requests',
      error: tooManyRequests('slow down', 2),
      code: 429,
      reason: 'TooManyRequests',
      message: 'slow down',
      details: { retryAfterSeconds: 2 },
    },
    {
      name: 'internal error',
      error: internalError(new Error('failed listing nodes: timeout')),
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: failed listing nodes: timeout',
      details: { causes: [{ message: 'failed listing nodes: timeout' }] },
    },
    {
      name: 'service unavailable',
      error: serviceUnavailable('store not ready'),
      code: 503,
      reason: 'ServiceUnavailable',
      message: 'store not ready',
    },
    {
      name: 'timeout',
      error: timeout('prometheus query', 1),
      code: 504,
      reason: 'Timeout',
      message: 'Timeout: prometheus query',
      details: { retryAfterSeconds: 1 },
    },
    {
      name: 'metric not found',
      error: metricNotFound(corePods, 'http_requests'),
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the metric http_requests for pods',
    },
    {
      name: 'metric not found for object',
      error: metricNotFoundFor(corePods, 'http_requests', 'foo'),
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the metric http_requests for pods foo',
    },
    {
      name: 'metric not found for object with selector',
      error: metricNotFoundForSelector(
        { group: 'apps', resource: 'deployments' },
        'qps',
        'web',
        parseSelector('tier=api,app=x'),
      ),
      code: 404,
      reason: 'NotFound',
      message:
        'the server could not find the metric qps for deployments.apps web with selector app=x,tier=api',
    },
  ];

  it.each(cases)('$name', ({ error, code, reason, message, details }) => {
    expect(error).toBeInstanceOf(StatusError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    const expected: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    };
    if (details !== undefined) expected.details = details;
    expect(error.status).toEqual(expected);
    // The wire form: exactly these keys, nothing undefined left in.
    expect(JSON.parse(JSON.stringify(error.status))).toEqual(expected);
  });

  it('keeps the wrapped error as cause', () => {
    const cause = new Error('boom');
    expect(internalError(cause).cause).toBe(cause);
  });

  it('prints group resources as kubectl does', () => {
    expect(groupResourceString(corePods)).toBe('pods');
    expect(groupResourceString(nodes)).toBe('nodes.metrics.k8s.io');
  });

  it('recognises NotFound, including metric errors', () => {
    expect(isNotFound(notFound(nodes, 'x'))).toBe(true);
    expect(isNotFound(metricNotFound(corePods, 'm'))).toBe(true);
    expect(isNotFound(badRequest('x'))).toBe(false);
    expect(isNotFound(new Error('not found'))).toBe(false);
  });
});

describe('toStatus', () => {
  it('returns a StatusError status unchanged', () => {
    const error = notFound(nodes, 'n1');
    expect(toStatus(error)).toBe(error.status);
  });

  const clientInput = [
    { name: 'selector', error: (): unknown => parseSelector('a b') },
    { name: 'quantity', error: (): unknown => Quantity.parse('1Kb') },
  ];
  it.each(clientInput)(
    'maps a $name parse error to 400 BadRequest with its message',
    ({ error }) => {
      let thrown: unknown;
      try {
        error();
      } catch (err) {
        thrown = err;
      }
      expect(thrown instanceof SelectorError || thrown instanceof QuantityError).toBe(true);
      const status = toStatus(thrown);
      expect(status.code).toBe(400);
      expect(status.reason).toBe('BadRequest');
      expect(status.message).toBe((thrown as Error).message);
    },
  );

  it('maps a duration error to 400', () => {
    expect(toStatus(new DurationError('1x', 'unknown unit "x"')).code).toBe(400);
  });

  const unknown = [
    { name: 'plain Error', value: new Error('password=hunter2 at /srv/secret.ts:10') },
    { name: 'TypeError', value: new TypeError('x is undefined') },
    { name: 'string', value: 'oops' },
    { name: 'undefined', value: undefined },
    { name: 'object with a code', value: { code: 404, message: 'nope' } },
  ];
  it.each(unknown)('hides a $name behind a 500 InternalError', ({ value }) => {
    const status = toStatus(value);
    expect(status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Internal error occurred: unexpected server error',
      reason: 'InternalError',
      code: 500,
    });
  });
});

describe('goQuote (strconv.Quote)', () => {
  const cases = [
    { name: 'plain', input: 'n1', want: '"n1"' },
    { name: 'quote and backslash', input: 'a"b\\c', want: '"a\\"b\\\\c"' },
    { name: 'newline and tab', input: 'a\nb\tc', want: '"a\\nb\\tc"' },
    { name: 'control character', input: '\x01', want: '"\\x01"' },
    { name: 'delete', input: '\x7f', want: '"\\x7f"' },
    { name: 'printable unicode stays', input: 'µs', want: '"µs"' },
  ];
  it.each(cases)('$name', ({ input, want }) => {
    expect(goQuote(input)).toBe(want);
  });
});
