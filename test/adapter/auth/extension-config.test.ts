import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeExtensionAuthentication,
  lookupExtensionAuthentication,
} from '../../../adapter/auth/index.js';
import {
  refreshExtensionAuthentication,
  type ExtensionAuthentication,
} from '../../../adapter/auth/extension-config.js';
import { createLogger, silentLogger } from '../../../src/observability/index.js';
import { FakeConfigMapReader } from '../../support/auth.js';
import { FakeTime } from '../../support/fake-time.js';
import { createTestPki, type TestPki } from '../../support/pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(() => pki.cleanup());

const key = 'kube-system/extension-apiserver-authentication';
function kubeadmData(): Record<string, string> {
  return {
    'client-ca-file': pki.ca.certPem,
    'requestheader-client-ca-file': pki.frontProxyCa.certPem,
    'requestheader-allowed-names': '["front-proxy-client"]',
    'requestheader-username-headers': '["X-Remote-User"]',
    'requestheader-group-headers': '["X-Remote-Group"]',
    'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
  };
}

describe('decodeExtensionAuthentication: should pass', () => {
  it('decodes what kube-apiserver writes', () => {
    const ext = decodeExtensionAuthentication(kubeadmData());
    expect(ext.clientCA?.certs[0]?.subject).toBe('CN=scaleplane-test-ca');
    expect(ext.requestHeaderCA?.certs[0]?.subject).toBe('CN=front-proxy-ca');
    expect(ext.requestHeader).toEqual({
      usernameHeaders: ['x-remote-user'],
      groupHeaders: ['x-remote-group'],
      extraHeaderPrefixes: ['x-remote-extra-'],
      allowedNames: ['front-proxy-client'],
    });
  });
  it('absent keys mean nothing configured', () => {
    expect(decodeExtensionAuthentication({})).toEqual({
      requestHeader: {
        usernameHeaders: [],
        groupHeaders: [],
        extraHeaderPrefixes: [],
        allowedNames: [],
      },
    });
  });
});

describe('decodeExtensionAuthentication: should fail', () => {
  const cases: Array<{ name: string; data: Record<string, string>; message: string }> = [
    {
      name: 'allowed names not JSON',
      data: { 'requestheader-allowed-names': 'front-proxy-client' },
      message: 'key requestheader-allowed-names: not valid JSON',
    },
    {
      name: 'headers not an array of strings',
      data: { 'requestheader-username-headers': '[1]' },
      message: 'key requestheader-username-headers: expected a JSON array of strings',
    },
    {
      name: 'client CA without certificates',
      data: { 'client-ca-file': 'nope' },
      message: 'key client-ca-file: no PEM certificates found',
    },
  ];
  it.each(cases)('$name', ({ data, message }) =>
    expect(() => decodeExtensionAuthentication(data)).toThrow(message),
  );
});

describe('lookupExtensionAuthentication', () => {
  it('should pass: a missing ConfigMap is tolerated with a warning', async () => {
    const lines: string[] = [];
    const logger = createLogger({ stream: { write: (l: string) => lines.push(l) > 0 } });
    const ext = await lookupExtensionAuthentication({
      reader: new FakeConfigMapReader(),
      tolerateLookupFailure: false,
      logger,
    });
    expect(ext?.clientCA).toBeUndefined();
    expect(ext?.requestHeader.usernameHeaders).toEqual([]);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'warn',
      configmap: 'extension-apiserver-authentication',
      namespace: 'kube-system',
    });
  });

  it('should fail: forbidden stops start-up and logs the RoleBinding hint', async () => {
    const lines: string[] = [];
    const logger = createLogger({ stream: { write: (l: string) => lines.push(l) > 0 } });
    const reader = new FakeConfigMapReader();
    reader.failWith = Object.assign(new Error('HTTP 403'), { httpCode: 403 });
    await expect(
      lookupExtensionAuthentication({ reader, tolerateLookupFailure: false, logger }),
    ).rejects.toThrow('unable to load configmap based authentication configuration: HTTP 403');
    expect(lines.join('')).toContain('--role=extension-apiserver-authentication-reader');
  });

  it('should pass: a failure is tolerated when asked to', async () => {
    const reader = new FakeConfigMapReader();
    reader.failWith = new Error('connection refused');
    expect(
      await lookupExtensionAuthentication({
        reader,
        tolerateLookupFailure: true,
        logger: silentLogger,
      }),
    ).toBeUndefined();
  });

  it('should fail: invalid content stops start-up', async () => {
    const reader = new FakeConfigMapReader({ [key]: { 'client-ca-file': 'nope' } });
    await expect(
      lookupExtensionAuthentication({ reader, tolerateLookupFailure: false, logger: silentLogger }),
    ).rejects.toThrow('no PEM certificates found');
  });
});

describe('refreshExtensionAuthentication', () => {
  it('re-reads every interval, applies new content and keeps it across failed reads', async () => {
    const time = new FakeTime();
    const reader = new FakeConfigMapReader({ [key]: kubeadmData() });
    const applied: ExtensionAuthentication[] = [];
    const refresh = refreshExtensionAuthentication({
      reader,
      intervalMs: 60_000,
      sleep: time.sleep,
      logger: silentLogger,
      apply: (e) => applied.push(e),
    });
    await time.advance(59_999);
    expect(applied).toHaveLength(0);
    await time.advance(1);
    expect(applied).toHaveLength(1);
    reader.failWith = new Error('down');
    await time.advance(60_000);
    expect(applied).toHaveLength(1);
    refresh.close();
    reader.failWith = undefined;
    await time.advance(120_000);
    expect([applied.length, reader.reads]).toEqual([1, 2]);
  });
});
