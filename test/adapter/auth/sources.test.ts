import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caSources, type CASources } from '../../../adapter/auth/sources.js';
import { createLogger, realSleep, silentLogger } from '../../../src/observability/index.js';
import { FakeConfigMapReader } from '../../support/auth.js';
import { FakeTime } from '../../support/fake-time.js';
import { createTestPki, type TestPki } from '../../support/pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(() => pki.cleanup());

const key = 'kube-system/extension-apiserver-authentication';
const subjects = (s: CASources) => [
  s.clientCA.current()?.certs[0]?.subject,
  s.requestHeaderCA.current()?.certs[0]?.subject,
];

function clusterData(clientCA = pki.ca.certPem): Record<string, string> {
  return {
    'client-ca-file': clientCA,
    'requestheader-client-ca-file': pki.frontProxyCa.certPem,
    'requestheader-username-headers': '["X-Cluster-User"]',
    'requestheader-allowed-names': '["front-proxy-client"]',
  };
}

describe('caSources: should pass', () => {
  it('both files given: flags only, the cluster is never asked', async () => {
    const reader = new FakeConfigMapReader({ [key]: clusterData() });
    const s = await caSources(
      {
        clientCAFile: pki.ca.certFile,
        requestHeaderClientCAFile: pki.frontProxyCa.certFile,
        requestHeaderUsernameHeaders: [' X-Proxy-User '],
        logger: silentLogger,
      },
      reader,
      realSleep,
    );
    s.closers.forEach((c) => c());
    expect(reader.reads).toBe(0);
    expect(subjects(s)).toEqual(['CN=scaleplane-test-ca', 'CN=front-proxy-ca']);
    expect(s.requestHeader()).toEqual({
      usernameHeaders: ['x-proxy-user'],
      groupHeaders: ['x-remote-group'],
      extraHeaderPrefixes: ['x-remote-extra-'],
      allowedNames: [],
    });
  });

  it('no files: everything from the ConfigMap, refreshed on the interval', async () => {
    const time = new FakeTime();
    const reader = new FakeConfigMapReader({ [key]: clusterData() });
    const s = await caSources(
      { configMapRefreshIntervalMs: 60_000, logger: silentLogger },
      reader,
      time.sleep,
    );
    expect(subjects(s)).toEqual(['CN=scaleplane-test-ca', 'CN=front-proxy-ca']);
    expect(s.requestHeader()?.usernameHeaders).toEqual(['x-cluster-user']);
    reader.data[key] = clusterData(pki.intermediateCa.certPem);
    await time.advance(60_000);
    expect(subjects(s)[0]).toBe('CN=intermediate-ca');
    s.closers.forEach((c) => c());
  });

  it('client CA file plus requestheader settings from the ConfigMap', async () => {
    const reader = new FakeConfigMapReader({ [key]: clusterData(pki.intermediateCa.certPem) });
    const s = await caSources(
      { clientCAFile: pki.ca.certFile, logger: silentLogger },
      reader,
      realSleep,
    );
    s.closers.forEach((c) => c());
    expect(subjects(s)).toEqual(['CN=scaleplane-test-ca', 'CN=front-proxy-ca']);
  });

  it('no client for the cluster: warns and trusts only the files', async () => {
    const lines: string[] = [];
    const logger = createLogger({ stream: { write: (l: string) => lines.push(l) > 0 } });
    const s = await caSources({ clientCAFile: pki.ca.certFile, logger }, undefined, realSleep);
    s.closers.forEach((c) => c());
    expect(subjects(s)).toEqual(['CN=scaleplane-test-ca', undefined]);
    expect(s.requestHeader()).toBeUndefined();
    expect(lines.join('')).toContain('client CAs are not looked up in the cluster');
  });
});

describe('caSources: should fail', () => {
  it('an unreadable CA file stops start-up', async () => {
    await expect(
      caSources(
        { clientCAFile: `${pki.dir}/missing.crt`, logger: silentLogger },
        undefined,
        realSleep,
      ),
    ).rejects.toThrow('cannot read client-ca file');
  });

  it('a forbidden ConfigMap stops start-up', async () => {
    const reader = new FakeConfigMapReader();
    reader.failWith = Object.assign(new Error('HTTP 403'), { httpCode: 403 });
    await expect(
      caSources({ clientCAFile: pki.ca.certFile, logger: silentLogger }, reader, realSleep),
    ).rejects.toThrow('unable to load configmap based authentication configuration');
  });
});
