/**
 * `helm upgrade` must not rotate the generated certificate: the Secret template looks up the
 * existing Secret and keeps its keys. `lookup` needs an API server, so helm renders with
 * --dry-run=server against a loopback fake serving just the discovery document and the Secret.
 */
import type { V1APIService, V1Secret } from '@kubernetes/client-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureHelm,
  getObject,
  helmTemplate,
  ofKind,
  TOOL_BUILD_TIMEOUT_MS,
} from '../support/helm.js';

const secretPath = '/api/v1/namespaces/monitoring/secrets/sp-scaleplane-tls';
/** The Secret the fake serves; undefined answers 404 like a first install. */
let existing: Record<string, string> | undefined;
const requests: string[] = [];

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

let server: Server;
let dir = '';
let kubeconfig = '';

beforeAll(async () => {
  await ensureHelm();
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    requests.push(path);
    // helm's lookup (pkg/engine/lookup_func.go) maps the kind through the group-version's resource list.
    if (path === '/api/v1') {
      return json(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: 'v1',
        resources: [
          {
            name: 'secrets',
            singularName: 'secret',
            namespaced: true,
            kind: 'Secret',
            verbs: ['get'],
          },
        ],
      });
    }
    if (path === secretPath && existing) {
      return json(res, 200, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'sp-scaleplane-tls', namespace: 'monitoring' },
        type: 'kubernetes.io/tls',
        data: existing,
      });
    }
    json(res, 404, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  dir = mkdtempSync(join(tmpdir(), 'scaleplane-lookup-'));
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: fake, cluster: {server: "http://127.0.0.1:${port}"}}]\nusers: [{name: fake, user: {token: fake}}]\ncontexts: [{name: fake, context: {cluster: fake, user: fake}}]\ncurrent-context: fake\n`,
  );
}, TOOL_BUILD_TIMEOUT_MS);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const previous = {
  'ca.crt': 'UFJFVklPVVMtQ0E=',
  'tls.crt': 'UFJFVklPVVMtQ0VSVA==',
  'tls.key': 'UFJFVklPVVMtS0VZ',
};

describe('generated certificate across upgrades', () => {
  const cases = [
    { name: 'existing Secret: certificate and CA are kept', secret: previous, reused: true },
    { name: 'no Secret yet: a new CA and certificate', secret: undefined, reused: false },
    {
      name: 'Secret without ca.crt (not ours): regenerated',
      secret: { 'tls.crt': previous['tls.crt'], 'tls.key': previous['tls.key'] },
      reused: false,
    },
  ];

  it.each(cases)('$name', async ({ secret, reused }) => {
    existing = secret;
    requests.length = 0;
    const objects = await helmTemplate({ kubeconfig, extraArgs: ['--dry-run=server'] });
    expect(requests).toContain(secretPath);
    const data = getObject<V1Secret>(objects, 'Secret', 'sp-scaleplane-tls').data!;
    const bundles = new Set(
      ofKind<V1APIService>(objects, 'APIService').map((a) => a.spec!.caBundle),
    );
    expect([...bundles]).toEqual([data['ca.crt']]);
    if (reused) expect(data).toEqual(previous);
    else
      expect(Buffer.from(data['ca.crt']!, 'base64').toString()).toMatch(
        /^-----BEGIN CERTIFICATE-----/,
      );
  });
});
