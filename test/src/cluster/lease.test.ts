import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  KubeApiError,
  KubeHttpClient,
  LeaseClient,
  decodeLease,
  formatMicroTime,
} from '../../../src/cluster/index.js';
import { API_SERVER, testKubeConfig } from '../../support/fake-cluster-api.js';

const PATH = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases';
const record = {
  holderIdentity: 'pod-a_1',
  leaseDurationSeconds: 15,
  acquireTime: '2026-01-01T12:00:00.000000Z',
  renewTime: '2026-01-01T12:00:02.000000Z',
  leaseTransitions: 3,
};

function client(): LeaseClient {
  return new LeaseClient(new KubeHttpClient({ kubeConfig: testKubeConfig() }), 'kube-system', 'sp');
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('LeaseClient over HTTP: should pass', () => {
  it('get: a missing Lease is undefined', async () => {
    nock(API_SERVER)
      .get(`${PATH}/sp`)
      .reply(404, { kind: 'Status', reason: 'NotFound', message: 'not found' });
    expect(await client().get()).toBeUndefined();
  });

  it('create: POSTs a coordination.k8s.io/v1 Lease', async () => {
    let sent: unknown;
    nock(API_SERVER)
      .post(PATH, (b) => ((sent = b), true))
      .reply(201, { metadata: { name: 'sp', resourceVersion: '7' }, spec: record });
    const got = await client().create(record);
    expect(sent).toEqual({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'sp', namespace: 'kube-system' },
      spec: record,
    });
    expect(got.resourceVersion).toBe('7');
  });

  it('update: PUTs with the resourceVersion read, keeps labels, drops managedFields', async () => {
    let sent: { metadata?: Record<string, unknown> } = {};
    nock(API_SERVER)
      .put(`${PATH}/sp`, (b: typeof sent) => ((sent = b), true))
      .reply(200, { metadata: { name: 'sp', resourceVersion: '9' }, spec: record });
    const read = decodeLease({
      metadata: { name: 'sp', resourceVersion: '8', labels: { a: 'b' }, managedFields: [{}] },
      spec: record,
    });
    await client().update(read, { ...record, holderIdentity: '' });
    expect(sent.metadata).toEqual({
      name: 'sp',
      namespace: 'kube-system',
      resourceVersion: '8',
      labels: { a: 'b' },
    });
    expect((sent as { spec: Record<string, unknown> }).spec).not.toHaveProperty('holderIdentity');
  });
});

describe('LeaseClient over HTTP: should fail', () => {
  it('update: a 409 Conflict rejects with the API error', async () => {
    nock(API_SERVER)
      .put(`${PATH}/sp`)
      .reply(409, { kind: 'Status', reason: 'Conflict', message: 'the object has been modified' });
    await expect(client().update(decodeLease({ spec: record }), record)).rejects.toBeInstanceOf(
      KubeApiError,
    );
  });

  it.each([
    { name: 'not an object', body: 'x' },
    {
      name: 'spec fields of the wrong type',
      body: { spec: { holderIdentity: 5, leaseTransitions: -1 } },
    },
  ])('decodeLease: $name reads as zero values', ({ body }) => {
    expect(decodeLease(body).record).toEqual({
      holderIdentity: '',
      leaseDurationSeconds: 0,
      acquireTime: undefined,
      renewTime: undefined,
      leaseTransitions: 0,
    });
  });

  it('formatMicroTime: six fractional digits, UTC', () => {
    expect(formatMicroTime(Date.UTC(2026, 0, 1, 12, 0, 0, 123))).toBe(
      '2026-01-01T12:00:00.123000Z',
    );
  });
});
