import { runGroups } from './consumer-groups';

describe('runGroups', () => {
  it("finds the run's groups and those the services derive from them, and nobody else's", () => {
    const all = [
      'demo-ab12c-scoring',
      'demo-ab12c-escalation',
      'demo-ab12c-escalation-notify',
      'demo-ab12c-escalation-resolution',
      'executor-demo-ab12c-ledger',
      // Another run, whose prefix starts like this one's.
      'demo-ab12cd-scoring',
      'executor-demo-zz999-ledger',
      'scoring',
      'view-control.halt.v1-0d0d587e',
    ];
    expect(runGroups(all, 'ab12c')).toEqual([
      'demo-ab12c-scoring',
      'demo-ab12c-escalation',
      'demo-ab12c-escalation-notify',
      'demo-ab12c-escalation-resolution',
      'executor-demo-ab12c-ledger',
    ]);
  });
});
