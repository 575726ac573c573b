import { describe, expect, it } from 'vitest';
import {
  createStaticTokenAuth,
  createStaticTokenAuthenticator,
} from '../../../adapter/auth/index.js';
import type { AuthRequest } from '../../../adapter/auth/index.js';
import { silentLogger } from '../../../src/observability/index.js';

const user = { name: 'embedded-admin', groups: ['scaleplane:embedded-admins'], extra: {} };

function req(authorization?: string): AuthRequest {
  return {
    headers: authorization ? { authorization: [authorization] } : {},
    peerCertificates: () => [],
    removeHeader: () => undefined,
  };
}

describe('static token: should pass', () => {
  it('the token authenticates as the configured user, who may do anything', async () => {
    const auth = createStaticTokenAuth({
      token: 's3cret',
      user,
      alwaysAllowPaths: ['/healthz'],
      logger: silentLogger,
    });
    const outcome = await auth.authenticator.authenticate(
      req('Bearer s3cret'),
      '/apis/metrics.k8s.io/v1beta1/nodes',
    );
    expect(outcome?.user.name).toBe('embedded-admin');
    expect(outcome?.user.groups).toContain('system:authenticated');
    const decision = await auth.authorizer.authorize({
      user: outcome!.user,
      verb: 'list',
      isResourceRequest: true,
      path: '/apis/metrics.k8s.io/v1beta1/nodes',
      apiGroup: 'metrics.k8s.io',
      apiVersion: 'v1beta1',
      namespace: '',
      resource: 'nodes',
      subresource: '',
      name: '',
    });
    expect(decision.decision).toBe('allow');
  });

  it('anonymous reaches the always-allow paths only', async () => {
    const auth = createStaticTokenAuth({
      token: 's3cret',
      user,
      alwaysAllowPaths: ['/healthz'],
      logger: silentLogger,
    });
    expect((await auth.authenticator.authenticate(req(), '/healthz'))?.user.name).toBe(
      'system:anonymous',
    );
    expect(
      await auth.authenticator.authenticate(req(), '/apis/metrics.k8s.io/v1beta1/nodes'),
    ).toBeUndefined();
  });
});

describe('static token: should fail', () => {
  const cases = [
    { name: 'a wrong token', header: 'Bearer nope' },
    { name: 'a longer token with the right prefix', header: 'Bearer s3cret-and-more' },
  ];
  it.each(cases)('$name is rejected', async ({ header }) => {
    await expect(
      createStaticTokenAuthenticator('s3cret', user).authenticate(req(header)),
    ).rejects.toThrow('invalid bearer token');
  });

  it('an empty token or a user without a group is refused at construction', () => {
    expect(() => createStaticTokenAuthenticator('', user)).toThrow();
    expect(() =>
      createStaticTokenAuth({
        token: 't',
        user: { ...user, groups: [] },
        alwaysAllowPaths: [],
        logger: silentLogger,
      }),
    ).toThrow();
  });
});
