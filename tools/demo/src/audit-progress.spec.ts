import { committedSince } from './audit-progress';

describe("the audit service's progress from its committed offsets", () => {
  const positions = (entries: [string, number][]) => new Map(entries.map(([key, n]) => [key, BigInt(n)]));

  it.each([
    ['nothing stored yet', [['a/0', 10]], [['a/0', 10]], 0],
    [
      'summed over topics and partitions',
      [
        ['a/0', 10],
        ['a/1', 0],
        ['b/0', 5],
      ],
      [
        ['a/0', 14],
        ['a/1', 3],
        ['b/0', 6],
      ],
      8,
    ],
    [
      'a partition the run did not start on counts nothing',
      [['a/0', 2]],
      [
        ['a/0', 4],
        ['c/0', 99],
      ],
      2,
    ],
    ['offsets never move back', [['a/0', 7]], [['a/0', 5]], 0],
  ] as [string, [string, number][], [string, number][], number][])('%s', (_name, start, now, expected) => {
    expect(committedSince(positions(start), positions(now))).toBe(expected);
  });
});
