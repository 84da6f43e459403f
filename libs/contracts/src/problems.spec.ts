import { toProblems } from './problems';

describe('toProblems', () => {
  it.each<[string, string[], string | undefined, { field: string; reason: string }[]]>([
    [
      'a field and its reason',
      ['payload.confidence: must be at most 1'],
      'payload',
      [{ field: 'confidence', reason: 'must be at most 1' }],
    ],
    [
      'an envelope field, kept as it is',
      ['decisionId: must be an id'],
      'payload',
      [{ field: 'decisionId', reason: 'must be an id' }],
    ],
    [
      'the payload as a whole',
      ['payload: must be a JSON object'],
      'payload',
      [{ field: '(root)', reason: 'must be a JSON object' }],
    ],
    [
      'a policy path',
      ['defaults.routes.low: must not be auto'],
      undefined,
      [{ field: 'defaults.routes.low', reason: 'must not be auto' }],
    ],
    [
      'a line with no field',
      ['something broke'],
      undefined,
      [{ field: '(root)', reason: 'something broke' }],
    ],
  ])('reads %s', (_case, lines, prefix, problems) => {
    expect(toProblems(lines, prefix)).toEqual(problems);
  });
});
