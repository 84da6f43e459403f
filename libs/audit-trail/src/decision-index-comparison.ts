/**
 * Whether two decision indexes (DecisionIndexEntry collections) hold the same lists: the live one the audit
 * service keeps and one rebuilt from the trail (`audit rebuild-index`, `audit compare-index`). Plain data in,
 * plain data out; the command-line tool does the reading.
 */

/** An entry as read from an index collection; the order entries come in does not matter. */
export interface IndexedEntry {
  list: string;
  seq: number;
  decisionId: string;
}

export type IndexSide = 'live' | 'rebuilt';

export type ListDifference =
  /** The list's seqs do not run 1, 2, 3… : a reader walking down from the last seq would stop or skip here. */
  | { list: string; kind: 'gap'; side: IndexSide; missingSeq: number }
  /**
   * The lists part at `position` (0-based, counted after repeats are dropped); `live` or `rebuilt` is
   * undefined where that list has already ended (at position 0: the list is not in that index at all).
   */
  | { list: string; kind: 'differs'; position: number; live?: string; rebuilt?: string };

export interface IndexComparison {
  /** Lists in either index. */
  lists: number;
  entries: Record<IndexSide, number>;
  /** Entries naming a decision their list had already named (a redelivered event listed again). */
  repeats: Record<IndexSide, number>;
  /** The first difference of each list that differs, lists in name order. */
  differences: ListDifference[];
}

/** Each list's entries, in seq order. */
function listsOf(entries: Iterable<IndexedEntry>): Map<string, IndexedEntry[]> {
  const lists = new Map<string, IndexedEntry[]>();
  for (const entry of entries) {
    const list = lists.get(entry.list);
    if (list) list.push(entry);
    else lists.set(entry.list, [entry]);
  }
  for (const list of lists.values()) list.sort((a, b) => a.seq - b.seq);
  return lists;
}

/** Entries sorted by seq should hold 1, 2, 3…: the first seq that is not there, if any. */
function firstMissingSeq(entries: IndexedEntry[]): number | undefined {
  const index = entries.findIndex((entry, position) => entry.seq !== position + 1);
  return index < 0 ? undefined : index + 1;
}

/**
 * A list's decisions once each is named once: a redelivered batch lists its decisions again after the first
 * delivery's (not always right after: other events may come between), and readers drop the repeats, so the
 * first time a decision is listed is where it stands.
 */
export function withoutRepeats(decisionIds: string[]): string[] {
  const seen = new Set<string>();
  return decisionIds.filter((decisionId) => !seen.has(decisionId) && seen.add(decisionId));
}

/**
 * Compares every list of two indexes: equal when each list names the same decisions in the same order once
 * repeats are dropped (withoutRepeats) and its seqs run without a gap. Reports the first difference per list.
 */
export function compareIndexes(
  live: Iterable<IndexedEntry>,
  rebuilt: Iterable<IndexedEntry>,
): IndexComparison {
  const sides = { live: listsOf(live), rebuilt: listsOf(rebuilt) };
  const names = [...new Set([...sides.live.keys(), ...sides.rebuilt.keys()])].sort();
  const comparison: IndexComparison = {
    lists: names.length,
    entries: { live: 0, rebuilt: 0 },
    repeats: { live: 0, rebuilt: 0 },
    differences: [],
  };
  for (const list of names) {
    const decisions = {} as Record<IndexSide, string[]>;
    let gap: ListDifference | undefined;
    for (const side of ['live', 'rebuilt'] as const) {
      const entries = sides[side].get(list) ?? [];
      const missingSeq = firstMissingSeq(entries);
      if (missingSeq !== undefined && !gap) gap = { list, kind: 'gap', side, missingSeq };
      decisions[side] = withoutRepeats(entries.map((entry) => entry.decisionId));
      comparison.entries[side] += entries.length;
      comparison.repeats[side] += entries.length - decisions[side].length;
    }
    if (gap) {
      comparison.differences.push(gap);
      continue;
    }
    const length = Math.max(decisions.live.length, decisions.rebuilt.length);
    for (let position = 0; position < length; position += 1) {
      if (decisions.live[position] !== decisions.rebuilt[position]) {
        comparison.differences.push({
          list,
          kind: 'differs',
          position,
          live: decisions.live[position],
          rebuilt: decisions.rebuilt[position],
        });
        break;
      }
    }
  }
  return comparison;
}

/** One line for a difference, as the command-line tool prints it. */
export function describeDifference(difference: ListDifference): string {
  const { list } = difference;
  if (difference.kind === 'gap') {
    return `${list}: the ${difference.side} list has no entry ${difference.missingSeq} (its seqs have a gap)`;
  }
  const { position, live, rebuilt } = difference;
  if (position === 0 && live === undefined) return `${list}: only in the rebuilt index (first: ${rebuilt})`;
  if (position === 0 && rebuilt === undefined) return `${list}: only in the live index (first: ${live})`;
  const at = `decision ${position + 1}`;
  if (live === undefined)
    return `${list}: ${at}: the live list ends, the rebuilt one goes on with ${rebuilt}`;
  if (rebuilt === undefined)
    return `${list}: ${at}: the rebuilt list ends, the live one goes on with ${live}`;
  return `${list}: ${at}: live ${live}, rebuilt ${rebuilt}`;
}
