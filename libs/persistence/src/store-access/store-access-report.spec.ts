import { compactShape, describeScan, scansOf, storeAccessFailure } from './store-access-report';
import { StoreCommand } from './store-command';

const timers: StoreCommand = {
  service: 'escalation',
  command: 'find',
  collection: 'review_tasks',
  filter: { nextTimerAt: { $lte: 'date' } },
  sort: { nextTimerAt: 1 },
  limit: 100,
};
const byId: StoreCommand = {
  service: 'escalation',
  command: 'find',
  collection: 'review_tasks',
  filter: { _id: '$eq:string' },
};
const queue: StoreCommand = {
  service: 'gateway',
  command: 'find',
  collection: 'resolve_tasks',
  filter: { status: '$eq:string' },
};

describe('scansOf', () => {
  it('groups the scans by shape and service, the most frequent first, and leaves cheap queries out', () => {
    const groups = scansOf([timers, byId, queue, { ...timers, limit: 50 }, timers, byId], {});
    expect(groups).toEqual([
      {
        service: 'escalation',
        command: 'find',
        collection: 'review_tasks',
        filter: { nextTimerAt: { $lte: 'date' } },
        sort: { nextTimerAt: 1 },
        count: 3,
        reason: 'filters on nextTimerAt without an exact _id',
        limits: [50, 100],
        comments: [],
      },
      {
        service: 'gateway',
        command: 'find',
        collection: 'resolve_tasks',
        filter: { status: '$eq:string' },
        count: 1,
        reason: 'filters on status without an exact _id',
        limits: [],
        comments: [],
      },
    ]);
  });

  it('tells the same shape from two services apart, and one shape in another key order is one shape', () => {
    const fromGateway = { ...timers, service: 'gateway' };
    expect(scansOf([timers, fromGateway], {}).map((group) => [group.service, group.count])).toEqual([
      ['escalation', 1],
      ['gateway', 1],
    ]);
  });

  it('is empty when every query is cheap', () => {
    expect(scansOf([byId, { ...queue, comment: 'offline:cli' }], {})).toEqual([]);
  });
});

describe('the report', () => {
  it('writes a shape without quotes', () => {
    expect(compactShape({ status: { $nin: 'array' } })).toBe('{status:{$nin:array}}');
  });

  it('names collection, command, shape, sort, service and count, and says what to do', () => {
    const [group] = scansOf(Array(412).fill(timers), {});
    expect(describeScan(group)).toBe(
      'review_tasks find {nextTimerAt:{$lte:date}} sort {nextTimerAt:1} limit 100 from escalation (412 times): ' +
        'scans (filters on nextTimerAt without an exact _id); use an _id lookup, an _id-prefix range, ' +
        'or a bounded collection (docs/store-access.md)',
    );
  });

  it('counts the shapes and queries first, then lists each shape once', () => {
    const message = storeAccessFailure(scansOf([timers, timers, queue], {}));
    const lines = message.split('\n');
    expect(lines[0]).toBe('2 query shapes (3 queries) scan the store:');
    expect(lines.slice(1, 3).map((line) => line.trim().split(' ').slice(0, 2).join(' '))).toEqual([
      'review_tasks find',
      'resolve_tasks find',
    ]);
    expect(lines[2]).toContain('from gateway (once)');
    expect(lines[3]).toContain("comment 'offline:<what>'");
    expect(lines).toHaveLength(4);
  });
});
