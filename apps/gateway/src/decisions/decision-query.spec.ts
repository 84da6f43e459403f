import { Problem } from '@oversight/contracts';
import { decisionExportQuery, decisionListQuery, QueryParams } from './decision-query';

const fields = (problems: Problem[]) => problems.map((p) => p.field).sort();

describe('decisionListQuery', () => {
  it.each<[string, QueryParams, Record<string, unknown>]>([
    ['nothing asked: everything, 50 at a time', {}, { filter: {}, limit: 50 }],
    [
      'every filter',
      {
        function: 'telecom-billing',
        route: 'review',
        tier: 'critical',
        from: '2026-11-01',
        to: '2026-11-26T12:00:00Z',
        limit: '500',
      },
      {
        filter: {
          businessFunction: 'telecom-billing',
          route: 'review',
          tier: 'critical',
          from: new Date('2026-11-01T00:00:00Z'),
          to: new Date('2026-11-26T12:00:00Z'),
        },
        limit: 500,
      },
    ],
    ['empty parameters count as absent', { function: '', route: '', limit: '' }, { filter: {}, limit: 50 }],
  ])('%s', (_case, query, expected) => {
    const problems: Problem[] = [];
    expect(decisionListQuery(query, problems)).toEqual(expected);
    expect(problems).toEqual([]);
  });

  it.each<[string, QueryParams, string[]]>([
    ['a route the projection never stores', { route: 'human' }, ['route']],
    ['a tier that does not exist', { tier: 'severe' }, ['tier']],
    ['a function that is not a slug', { function: 'Telecom Billing' }, ['function']],
    ['a date that is not ISO 8601', { from: '11/25/2026' }, ['from']],
    ['an ISO form Date cannot read', { to: '2026-W48' }, ['to']],
    ['a range that ends before it starts', { from: '2026-11-26', to: '2026-11-25' }, ['to']],
    ['no decisions', { limit: '0' }, ['limit']],
    ['too many', { limit: '501' }, ['limit']],
    ['a parameter given twice', { route: ['auto', 'block'] }, ['route']],
    [
      'everything wrong at once',
      { route: 'x', tier: 'x', from: 'x', limit: 'x' },
      ['from', 'limit', 'route', 'tier'],
    ],
  ])('names the field of %s', (_case, query, expected) => {
    const problems: Problem[] = [];
    decisionListQuery(query, problems);
    expect(fields(problems)).toEqual(expected);
  });
});

describe('decisionExportQuery', () => {
  it.each<[QueryParams, string | undefined, string[]]>([
    [{}, 'ndjson', []],
    [{ format: 'csv' }, 'csv', []],
    [{ format: 'xml' }, 'ndjson', ['format']],
    [{ format: 'csv', route: 'auto', limit: 'ignored' }, 'csv', []],
  ])('%j → %s', (query, format, problemFields) => {
    const problems: Problem[] = [];
    expect(decisionExportQuery(query, problems).format).toBe(format);
    expect(fields(problems)).toEqual(problemFields);
  });
});
