import { actingFor, grantDelegation, isActive } from './delegation';

const now = new Date('2026-11-26T10:00:00.000Z');
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);
const fiona = {
  kind: 'user' as const,
  id: 'fiona',
  roles: ['reviewer', 'finance-director', 'legal-counsel'],
};

describe('grantDelegation', () => {
  it.each<[string, Parameters<typeof grantDelegation>[1], string | string[]]>([
    [
      'all her review roles when none are named',
      { delegate: 'dora', until: days(7), reason: 'leave' },
      ['finance-director', 'legal-counsel'],
    ],
    [
      'the roles named',
      { delegate: 'dora', roles: ['legal-counsel'], until: days(7), reason: 'leave' },
      ['legal-counsel'],
    ],
    ['not to herself', { delegate: 'fiona', until: days(7), reason: 'x' }, 'you cannot delegate to yourself'],
    [
      'not a role she lacks',
      { delegate: 'dora', roles: ['ap-manager'], until: days(7), reason: 'x' },
      'you may delegate only review roles you hold (finance-director, legal-counsel), not ap-manager',
    ],
    [
      'not a platform role',
      { delegate: 'dora', roles: ['reviewer'], until: days(7), reason: 'x' },
      'you may delegate only review roles you hold (finance-director, legal-counsel), not reviewer',
    ],
    [
      'not ending in the past',
      { delegate: 'dora', until: days(-1), reason: 'x' },
      'until must be after from and in the future',
    ],
    [
      'not for more than 90 days',
      { delegate: 'dora', until: days(91), reason: 'x' },
      'a delegation may last at most 90 days',
    ],
  ])('grants %s', (_name, request, expected) => {
    const granted = grantDelegation(fiona, request, now, 'd-1');
    if (typeof expected === 'string') expect(granted).toEqual({ ok: false, message: expected });
    else
      expect(granted).toMatchObject({
        ok: true,
        delegation: { delegator: 'fiona', delegate: 'dora', roles: expected },
      });
  });

  it('is active from its start until its end or revocation', () => {
    const granted = grantDelegation(
      fiona,
      { delegate: 'dora', from: days(1), until: days(3), reason: 'leave' },
      now,
      'd-1',
    );
    if (!granted.ok) throw new Error(granted.message);
    const { delegation } = granted;
    expect([days(0.5), days(1), days(2.9), days(3)].map((at) => isActive(delegation, at))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(isActive({ ...delegation, revokedAt: days(2) }, days(2))).toBe(false);
    expect(actingFor({ kind: 'user', id: 'dora', roles: ['reviewer', 'ap-clerk'] }, delegation)).toEqual({
      kind: 'user',
      id: 'dora',
      roles: ['finance-director', 'legal-counsel'],
      onBehalfOf: 'fiona',
      ownRoles: ['reviewer', 'ap-clerk'],
    });
  });
});
