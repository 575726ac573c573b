import { describe, expect, it } from 'vitest';
import {
  createUnionAuthenticator,
  type Authenticator,
  type AuthMethod,
  type UserInfo,
} from '../../../adapter/auth/index.js';
import { TokenReviewUnavailableError } from '../../../adapter/auth/token.js';
import { fakeAuthRequest } from '../../support/auth.js';

/** An authenticator with a fixed answer: a user, nothing, or an error. */
function fixed(method: AuthMethod, answer: UserInfo | Error | undefined): Authenticator {
  return {
    method,
    authenticate: () =>
      answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer),
  };
}
const user = (name: string, groups: string[] = []): UserInfo => ({ name, groups, extra: {} });

function run(
  authenticators: Authenticator[],
  anonymous: boolean | ((p: string) => boolean) = false,
  path = '/apis',
) {
  const records: string[] = [];
  const union = createUnionAuthenticator({
    authenticators,
    anonymous,
    record: (m, r) => records.push(`${m}:${r}`),
  });
  return { result: union.authenticate(fakeAuthRequest(), path), records };
}

describe('union authenticator: should pass', () => {
  const cases = [
    {
      name: 'requestheader wins over x509',
      list: [fixed('requestheader', user('proxied')), fixed('x509', user('cert'))],
      want: 'proxied',
      method: 'requestheader',
      records: ['requestheader:success'],
    },
    {
      name: 'errors of earlier authenticators are forgotten on success',
      list: [fixed('requestheader', new Error('cn not allowed')), fixed('x509', user('cert'))],
      want: 'cert',
      method: 'x509',
      records: ['requestheader:failure', 'x509:success'],
    },
    {
      name: 'no credential at all, anonymous on',
      list: [fixed('x509', undefined)],
      anonymous: true,
      want: 'system:anonymous',
      method: 'anonymous',
      records: ['anonymous:success'],
    },
    {
      name: 'anonymous limited to a path, request on it',
      list: [fixed('x509', undefined)],
      anonymous: (p: string) => p === '/healthz',
      path: '/healthz',
      want: 'system:anonymous',
      method: 'anonymous',
      records: ['anonymous:success'],
    },
  ];
  it.each(cases)('$name', async ({ list, anonymous, path, want, method, records }) => {
    const r = run(list, anonymous ?? false, path ?? '/apis');
    const outcome = await r.result;
    expect(outcome?.user.name).toBe(want);
    expect(outcome?.method).toBe(method);
    expect(r.records).toEqual(records);
  });

  const groupCases = [
    {
      name: 'system:authenticated is added',
      groups: ['devs'],
      want: ['devs', 'system:authenticated'],
    },
    {
      name: 'not added twice',
      groups: ['system:authenticated', 'devs'],
      want: ['system:authenticated', 'devs'],
    },
    {
      name: 'not added to a user claiming system:unauthenticated',
      groups: ['system:unauthenticated'],
      want: ['system:unauthenticated'],
    },
  ];
  it.each(groupCases)('$name', async ({ groups, want }) => {
    expect((await run([fixed('x509', user('u', groups))]).result)?.user.groups).toEqual(want);
  });

  it('anonymous gets system:unauthenticated only', async () => {
    expect((await run([], true).result)?.user).toEqual({
      name: 'system:anonymous',
      groups: ['system:unauthenticated'],
      extra: {},
    });
  });
});

describe('union authenticator: should fail', () => {
  it('no credential and anonymous off: no identity', async () => {
    const r = run([fixed('x509', undefined)]);
    expect(await r.result).toBeUndefined();
    expect(r.records).toEqual(['none:failure']);
  });

  it('anonymous limited to a path, request elsewhere: no identity', async () => {
    expect(await run([], (p) => p === '/healthz', '/apis').result).toBeUndefined();
  });

  it('a rejected credential is never anonymous, even with anonymous on', async () => {
    const r = run([fixed('token', new Error('invalid bearer token'))], true);
    await expect(r.result).rejects.toThrow('invalid bearer token');
    expect(r.records).toEqual(['token:failure']);
  });

  it('several errors are aggregated in brackets; an unavailable review counts as error', async () => {
    const r = run([
      fixed('requestheader', new Error('a')),
      fixed('token', new TokenReviewUnavailableError(new Error('down'))),
    ]);
    await expect(r.result).rejects.toThrow('[a, token review failed: down]');
    expect(r.records).toEqual(['requestheader:failure', 'token:error']);
  });
});
