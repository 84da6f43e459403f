import { decodeEvent, newEvent, Topic, validateEventOn } from '@oversight/contracts';
import { DemoMessage, demoStream, SCENARIOS } from './demo-stream';

const fixedClock = () => new Date('2026-11-25T12:00:00.000Z');

function take(count: number, seed = 7, idPrefix = 'demo-test-'): DemoMessage[] {
  const stream = demoStream({ seed, idPrefix, now: fixedClock });
  return Array.from({ length: count }, () => stream.next().value as DemoMessage);
}

describe('demo stream', () => {
  it('is reproducible: the same seed gives the same messages, another seed another mix', () => {
    expect(take(300)).toEqual(take(300));
    expect(take(300, 8).map((m) => m.scenario)).not.toEqual(take(300, 7).map((m) => m.scenario));
  });

  it('numbers every message under the run prefix, each id once', () => {
    const ids = take(1000).map((m) => (m.kind === 'decision' ? m.decisionId : m.key));
    expect(new Set(ids).size).toBe(1000);
    expect(ids[0]).toBe('demo-test-000001');
    expect(ids.every((id) => /^demo-test-\d{6}$/.test(id))).toBe(true);
  });

  it('weighs its scenarios in percent', () => {
    expect(SCENARIOS.reduce((sum, s) => sum + s.weight, 0)).toBeCloseTo(100, 6);
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
  });

  it('is mostly routine, some risky, about 3% malformed, and covers every scenario', () => {
    const messages = take(20_000, 11);
    const share = (predicate: (m: DemoMessage) => boolean) =>
      messages.filter(predicate).length / messages.length;
    const expectOf = new Map(SCENARIOS.map((s) => [s.id, s.expect]));
    expect(share((m) => m.kind === 'malformed')).toBeGreaterThan(0.025);
    expect(share((m) => m.kind === 'malformed')).toBeLessThan(0.035);
    expect(share((m) => expectOf.get(m.scenario) === 'auto')).toBeGreaterThan(0.65);
    expect(share((m) => expectOf.get(m.scenario) === 'review')).toBeGreaterThan(0.2);
    expect(share((m) => expectOf.get(m.scenario) === 'block')).toBeGreaterThan(0.005);
    expect(new Set(messages.map((m) => m.scenario))).toEqual(new Set(SCENARIOS.map((s) => s.id)));
    const functions = new Set(
      messages.flatMap((m) => (m.kind === 'decision' ? [m.proposal.businessFunction] : [])),
    );
    for (const fn of [
      'telecom-billing',
      'finance-ap',
      'construction-safety',
      'network-ops',
      'customer-accounts',
      'contract-management',
    ]) {
      expect(functions).toContain(fn);
    }
  });

  it('proposes only valid DecisionProposed events, which the publisher will accept', () => {
    const problems = take(3000, 3)
      .filter((m) => m.kind === 'decision')
      .flatMap((m) => {
        if (m.kind !== 'decision') return [];
        const event = newEvent('DecisionProposed', {
          decisionId: m.decisionId,
          producer: 'demo',
          payload: m.proposal,
        });
        const check = validateEventOn(Topic.DecisionProposed, JSON.parse(JSON.stringify(event)));
        return check.ok ? [] : [`${m.scenario}: ${check.errors.join('; ')}`];
      });
    expect(problems).toEqual([]);
  });

  it('sends malformed messages that every consumer dead-letters, each for its own reason', () => {
    const expected: Record<string, string> = {
      'not-json': 'not-json',
      'confidence-7': 'invalid-payload',
      'operator-key': 'unsafe-structure',
      'negative-amount': 'invalid-payload',
    };
    const malformed = take(5000, 5).filter((m) => m.kind === 'malformed');
    expect(new Set(malformed.map((m) => m.scenario))).toEqual(new Set(Object.keys(expected)));
    for (const message of malformed) {
      if (message.kind !== 'malformed') continue;
      const decoded = decodeEvent(Topic.DecisionProposed, message.value);
      expect({ scenario: message.scenario, ok: decoded.ok }).toEqual({
        scenario: message.scenario,
        ok: false,
      });
      if (!decoded.ok) expect(decoded.reason).toBe(expected[message.scenario]);
    }
  });
});
