import { boundedLabel, nameLabel } from './labels';

describe('labels', () => {
  it('keeps a known value and turns anything else into "other"', () => {
    expect(boundedLabel('find', ['find', 'insert'])).toBe('find');
    expect(boundedLabel('dropDatabase', ['find', 'insert'])).toBe('other');
    expect(boundedLabel(undefined, ['find'])).toBe('other');
  });

  it('keeps names and refuses what looks like an id or free text', () => {
    expect(nameLabel('decision.scored.v1')).toBe('decision.scored.v1');
    expect(nameLabel('routing')).toBe('routing');
    expect(nameLabel('3f1c2a9e-8b7d-4c1e-9f00-123456789abc')).toBe('other');
    expect(nameLabel('payload.amount: must be positive')).toBe('other');
    expect(nameLabel('x'.repeat(65))).toBe('other');
    expect(nameLabel('')).toBe('other');
  });
});
