import { storeCommandsOf } from './store-command';

const at = new Date('2025-11-27T10:00:00Z');

describe('storeCommandsOf', () => {
  it.each([
    [
      'a find with sort, limit and comment',
      'find',
      {
        find: 'review_tasks',
        filter: { nextTimerAt: { $lte: at } },
        sort: { nextTimerAt: 1 },
        limit: 100,
        projection: { _id: 1 },
        comment: 'offline:bench',
      },
      [
        {
          service: 's',
          command: 'find',
          collection: 'review_tasks',
          filter: { nextTimerAt: { $lte: 'date' } },
          sort: { nextTimerAt: 1 },
          limit: 100,
          comment: 'offline:bench',
        },
      ],
    ],
    [
      'a sort as the driver sends it (a Map)',
      'find',
      {
        find: 'review_tasks',
        filter: {},
        sort: new Map([
          ['dueAt', 1],
          ['_id', -1],
        ]),
      },
      [
        {
          service: 's',
          command: 'find',
          collection: 'review_tasks',
          filter: {},
          sort: { dueAt: 1, _id: -1 },
        },
      ],
    ],
    [
      'a findById',
      'find',
      { find: 'routing_ledger', filter: { _id: 'd-1' }, limit: 1, singleBatch: true },
      [
        {
          service: 's',
          command: 'find',
          collection: 'routing_ledger',
          filter: { _id: '$eq:string' },
          limit: 1,
        },
      ],
    ],
    [
      'a getMore',
      'getMore',
      { getMore: 123, collection: 'audit_events', batchSize: 100 },
      [{ service: 's', command: 'getMore', collection: 'audit_events' }],
    ],
    [
      'an insert',
      'insert',
      { insert: 'audit_events', documents: [{ _id: 'a' }, { _id: 'b' }], ordered: true },
      [{ service: 's', command: 'insert', collection: 'audit_events', documents: 2 }],
    ],
    [
      'an update of two statements',
      'update',
      {
        update: 'review_tasks',
        updates: [
          { q: { _id: 'd-1', version: { $lt: 2 } }, u: { $set: { a: 1 } } },
          { q: { outboxPending: true }, u: { $set: { a: 1 } }, multi: true, upsert: true },
        ],
      },
      [
        {
          service: 's',
          command: 'update',
          collection: 'review_tasks',
          filter: { _id: '$eq:string', version: { $lt: 'number' } },
        },
        {
          service: 's',
          command: 'update',
          collection: 'review_tasks',
          filter: { outboxPending: '$eq:boolean' },
          multi: true,
          upsert: true,
        },
      ],
    ],
    [
      'a deleteOne',
      'delete',
      { delete: 'oversight_label_waits', deletes: [{ q: { _id: 'd-1#e-1' }, limit: 1 }] },
      [
        {
          service: 's',
          command: 'delete',
          collection: 'oversight_label_waits',
          filter: { _id: '$eq:string' },
          limit: 1,
        },
      ],
    ],
    [
      'a countDocuments (an aggregation)',
      'aggregate',
      {
        aggregate: 'drift_episodes',
        pipeline: [{ $match: { businessFunction: 'x' } }, { $group: { _id: 1, n: { $sum: 1 } } }],
        cursor: {},
      },
      [
        {
          service: 's',
          command: 'aggregate',
          collection: 'drift_episodes',
          filter: { businessFunction: '$eq:string' },
          pipeline: ['$match', '$group'],
        },
      ],
    ],
    [
      'an aggregation without $match, with a sort and a limit',
      'aggregate',
      { aggregate: 'audit_events', pipeline: [{ $sort: { at: -1 } }, { $limit: 10 }], cursor: {} },
      [
        {
          service: 's',
          command: 'aggregate',
          collection: 'audit_events',
          filter: {},
          sort: { at: -1 },
          limit: 10,
          pipeline: ['$sort', '$limit'],
        },
      ],
    ],
    [
      'a count',
      'count',
      { count: 'api_keys', query: {} },
      [{ service: 's', command: 'count', collection: 'api_keys', filter: {} }],
    ],
    [
      'a distinct',
      'distinct',
      { distinct: 'audit_events', key: 'decisionId', query: { type: 'X' } },
      [
        {
          service: 's',
          command: 'distinct',
          collection: 'audit_events',
          filter: { type: '$eq:string' },
          key: 'decisionId',
        },
      ],
    ],
    [
      'a findOneAndUpdate',
      'findAndModify',
      { findAndModify: 'tasks', query: { _id: 'a' }, sort: { at: 1 }, update: { $set: {} }, upsert: true },
      [
        {
          service: 's',
          command: 'findAndModify',
          collection: 'tasks',
          filter: { _id: '$eq:string' },
          sort: { at: 1 },
          upsert: true,
        },
      ],
    ],
    ['a ping', 'ping', { ping: 1 }, []],
    ['a createIndexes', 'createIndexes', { createIndexes: 'a', indexes: [] }, []],
    ['an endSessions', 'endSessions', { endSessions: [] }, []],
  ])('%s', (_name, commandName, command, expected) => {
    expect(storeCommandsOf(commandName, command, 's')).toEqual(expected);
  });

  it('keeps a comment that is not a string out', () => {
    expect(storeCommandsOf('find', { find: 'a', filter: {}, comment: { by: 'x' } }, 's')).toEqual([
      { service: 's', command: 'find', collection: 'a', filter: {} },
    ]);
  });
});
