import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CertificateVerificationError,
  createRequestHeaderAuthenticator,
  parseCABundle,
  type RequestHeaderSettings,
} from '../../../adapter/auth/index.js';
import { systemClock } from '../../../src/observability/index.js';
import { fakeAuthRequest } from '../../support/auth.js';
import { createTestPki, type TestPki } from '../../support/pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(() => pki.cleanup());

const settings: RequestHeaderSettings = {
  usernameHeaders: ['x-remote-user', 'x-other-user'],
  groupHeaders: ['x-remote-group', 'x-other-group'],
  extraHeaderPrefixes: ['x-remote-extra-'],
  allowedNames: ['front-proxy-client'],
};

function authenticator(
  overrides: Partial<RequestHeaderSettings> = {},
  ca: () => string | undefined = () => pki.frontProxyCa.certPem,
) {
  return createRequestHeaderAuthenticator({
    ca: () => {
      const pem = ca();
      return pem ? parseCABundle(pem, 'requestheader-ca') : undefined;
    },
    settings: () => ({ ...settings, ...overrides }),
    clock: systemClock,
  });
}

describe('requestheader: should pass', () => {
  it('allowed front-proxy certificate: user, groups and extra come from the headers', async () => {
    const req = fakeAuthRequest({
      chain: [pki.frontProxyClient.certPem],
      headers: {
        'x-remote-user': 'alice',
        'x-remote-group': ['devs', '', 'ops'],
        'x-other-group': 'all',
        'x-remote-extra-scopes': ['a', 'b'],
        'x-remote-extra-acme.com%2Fproject': 'p1',
        'x-remote-extra-bad%zz': 'v',
        authorization: 'Bearer keep-me',
      },
    });
    const user = await authenticator().authenticate(req);
    expect(user).toEqual({
      name: 'alice',
      groups: ['devs', 'ops', 'all'],
      extra: { scopes: ['a', 'b'], 'acme.com/project': ['p1'], 'bad%zz': ['v'] },
    });
    // The asserted identity is consumed: no handler can read it again.
    expect(Object.keys(req.headers).sort()).toEqual(['authorization']);
  });

  it('the first username header with a value wins', async () => {
    const req = fakeAuthRequest({
      chain: [pki.frontProxyClient.certPem],
      headers: { 'x-remote-user': '', 'x-other-user': 'bob' },
    });
    expect((await authenticator().authenticate(req))?.name).toBe('bob');
  });

  it('an empty allowed-names list accepts any certificate from the CA', async () => {
    const req = fakeAuthRequest({
      chain: [pki.frontProxyOther.certPem],
      headers: { 'x-remote-user': 'carol' },
    });
    expect((await authenticator({ allowedNames: [] }).authenticate(req))?.name).toBe('carol');
  });

  const none: Array<{
    name: string;
    chain: string[];
    headers: Record<string, string>;
    ca: () => string | undefined;
  }> = [
    {
      name: 'no client certificate',
      chain: [] as string[],
      headers: { 'x-remote-user': 'alice' },
      ca: () => pki.frontProxyCa.certPem,
    },
    {
      name: 'no requestheader CA configured',
      chain: ['front'],
      headers: { 'x-remote-user': 'alice' },
      ca: () => undefined,
    },
    {
      name: 'valid certificate but no username header',
      chain: ['front'],
      headers: { 'x-remote-group': 'g' },
      ca: () => pki.frontProxyCa.certPem,
    },
  ];
  it.each(none)('no identity and no error: $name', async ({ chain, headers, ca }) => {
    const req = fakeAuthRequest({ chain: chain.map(() => pki.frontProxyClient.certPem), headers });
    expect(await authenticator({}, ca).authenticate(req)).toBeUndefined();
  });
});

describe('requestheader: should fail', () => {
  const cases = [
    {
      name: 'CN not in the allowed names',
      cert: () => pki.frontProxyOther.certPem,
      message: 'x509: subject with cn=someone-else is not in the allowed list',
    },
    {
      name: 'certificate from the client CA, not the front-proxy CA',
      cert: () => pki.alice.certPem,
      message: 'x509: certificate signed by unknown authority',
    },
    {
      name: 'certificate from a rogue CA',
      cert: () => pki.rogueAlice.certPem,
      message: 'signed by unknown authority',
    },
  ];
  it.each(cases)('$name', async ({ cert, message }) => {
    const req = fakeAuthRequest({
      chain: [cert()],
      headers: { 'x-remote-user': 'mallory', 'x-remote-group': 'system:masters' },
    });
    const result = authenticator().authenticate(req);
    await expect(result).rejects.toThrow(CertificateVerificationError);
    await expect(result).rejects.toThrow(message);
    // Headers of a rejected request are left alone (and never believed).
    expect(req.removed).toEqual([]);
  });
});
