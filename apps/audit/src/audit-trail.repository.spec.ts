import { exampleDecisionProposed, newEvent, PlatformEvent } from '@oversight/contracts';
import { chainKeyOf } from './audit-trail.repository';

describe('chainKeyOf', () => {
  it.each<[string, PlatformEvent, string]>([
    [
      'a decision event chains with its decision',
      newEvent('DecisionProposed', {
        decisionId: 'dec-1',
        producer: 'agent',
        payload: exampleDecisionProposed(),
      }),
      'dec-1',
    ],
    [
      'a halt chains with its scope',
      newEvent('HaltChanged', {
        producer: 'control',
        correlationId: 'halt-all',
        payload: { scope: '*', halted: true, reason: 'drill', changedBy: 'ops-1' },
      }),
      'halt/*',
    ],
  ])('%s', (_case, event, key) => {
    expect(chainKeyOf(event)).toBe(key);
  });
});
