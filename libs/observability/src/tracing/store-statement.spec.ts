import { storeStatement } from './store-statement';

describe('storeStatement', () => {
  it.each([
    [
      'an insert batch: its size, not its documents',
      { insert: 'audit_events', documents: Array.from({ length: 500 }, (_, i) => ({ _id: `e-${i}` })) },
      'insert audit_events 500 documents',
    ],
    [
      'a find by _id: the filter shape, values hidden',
      { find: 'review_tasks', filter: { _id: 'dec-1' }, limit: 1 },
      'find review_tasks {"_id":"?"}',
    ],
    [
      'a range on an _id prefix',
      { find: 'audit_events', filter: { _id: { $gte: 'dec-1#', $lt: 'dec-1$' } } },
      'find audit_events {"_id":{"$gte":"?","$lt":"?"}}',
    ],
    [
      'updates: how many',
      { update: 'executions', updates: [{ q: { _id: 'x' }, u: { $set: { state: 'done' } } }] },
      'update executions 1 updates',
    ],
    [
      'an aggregate: its stages',
      { aggregate: 'c', pipeline: [{ $match: { a: 1 } }] },
      'aggregate c [{"$match":{"a":"?"}}]',
    ],
    ['nothing at all', {}, ''],
  ])('%s', (_case, command, expected) => {
    expect(storeStatement(command)).toBe(expected);
  });

  it('never grows past 200 characters', () => {
    const filter = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`field${i}`, i]));
    const statement = storeStatement({ find: 'wide', filter });
    expect(statement).toHaveLength(200);
    expect(statement.endsWith('…')).toBe(true);
  });
});
