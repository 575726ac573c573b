import { describe, expect, it } from 'vitest';
import {
  alwaysAllowPathsAuthorizer,
  AuthorizationError,
  compileAlwaysAllowPaths,
  privilegedGroupsAuthorizer,
  unionAuthorizer,
  type Attributes,
  type AuthorizationResult,
  type Authorizer,
} from '../../../adapter/auth/index.js';

function attrs(over: Partial<Attributes> = {}): Attributes {
  return {
    user: { name: 'u', groups: ['system:authenticated'], extra: {} },
    verb: 'get',
    isResourceRequest: false,
    path: '/healthz',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    ...over,
  };
}
const fixed = (r: AuthorizationResult | Error): Authorizer => ({
  authorize: () => (r instanceof Error ? Promise.reject(r) : Promise.resolve(r)),
});

describe('always-allow paths', () => {
  const matches = compileAlwaysAllowPaths(['/healthz', 'readyz', '/livez/*', '/']);
  const pass = ['/healthz', 'healthz', '/readyz', '/livez/ping', '/livez/', '/'];
  it.each(pass)('should pass: %s is allowed', (path) => expect(matches(path)).toBe(true));
  const fail = ['/healthz/ping', '/healthzz', '/livez', '/apis', '/readyz/x'];
  it.each(fail)('should fail: %s is not allowed', (path) => expect(matches(path)).toBe(false));

  it('should fail: a * before the end is a configuration error', () => {
    expect(() => compileAlwaysAllowPaths(['/a*/b'])).toThrow('only trailing * allowed in "a*/b"');
  });

  it('resource requests are never allowed by path', async () => {
    const a = alwaysAllowPathsAuthorizer(() => true);
    expect((await a.authorize(attrs({ isResourceRequest: true }))).decision).toBe('noOpinion');
    expect((await a.authorize(attrs())).decision).toBe('allow');
  });
});

describe('privileged groups', () => {
  const a = privilegedGroupsAuthorizer(['system:masters']);
  it('should pass: a member may do anything', async () => {
    expect(
      (
        await a.authorize(
          attrs({
            user: { name: 'root', groups: ['system:masters'], extra: {} },
            isResourceRequest: true,
          }),
        )
      ).decision,
    ).toBe('allow');
  });
  it('should fail: others get no opinion', async () => {
    expect((await a.authorize(attrs())).decision).toBe('noOpinion');
  });
});

describe('union authorizer', () => {
  const cases = [
    {
      name: 'first allow decides',
      list: [
        fixed({ decision: 'noOpinion', reason: 'r1' }),
        fixed({ decision: 'allow', reason: '' }),
        fixed(new Error('never asked')),
      ],
      want: { decision: 'allow', reason: '', cached: false },
    },
    {
      name: 'a deny stops the chain',
      list: [fixed({ decision: 'deny', reason: 'nope' }), fixed({ decision: 'allow', reason: '' })],
      want: { decision: 'deny', reason: 'nope', cached: false },
    },
    {
      name: 'all no opinion: reasons joined by newlines',
      list: [
        fixed({ decision: 'noOpinion', reason: 'a' }),
        fixed({ decision: 'noOpinion', reason: '' }),
        fixed({ decision: 'noOpinion', reason: 'b', cached: true }),
      ],
      want: { decision: 'noOpinion', reason: 'a\nb', cached: true },
    },
    {
      name: 'an error before an allow is forgotten',
      list: [fixed(new Error('down')), fixed({ decision: 'allow', reason: '' })],
      want: { decision: 'allow', reason: '', cached: false },
    },
  ];
  it.each(cases)('should pass: $name', async ({ list, want }) => {
    expect(await unionAuthorizer(list).authorize(attrs())).toEqual(want);
  });

  it('should fail: no decision and an error is an AuthorizationError', async () => {
    const result = unionAuthorizer([
      fixed({ decision: 'noOpinion', reason: '' }),
      fixed(new Error('SubjectAccessReview failed: HTTP 500')),
    ]).authorize(attrs());
    await expect(result).rejects.toBeInstanceOf(AuthorizationError);
    await expect(result).rejects.toThrow('SubjectAccessReview failed: HTTP 500');
  });
});
