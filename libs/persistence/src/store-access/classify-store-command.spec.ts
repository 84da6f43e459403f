import { classifyStoreCommand } from './classify-store-command';
import { PREFIXED_STRING } from './filter-shape';
import { StoreCommand } from './store-command';

const query = (fields: Partial<StoreCommand>): StoreCommand => ({
  service: 'escalation',
  command: 'find',
  collection: 'review_tasks',
  filter: {},
  ...fields,
});

describe('classifyStoreCommand', () => {
  it.each<[string, Partial<StoreCommand>, 'cheap' | 'scan', string]>([
    ['an exact _id', { filter: { _id: '$eq:string' } }, 'cheap', 'exact _id'],
    ['an exact ObjectId _id', { filter: { _id: '$eq:objectId' } }, 'cheap', 'exact _id'],
    ['an explicit $eq _id', { filter: { _id: { $eq: 'string' } } }, 'cheap', 'exact _id'],
    ['a numeric _id (not looked up)', { filter: { _id: '$eq:number' } }, 'scan', '_id condition'],
    [
      'a read by exact _id with a version bound',
      { filter: { _id: '$eq:string', version: { $lt: 'number' } } },
      'cheap',
      'exact _id',
    ],
    [
      'an update by exact _id (the store decodes the collection to apply it)',
      { command: 'update', filter: { _id: '$eq:string', version: { $lt: 'number' } } },
      'scan',
      'even by exact _id',
    ],
    [
      'a delete by exact _id',
      { command: 'delete', filter: { _id: '$eq:string' } },
      'scan',
      'even by exact _id',
    ],
    [
      'a findAndModify by exact _id',
      { command: 'findAndModify', filter: { _id: '$eq:string' } },
      'scan',
      'even by exact _id',
    ],
    ['_id $in', { filter: { _id: { $in: 'array' } } }, 'scan', '_id $in'],
    [
      'an _id range under one prefix',
      { filter: { _id: { $gte: PREFIXED_STRING, $lt: PREFIXED_STRING } } },
      'cheap',
      'key prefix',
    ],
    [
      'an _id range $gt/$lte under one prefix, with another condition',
      { filter: { _id: { $gt: PREFIXED_STRING, $lte: PREFIXED_STRING }, type: '$eq:string' } },
      'cheap',
      'key prefix',
    ],
    [
      'an _id range across prefixes',
      { filter: { _id: { $gte: 'string', $lt: 'string' } } },
      'scan',
      '_id condition',
    ],
    ['an open _id range', { filter: { _id: { $gte: PREFIXED_STRING } } }, 'scan', '_id condition'],
    ['an insert', { command: 'insert', filter: undefined, documents: 3 }, 'cheap', 'insert'],
    ['a getMore', { command: 'getMore', filter: undefined }, 'cheap', 'continues a cursor'],
    [
      'a filter on a field',
      { filter: { nextTimerAt: { $lte: 'date' } }, sort: { nextTimerAt: 1 } },
      'scan',
      'filters on nextTimerAt without an exact _id',
    ],
    ['no filter', { filter: {} }, 'scan', 'no filter'],
    ['an $or of exact _ids', { filter: { $or: [{ _id: '$eq:string' }] } }, 'scan', 'filters on $or'],
    [
      'an aggregation without $match',
      { command: 'aggregate', filter: {}, pipeline: ['$group'] },
      'scan',
      'without a leading $match',
    ],
    [
      'an aggregation matching an exact _id',
      { command: 'aggregate', filter: { _id: '$eq:string' }, pipeline: ['$match', '$group'] },
      'cheap',
      'exact _id',
    ],
    [
      'an update by a field',
      { command: 'update', filter: { outboxPending: '$eq:boolean' }, multi: true },
      'scan',
      'filters on outboxPending',
    ],
    [
      'an operator-run export',
      { filter: {}, comment: 'offline:audit-export' },
      'cheap',
      'operator-run (audit-export)',
    ],
    ['an offline comment naming nothing', { filter: {}, comment: 'offline:' }, 'scan', 'no filter'],
    ['another comment', { filter: {}, comment: 'console:queue' }, 'scan', 'no filter'],
  ])('%s', (_name, fields, cost, reason) => {
    const access = classifyStoreCommand(query(fields), {});
    expect(access.cost).toBe(cost);
    expect(access.reason).toContain(reason);
  });

  it('lets any query of a collection bounded by open work through, with the reason', () => {
    const bounded = { open_review_tasks: 'one document per open review task, deleted when it closes' };
    expect(
      classifyStoreCommand(
        query({ collection: 'open_review_tasks', filter: { nextTimerAt: { $lte: 'date' } } }),
        bounded,
      ),
    ).toEqual({
      cost: 'cheap',
      reason: 'bounded collection: one document per open review task, deleted when it closes',
    });
    expect(classifyStoreCommand(query({ filter: {} }), bounded).cost).toBe('scan');
  });
});

describe('known scans', () => {
  const known = { 'oversight-window': 'the metrics window; roll-ups will fix it' };

  it.each<[string, string | undefined, 'scan' | 'known']>([
    ['named at its code site', 'debt:oversight-window', 'known'],
    ['a name nobody declared is still a scan', 'debt:something-else', 'scan'],
    ['without a name', undefined, 'scan'],
  ])('%s', (_name, comment, cost) => {
    const command = query({ filter: { businessFunction: '$eq:string' }, ...(comment ? { comment } : {}) });
    expect(classifyStoreCommand(command, {}, known).cost).toBe(cost);
  });
});
