import { Decimal128, Long, ObjectId } from 'mongodb';
import { filterShape, PREFIXED_STRING, shareKeyPrefix, valueType } from './filter-shape';

describe('valueType', () => {
  it.each([
    ['a', 'string'],
    [1, 'number'],
    [Long.fromNumber(1), 'number'],
    [Decimal128.fromString('1.5'), 'number'],
    [true, 'boolean'],
    [null, 'null'],
    [undefined, 'undefined'],
    [new Date(0), 'date'],
    [/^a/, 'regex'],
    [new ObjectId(), 'objectId'],
    [[1, 2], 'array'],
    [{ a: 1 }, 'object'],
  ])('%p is %s', (value, type) => {
    expect(valueType(value)).toBe(type);
  });
});

describe('filterShape', () => {
  it.each([
    ['no filter', undefined, {}],
    ['an empty filter', {}, {}],
    ['an exact _id', { _id: 'd-1' }, { _id: '$eq:string' }],
    ['an ObjectId _id', { _id: new ObjectId() }, { _id: '$eq:objectId' }],
    ['an explicit $eq', { _id: { $eq: 'd-1' } }, { _id: { $eq: 'string' } }],
    ['_id $in', { _id: { $in: ['a', 'b'] } }, { _id: { $in: 'array' } }],
    [
      'an _id and a version bound',
      { _id: 'd-1', version: { $lt: 3 } },
      { _id: '$eq:string', version: { $lt: 'number' } },
    ],
    ['a $nin', { status: { $nin: ['closed'] } }, { status: { $nin: 'array' } }],
    ['a date bound', { nextTimerAt: { $lte: new Date() } }, { nextTimerAt: { $lte: 'date' } }],
    ['keys sorted', { b: 1, a: 'x' }, { a: '$eq:string', b: '$eq:number' }],
    ['a subdocument equality', { subject: { kind: 'customer' } }, { subject: '$eq:object' }],
    ['dotted paths kept', { 'subject.id': 'c-1' }, { 'subject.id': '$eq:string' }],
    [
      'an $or of clauses',
      { $or: [{ a: 1 }, { b: { $exists: false } }] },
      { $or: [{ a: '$eq:number' }, { b: { $exists: 'boolean' } }] },
    ],
    ['a $regex', { decisionId: { $regex: '^run-' } }, { decisionId: { $regex: 'string' } }],
    ['a regex value', { decisionId: /^run-/ }, { decisionId: '$eq:regex' }],
    [
      'an $elemMatch on documents',
      { items: { $elemMatch: { sku: 'a', qty: { $gt: 1 } } } },
      { items: { $elemMatch: { qty: { $gt: 'number' }, sku: '$eq:string' } } },
    ],
    ['a $not', { n: { $not: { $gt: 1 } } }, { n: { $not: { $gt: 'number' } } }],
    ['an $expr', { $expr: { $gt: ['$a', '$b'] } }, { $expr: 'object' }],
    [
      'an _id range under one prefix',
      { _id: { $gte: 'list-a#000001', $lt: 'list-a#000051' } },
      { _id: { $gte: PREFIXED_STRING, $lt: PREFIXED_STRING } },
    ],
    [
      'an _id range across prefixes',
      { _id: { $gte: 'list-a#000001', $lt: 'list-b#000001' } },
      { _id: { $gte: 'string', $lt: 'string' } },
    ],
    ['an open _id range', { _id: { $gt: 'a#1' } }, { _id: { $gt: 'string' } }],
    [
      'a range on another field is never marked',
      { key: { $gte: 'a#1', $lt: 'a#9' } },
      { key: { $gte: 'string', $lt: 'string' } },
    ],
  ])('%s', (_name, filter, shape) => {
    expect(filterShape(filter)).toEqual(shape);
  });
});

describe('shareKeyPrefix', () => {
  it.each([
    ['d-1#0001', 'd-1#0050', true],
    ['fn#2025-11-27#01', 'fn#2025-11-27#99', true],
    ['fn#2025-11-27#01', 'fn#2025-11-28#01', true],
    ['d-1#', 'd-1#\uffff', true],
    ['d-1#1', 'd-2#1', false],
    ['#1', '#2', false],
    ['abc', 'abd', false],
  ])('%p and %p: %p', (a, b, shared) => {
    expect(shareKeyPrefix(a, b)).toBe(shared);
  });
});
