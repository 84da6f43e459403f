import { loadPolicyFile, REFERENCE_POLICY_FILE } from '@oversight/policy';
import { DEMO_PASSWORD, DEMO_USERS, demoUserSignIn } from './demo-users';

describe('demo users', () => {
  it('cover every review role of the reference policy, so every demo task has someone to decide it', () => {
    const policy = loadPolicyFile(REFERENCE_POLICY_FILE);
    const reviewRoles = new Set([
      ...(policy.defaults.review?.roles ?? []),
      ...Object.values(policy.functions).flatMap((fn) => [
        ...(fn.defaults?.review?.roles ?? []),
        ...Object.values(fn.actions).flatMap((action) => action.review?.roles ?? []),
      ]),
    ]);
    const held = new Set(DEMO_USERS.flatMap((user) => user.roles));
    expect([...reviewRoles].filter((role) => !held.has(role))).toEqual([]);
  });

  it('have distinct ids and the reviewer role wherever they hold a review role', () => {
    expect(new Set(DEMO_USERS.map((u) => u.id)).size).toBe(DEMO_USERS.length);
    for (const user of DEMO_USERS.filter((u) =>
      u.roles.some((r) => !['admin', 'sre', 'auditor'].includes(r)),
    )) {
      expect(user.roles).toContain('reviewer');
    }
  });
});

describe('demo sign-in', () => {
  it.each<[string, string, string, string | undefined]>([
    ['a demo user with the demo password', 'sue', DEMO_PASSWORD, 'sue'],
    ['a wrong password', 'sue', 'guess', undefined],
    ['an unknown user', 'mallory', DEMO_PASSWORD, undefined],
    ['an empty password', 'sue', '', undefined],
  ])('accepts only %s', (_name, id, password, expected) => {
    expect(demoUserSignIn(id, password)?.id).toBe(expected);
  });
});
