/**
 * Why each aggregator routing mode needs its own mechanism: the other one is refused. Used by
 * control-plane.test.ts, one check per mode.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ControlPlane } from '../control-plane.js';
import { waitFor } from '../harness/wait.js';
import { apiService, apiServiceAvailability } from './objects.js';

/** Endpoints validation (ValidateEndpointIP) rejects a loopback address for a local process. */
export async function loopbackEndpointsRejected(cluster: ControlPlane): Promise<void> {
  const service = { namespace: 'kube-system', name: 'loopback' };
  await cluster.kube.apply([
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: service,
      spec: { ports: [{ name: 'https', port: 443 }] },
    },
  ]);
  const file = join(cluster.dir, 'loopback-endpoints.json');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: service,
      subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443 }] }],
    }),
  );
  const res = await cluster.kube.run(['apply', '-f', file]);
  expect(res.code).not.toBe(0);
  expect(res.stderr).toMatch(
    /subsets\[0\]\.addresses\[0\]\.ip: Invalid value: "127\.0\.0\.1": may not be in the loopback range/,
  );
}

/** With --enable-aggregator-routing, ResolveEndpoint refuses ExternalName Services. */
export async function externalNameRefused(cluster: ControlPlane): Promise<void> {
  const service = { namespace: 'kube-system', name: 'by-name' };
  await cluster.kube.apply([
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: service,
      spec: { type: 'ExternalName', externalName: 'localhost' },
    },
    apiService(
      'custom.metrics.k8s.io',
      'v1beta1',
      { ...service, port: 443 },
      cluster.pki.ca.certPem,
    ),
  ]);
  const refused = await waitFor(
    'v1beta1.custom.metrics.k8s.io refused',
    async () => {
      const c = await apiServiceAvailability(cluster.kube, 'v1beta1.custom.metrics.k8s.io');
      return c?.status === 'False' ? c : undefined;
    },
    { timeoutMs: 60_000 },
  );
  expect(refused).toMatchObject({
    reason: 'FailedDiscoveryCheck',
    message: expect.stringContaining('unsupported service type "ExternalName"'),
  });
}
