import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createX509Authenticator, parseCABundle } from '../../../adapter/auth/index.js';
import { systemClock } from '../../../src/observability/index.js';
import { fakeAuthRequest } from '../../support/auth.js';
import { createTestPki, type TestPki } from '../../support/pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(() => pki.cleanup());

const x509 = (ca: () => string | undefined = () => pki.ca.certPem, clock = systemClock) =>
  createX509Authenticator({
    ca: () => (ca() ? parseCABundle(ca()!, 'client-ca') : undefined),
    clock,
  });

describe('x509: should pass', () => {
  it('CN is the user and every O a group', async () => {
    const user = await x509().authenticate(fakeAuthRequest({ chain: [pki.alice.certPem] }));
    expect(user).toEqual({ name: 'alice', groups: ['devs', 'ops'], extra: {} });
  });

  it('a chain through an intermediate the client sends', async () => {
    const user = await x509().authenticate(
      fakeAuthRequest({ chain: [pki.bob.certPem, pki.intermediateCa.certPem] }),
    );
    expect(user?.name).toBe('bob');
  });

  it('no client certificate: no identity, no error', async () => {
    expect(await x509().authenticate(fakeAuthRequest())).toBeUndefined();
  });

  it('no client CA: certificates are not considered', async () => {
    expect(
      await x509(() => undefined).authenticate(fakeAuthRequest({ chain: [pki.alice.certPem] })),
    ).toBeUndefined();
  });

  it('remembers the verification per connection but still checks time', async () => {
    const connection = {};
    let nowMs = Date.now();
    const auth = x509(() => pki.ca.certPem, { now: () => nowMs });
    expect(
      (await auth.authenticate(fakeAuthRequest({ chain: [pki.alice.certPem], connection })))?.name,
    ).toBe('alice');
    nowMs += 10 * 86_400_000;
    await expect(
      auth.authenticate(fakeAuthRequest({ chain: [pki.alice.certPem], connection })),
    ).rejects.toThrow(/expired/);
  });
});

describe('x509: should fail', () => {
  const cases = [
    {
      name: 'signed by another CA',
      cert: () => pki.rogueAlice.certPem,
      message:
        /^verifying certificate SN=[0-9A-F]+ failed: x509: certificate signed by unknown authority$/,
    },
    {
      name: 'server-only certificate',
      cert: () => pki.aliceServerOnly.certPem,
      message: /incompatible key usage/,
    },
    {
      name: 'front-proxy certificate',
      cert: () => pki.frontProxyClient.certPem,
      message: /unknown authority/,
    },
  ];
  it.each(cases)('$name', async ({ cert, message }) => {
    await expect(x509().authenticate(fakeAuthRequest({ chain: [cert()] }))).rejects.toThrow(
      message,
    );
  });
});
