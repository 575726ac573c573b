import { describe, expect, it } from 'vitest';
import { bearerToken, createTokenAuthenticator } from '../../../adapter/auth/index.js';
import { fakeAuthRequest, FakeTokenReviewer } from '../../support/auth.js';
import { FakeTime, flushAsync } from '../../support/fake-time.js';

const alice = { name: 'alice', uid: 'u1', groups: ['devs'], extra: { scopes: ['x'] } };

function setup(answers = { good: { authenticated: true, user: alice } }) {
  const time = new FakeTime();
  const reviewer = new FakeTokenReviewer(answers);
  const answered: boolean[] = [];
  const auth = createTokenAuthenticator({
    reviewer,
    cacheTtlMs: 10_000,
    clock: time,
    onAnswer: (c) => answered.push(c),
  });
  const withToken = (token: string) =>
    fakeAuthRequest({ headers: { authorization: `Bearer ${token}` } });
  return { time, reviewer, auth, withToken, answered };
}

describe('bearerToken', () => {
  const cases = [
    { name: 'standard header', header: 'Bearer abc', want: 'abc' },
    { name: 'scheme is case-insensitive', header: 'bEaReR abc', want: 'abc' },
    { name: 'surrounding blanks are trimmed', header: '  Bearer abc  ', want: 'abc' },
    { name: 'basic auth is not a bearer token', header: 'Basic YTpi', want: undefined },
    { name: 'double space leaves an empty token', header: 'Bearer  abc', want: undefined },
    { name: 'scheme alone', header: 'Bearer', want: undefined },
    { name: 'extra words after the token are ignored', header: 'Bearer abc def', want: 'abc' },
  ];
  it.each(cases)('$name', ({ header, want }) =>
    expect(bearerToken(fakeAuthRequest({ headers: { authorization: header } }))).toBe(want),
  );
});

describe('token authenticator: should pass', () => {
  it('an accepted token yields the reviewed user', async () => {
    const { auth, withToken } = setup();
    expect(await auth.authenticate(withToken('good'))).toEqual(alice);
  });

  it('no Authorization header: no identity and no review', async () => {
    const { auth, reviewer } = setup();
    expect(await auth.authenticate(fakeAuthRequest())).toBeUndefined();
    expect(reviewer.calls).toEqual([]);
  });

  it('an acceptance is cached for the TTL, then reviewed again', async () => {
    const { auth, reviewer, withToken, time, answered } = setup();
    await auth.authenticate(withToken('good'));
    await time.advance(9_999);
    await auth.authenticate(withToken('good'));
    expect(reviewer.calls).toHaveLength(1);
    await time.advance(1);
    await auth.authenticate(withToken('good'));
    expect(reviewer.calls).toHaveLength(2);
    expect(answered).toEqual([false, true, false]);
  });

  it('concurrent requests with one token share one review', async () => {
    const { auth, reviewer, withToken } = setup();
    reviewer.hold = true;
    const pending = [1, 2, 3].map(() => auth.authenticate(withToken('good')));
    await flushAsync();
    reviewer.release();
    expect((await Promise.all(pending)).map((u) => u?.name)).toEqual(['alice', 'alice', 'alice']);
    expect(reviewer.calls).toEqual(['good']);
  });
});

describe('token authenticator: should fail', () => {
  it('a rejected token is an invalid bearer token, and the rejection is cached', async () => {
    const { auth, reviewer, withToken } = setup();
    await expect(auth.authenticate(withToken('bad'))).rejects.toThrow('invalid bearer token');
    await expect(auth.authenticate(withToken('bad'))).rejects.toThrow('invalid bearer token');
    expect(reviewer.calls).toEqual(['bad']);
  });

  it('a rejection with an error message reports it and is not cached', async () => {
    const { auth, reviewer, withToken } = setup({
      good: { authenticated: false, error: 'token expired' },
    } as never);
    await expect(auth.authenticate(withToken('good'))).rejects.toThrow('token expired');
    await expect(auth.authenticate(withToken('good'))).rejects.toThrow('token expired');
    expect(reviewer.calls).toHaveLength(2);
  });

  it('a failed review is an error and is not cached', async () => {
    const { auth, reviewer, withToken } = setup();
    reviewer.failWith = new Error('connect ECONNREFUSED 127.0.0.1:6443');
    await expect(auth.authenticate(withToken('good'))).rejects.toThrow(
      'token review failed: connect ECONNREFUSED',
    );
    reviewer.failWith = undefined;
    expect(await auth.authenticate(withToken('good'))).toEqual(alice);
    expect(reviewer.calls).toHaveLength(2);
  });
});
