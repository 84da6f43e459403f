import { isISO8601 } from 'class-validator';
import {
  DecisionCursor,
  decodeCursor,
  DecisionFilter,
  ExportFormat,
  sameFilter,
} from '@oversight/audit-trail';
import { Problem, ROUTES, SLUG_PATTERN, SLUG_RULE, TIERS } from '@oversight/contracts';
import { integer } from '../dead-letters/dead-letters.controller';

export const DEFAULT_DECISIONS = 50;
export const MAX_DECISIONS = 500;
export const EXPORT_FORMATS = ['ndjson', 'csv'] as const satisfies readonly ExportFormat[];

/** A URL query as Express hands it over: a repeated parameter arrives as an array. */
export type QueryParams = Record<string, unknown>;

/**
 * The decision filter of a list or an export (`function`, `route`, `tier`, `from`, `to`), with a problem per
 * bad parameter: a misspelt route or tier would otherwise match nothing and look like an empty trail.
 */
export function decisionFilterFrom(query: QueryParams, problems: Problem[]): DecisionFilter {
  const filter: DecisionFilter = {};
  const businessFunction = single('function', query.function, problems);
  if (businessFunction !== undefined) {
    if (SLUG_PATTERN.test(businessFunction)) filter.businessFunction = businessFunction;
    else problems.push({ field: 'function', reason: SLUG_RULE });
  }
  filter.route = oneOf('route', query.route, ROUTES, problems);
  filter.tier = oneOf('tier', query.tier, TIERS, problems);
  filter.from = date('from', query.from, problems);
  filter.to = date('to', query.to, problems);
  if (filter.from && filter.to && filter.from >= filter.to) {
    problems.push({ field: 'to', reason: 'must be after from' });
  }
  return Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined),
  ) as DecisionFilter;
}

/**
 * `GET /v1/decisions`: the filter, how many, newest first, and where to resume (`cursor`, the `next` of the
 * previous page). A cursor only continues the query it came from: the same function, route and tier, and the
 * same from and to when they are given again.
 */
export function decisionListQuery(
  query: QueryParams,
  problems: Problem[],
): { filter: DecisionFilter; limit: number; after?: DecisionCursor } {
  const filter = decisionFilterFrom(query, problems);
  const limit =
    integer('limit', single('limit', query.limit, problems), 1, MAX_DECISIONS, problems) ?? DEFAULT_DECISIONS;
  const token = single('cursor', query.cursor, problems);
  if (token === undefined) return { filter, limit };
  const after = decodeCursor(token);
  if ('problem' in after) {
    problems.push({ field: 'cursor', reason: after.problem });
    return { filter, limit };
  }
  const sameWindow =
    (!filter.from || filter.from.getTime() === after.from) &&
    (!filter.to || filter.to.getTime() === after.to);
  if (!sameFilter(after, filter) || !sameWindow) {
    problems.push({
      field: 'cursor',
      reason: 'continues another query: repeat the function, route, tier, from and to of the first page',
    });
  }
  return { filter, limit, after };
}

/** `GET /v1/audit/export`: the filter and the format (NDJSON unless asked otherwise). */
export function decisionExportQuery(
  query: QueryParams,
  problems: Problem[],
): { filter: DecisionFilter; format: ExportFormat } {
  const filter = decisionFilterFrom(query, problems);
  const format = oneOf('format', query.format, EXPORT_FORMATS, problems) ?? 'ndjson';
  return { filter, format };
}

/** One value of a parameter; undefined when absent or empty. */
export function single(field: string, value: unknown, problems: Problem[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') {
    problems.push({ field, reason: 'give it once' });
    return undefined;
  }
  return value;
}

function oneOf<T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
  problems: Problem[],
): T | undefined {
  const text = single(field, value, problems);
  if (text === undefined) return undefined;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  problems.push({ field, reason: `must be one of ${allowed.join(', ')}` });
  return undefined;
}

function date(field: string, value: unknown, problems: Problem[]): Date | undefined {
  const text = single(field, value, problems);
  if (text === undefined) return undefined;
  // The ISO check refuses what Date would guess at (`11/25`); Date refuses ISO forms it cannot read (weeks).
  const at = isISO8601(text, { strict: true }) ? new Date(text) : undefined;
  if (!at || Number.isNaN(at.getTime())) {
    problems.push({ field, reason: 'must be an ISO 8601 date or time, e.g. 2026-11-25T00:00:00Z' });
    return undefined;
  }
  return at;
}
