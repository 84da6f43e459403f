import { Problem } from '@oversight/contracts';
import { metricsQuery, suggestionsQuery } from './oversight-query';

describe('metricsQuery', () => {
  it.each<[string, Record<string, unknown>, ReturnType<typeof metricsQuery>, string[]]>([
    ['the defaults', {}, { filter: {}, hours: 24, bucketMinutes: 60 }, []],
    [
      'every filter',
      {
        businessFunction: 'telecom-billing',
        actionType: 'refund',
        modelId: 'gpt-ops',
        modelVersion: '2026-10-01',
        hours: '6',
        bucketMinutes: '15',
      },
      {
        filter: {
          businessFunction: 'telecom-billing',
          actionType: 'refund',
          modelId: 'gpt-ops',
          modelVersion: '2026-10-01',
        },
        hours: 6,
        bucketMinutes: 15,
      },
      [],
    ],
    [
      'a function that is not a slug',
      { businessFunction: 'Telecom Billing' },
      { filter: {}, hours: 24, bucketMinutes: 60 },
      ['businessFunction'],
    ],
    ['no hours', { hours: '0' }, { filter: {}, hours: 24, bucketMinutes: 60 }, ['hours']],
    [
      'a parameter given twice',
      { actionType: ['refund', 'credit'] },
      { filter: {}, hours: 24, bucketMinutes: 60 },
      ['actionType'],
    ],
    [
      'too many points',
      { hours: '720', bucketMinutes: '1' },
      { filter: {}, hours: 720, bucketMinutes: 1 },
      ['bucketMinutes'],
    ],
  ])('reads %s', (_name, query, expected, fields) => {
    const problems: Problem[] = [];
    expect(metricsQuery(query, problems)).toEqual(expected);
    expect(problems.map((problem) => problem.field)).toEqual(fields);
  });
});

describe('suggestionsQuery', () => {
  it.each<[Record<string, unknown>, ReturnType<typeof suggestionsQuery>, string[]]>([
    [{}, { days: 30 }, []],
    [{ businessFunction: 'finance-ap', days: '7' }, { businessFunction: 'finance-ap', days: 7 }, []],
    [{ days: '1000' }, { days: 30 }, ['days']],
  ])('reads %j', (query, expected, fields) => {
    const problems: Problem[] = [];
    expect(suggestionsQuery(query, problems)).toEqual(expected);
    expect(problems.map((problem) => problem.field)).toEqual(fields);
  });
});
