import {
  compareIndexes,
  describeDifference,
  IndexedEntry,
  ListDifference,
  withoutRepeats,
} from './decision-index-comparison';

/** `{ 'day/x/p0': ['a', 'b'] }` as entries seq 1, 2… (or at the seqs given as `a@3`). */
function index(lists: Record<string, string[]>): IndexedEntry[] {
  return Object.entries(lists).flatMap(([list, decisions]) =>
    decisions.map((named, position) => {
      const [decisionId, seq] = named.split('@');
      return { list, decisionId, seq: seq ? Number(seq) : position + 1 };
    }),
  );
}

describe('withoutRepeats', () => {
  it.each([
    ['nothing repeated', ['a', 'b', 'c'], ['a', 'b', 'c']],
    ['a redelivered event right after itself', ['a', 'a', 'b'], ['a', 'b']],
    ['a redelivered batch after the first delivery', ['a', 'b', 'c', 'b', 'c', 'd'], ['a', 'b', 'c', 'd']],
    ['empty', [], []],
  ])('%s', (_name, decisionIds, expected) => {
    expect(withoutRepeats(decisionIds)).toEqual(expected);
  });
});

describe('compareIndexes', () => {
  const day = 'day/2026-11-27/p0';
  const tier = 'tier/low/2026-11-27/p1';

  it.each<[string, Record<string, string[]>, Record<string, string[]>, ListDifference[]]>([
    ['the same lists', { [day]: ['a', 'b'], [tier]: ['a'] }, { [day]: ['a', 'b'], [tier]: ['a'] }, []],
    ['both empty', {}, {}, []],
    [
      'live lists a redelivered batch again',
      { [day]: ['a', 'b', 'c', 'b', 'c', 'd'] },
      { [day]: ['a', 'b', 'c', 'd'] },
      [],
    ],
    [
      'the order differs',
      { [day]: ['a', 'b', 'c'] },
      { [day]: ['a', 'c', 'b'] },
      [{ list: day, kind: 'differs', position: 1, live: 'b', rebuilt: 'c' }],
    ],
    [
      'a decision listed live but not rebuilt',
      { [day]: ['a', 'x', 'b'] },
      { [day]: ['a', 'b'] },
      [{ list: day, kind: 'differs', position: 1, live: 'x', rebuilt: 'b' }],
    ],
    [
      'the live list is ahead (the service went on)',
      { [day]: ['a', 'b', 'c'] },
      { [day]: ['a', 'b'] },
      [{ list: day, kind: 'differs', position: 2, live: 'c', rebuilt: undefined }],
    ],
    [
      'the rebuilt list goes on (the trail holds more than was listed)',
      { [day]: ['a'] },
      { [day]: ['a', 'b'] },
      [{ list: day, kind: 'differs', position: 1, live: undefined, rebuilt: 'b' }],
    ],
    [
      'a list only rebuilt',
      { [day]: ['a'] },
      { [day]: ['a'], [tier]: ['a'] },
      [{ list: tier, kind: 'differs', position: 0, live: undefined, rebuilt: 'a' }],
    ],
    [
      'a list only live',
      { [day]: ['a'], [tier]: ['a'] },
      { [day]: ['a'] },
      [{ list: tier, kind: 'differs', position: 0, live: 'a', rebuilt: undefined }],
    ],
    [
      'a gap in a live list',
      { [day]: ['a', 'b@3'] },
      { [day]: ['a', 'b'] },
      [{ list: day, kind: 'gap', side: 'live', missingSeq: 2 }],
    ],
    [
      'a rebuilt list that does not start at seq 1',
      { [day]: ['a'] },
      { [day]: ['a@2'] },
      [{ list: day, kind: 'gap', side: 'rebuilt', missingSeq: 1 }],
    ],
    [
      'one difference per list, lists in name order',
      { [tier]: ['a', 'b', 'c'], [day]: ['a', 'b', 'c'] },
      { [tier]: ['a', 'x', 'y'], [day]: ['z', 'b', 'w'] },
      [
        { list: day, kind: 'differs', position: 0, live: 'a', rebuilt: 'z' },
        { list: tier, kind: 'differs', position: 1, live: 'b', rebuilt: 'x' },
      ],
    ],
  ])('%s', (_name, live, rebuilt, differences) => {
    expect(compareIndexes(index(live), index(rebuilt)).differences).toEqual(differences);
  });

  it('does not depend on the order entries are read in', () => {
    const entries = index({ [day]: ['a', 'b', 'c'] });
    expect(compareIndexes(entries, [...entries].reverse()).differences).toEqual([]);
  });

  it('counts lists, entries and the repeats it dropped on each side', () => {
    expect(
      compareIndexes(index({ [day]: ['a', 'b', 'a', 'b'], [tier]: ['a'] }), index({ [day]: ['a', 'b'] })),
    ).toMatchObject({
      lists: 2,
      entries: { live: 5, rebuilt: 2 },
      repeats: { live: 2, rebuilt: 0 },
    });
  });
});

describe('describeDifference', () => {
  const list = 'day/2026-11-27/p0';
  it.each<[ListDifference, string]>([
    [
      { list, kind: 'differs', position: 2, live: 'b', rebuilt: 'c' },
      `${list}: decision 3: live b, rebuilt c`,
    ],
    [{ list, kind: 'differs', position: 0, rebuilt: 'a' }, `${list}: only in the rebuilt index (first: a)`],
    [{ list, kind: 'differs', position: 0, live: 'a' }, `${list}: only in the live index (first: a)`],
    [
      { list, kind: 'differs', position: 1, live: 'b' },
      `${list}: decision 2: the rebuilt list ends, the live one goes on with b`,
    ],
    [
      { list, kind: 'differs', position: 1, rebuilt: 'b' },
      `${list}: decision 2: the live list ends, the rebuilt one goes on with b`,
    ],
    [
      { list, kind: 'gap', side: 'live', missingSeq: 4 },
      `${list}: the live list has no entry 4 (its seqs have a gap)`,
    ],
  ])('%j', (difference, line) => {
    expect(describeDifference(difference)).toBe(line);
  });
});
