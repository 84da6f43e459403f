import { BOUNDED_COLLECTIONS } from './bounded-collections';
import { classifyStoreCommand, OFFLINE_COMMENT } from './classify-store-command';
import { FilterShape } from './filter-shape';
import { StoreCommand } from './store-command';

/** Every recorded query of one shape that scans, from one service. */
export interface ScanGroup {
  service: string;
  command: string;
  collection: string;
  filter: FilterShape;
  sort?: Record<string, unknown>;
  /** How many times it was sent. */
  count: number;
  reason: string;
  /** The limits it was sent with, ascending (a shape's limit often comes from a request). */
  limits: number[];
  comments: string[];
}

const groupKey = (command: StoreCommand) =>
  JSON.stringify([
    command.collection,
    command.command,
    command.filter ?? {},
    command.sort ?? null,
    command.service,
  ]);

/**
 * The recorded queries that scan, one group per shape and service, the most frequent first; with `cost`
 * 'known', those named as known scans instead.
 */
export function scansOf(
  commands: readonly StoreCommand[],
  bounded: Readonly<Record<string, string>> = BOUNDED_COLLECTIONS,
  cost: 'scan' | 'known' = 'scan',
): ScanGroup[] {
  const groups = new Map<string, ScanGroup>();
  for (const command of commands) {
    const access = classifyStoreCommand(command, bounded);
    if (access.cost !== cost) continue;
    const key = groupKey(command);
    let group = groups.get(key);
    if (!group) {
      group = {
        service: command.service,
        command: command.command,
        collection: command.collection,
        filter: command.filter ?? {},
        ...(command.sort ? { sort: command.sort } : {}),
        count: 0,
        reason: access.reason,
        limits: [],
        comments: [],
      };
      groups.set(key, group);
    }
    group.count++;
    if (command.limit !== undefined && !group.limits.includes(command.limit))
      group.limits.push(command.limit);
    if (command.comment && !group.comments.includes(command.comment)) group.comments.push(command.comment);
  }
  for (const group of groups.values()) group.limits.sort((a, b) => a - b);
  return [...groups.values()].sort(
    (a, b) =>
      b.count - a.count ||
      a.collection.localeCompare(b.collection) ||
      a.command.localeCompare(b.command) ||
      a.service.localeCompare(b.service),
  );
}

/** A shape as people read it: `{status:{$nin:array}}` (it holds no data, so nothing needs quoting). */
export function compactShape(shape: unknown): string {
  return JSON.stringify(shape).replace(/"/g, '');
}

/** One line per offending shape, saying what to do about it. */
export function describeScan(group: ScanGroup): string {
  const sort = group.sort ? ` sort ${compactShape(group.sort)}` : '';
  const limit = group.limits.length ? ` limit ${group.limits.join('/')}` : '';
  const times = group.count === 1 ? 'once' : `${group.count} times`;
  return (
    `${group.collection} ${group.command} ${compactShape(group.filter)}${sort}${limit} from ${group.service} ` +
    `(${times}): scans (${group.reason}); use an _id lookup, an _id-prefix range, or a bounded collection ` +
    `(docs/store-access.md)`
  );
}

/** The check's failure: a count, then every offending shape once, then the way out for operator paths. */
export function storeAccessFailure(groups: readonly ScanGroup[]): string {
  const total = groups.reduce((sum, group) => sum + group.count, 0);
  return [
    `${groups.length} query shape${groups.length === 1 ? '' : 's'} (${total} queries) scan the store:`,
    ...groups.map((group) => `  ${describeScan(group)}`),
    `A path only a person runs on purpose (export, verify, CLI, bench) may scan: give its queries the comment ` +
      `'${OFFLINE_COMMENT}<what>'.`,
  ].join('\n');
}
