import { Problem } from '@oversight/contracts';
import { encodeCursor, INDEX_PARTITIONS } from '@oversight/audit-trail';
import { decisionExportQuery, decisionListQuery, QueryParams } from './decision-query';

const issued = {
  filter: { businessFunction: 'telecom-billing' },
  from: Date.parse('2026-11-01T00:00:00Z'),
  to: Date.parse('2026-11-26T12:00:00Z'),
  day: '2026-11-20',
  seqs: Array.from({ length: INDEX_PARTITIONS }, () => 4),
};
const cursor = encodeCursor(issued);

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
    [
      'the next page of a query',
      { function: 'telecom-billing', cursor },
      { filter: { businessFunction: 'telecom-billing' }, limit: 50, after: issued },
    ],
    [
      'the next page, with the window given again',
      { function: 'telecom-billing', from: '2026-11-01', to: '2026-11-26T12:00:00Z', cursor },
      {
        filter: {
          businessFunction: 'telecom-billing',
          from: new Date('2026-11-01T00:00:00Z'),
          to: new Date('2026-11-26T12:00:00Z'),
        },
        limit: 50,
        after: issued,
      },
    ],
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
    ['a cursor that is not one', { cursor: 'abc' }, ['cursor']],
    ['a cursor of another function', { function: 'finance-ap', cursor }, ['cursor']],
    ['a cursor without its filter', { cursor }, ['cursor']],
    ['a cursor of another window', { function: 'telecom-billing', from: '2026-11-02', cursor }, ['cursor']],
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
