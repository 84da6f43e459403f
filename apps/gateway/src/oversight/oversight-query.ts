import { ID_PATTERN, ID_RULE, Problem, SLUG_PATTERN, SLUG_RULE } from '@oversight/contracts';
import { OversightFilter } from '@oversight/learning-store';
import { QueryParams, single } from '../decisions/decision-query';
import { integer } from '../dead-letters/dead-letters.controller';

export const DEFAULT_HOURS = 24;
export const MAX_HOURS = 24 * 90;
export const DEFAULT_BUCKET_MINUTES = 60;
/** A chart of more points than this says nothing more and costs the reader a slow response. */
export const MAX_BUCKETS = 500;
export const DEFAULT_SUGGESTION_DAYS = 30;

export interface MetricsQuery {
  filter: OversightFilter;
  hours: number;
  bucketMinutes: number;
}

/** `GET /v1/oversight/metrics`: which decisions, over how many hours, in what buckets; a problem per bad one. */
export function metricsQuery(query: QueryParams, problems: Problem[]): MetricsQuery {
  const filter = oversightFilter(query, problems);
  const hours =
    integer('hours', single('hours', query.hours, problems), 1, MAX_HOURS, problems) ?? DEFAULT_HOURS;
  const bucketMinutes =
    integer('bucketMinutes', single('bucketMinutes', query.bucketMinutes, problems), 1, 24 * 60, problems) ??
    DEFAULT_BUCKET_MINUTES;
  if ((hours * 60) / bucketMinutes > MAX_BUCKETS) {
    problems.push({
      field: 'bucketMinutes',
      reason: `${hours} hours in ${bucketMinutes}-minute buckets is over ${MAX_BUCKETS} points; use larger buckets`,
    });
  }
  return { filter, hours, bucketMinutes };
}

/** `GET /v1/oversight/threshold-suggestions`: one function or all, over how many days of answers. */
export function suggestionsQuery(
  query: QueryParams,
  problems: Problem[],
): { businessFunction?: string; days: number } {
  const { businessFunction } = oversightFilter({ businessFunction: query.businessFunction }, problems);
  const days =
    integer('days', single('days', query.days, problems), 1, 365, problems) ?? DEFAULT_SUGGESTION_DAYS;
  return { ...(businessFunction ? { businessFunction } : {}), days };
}

function oversightFilter(query: QueryParams, problems: Problem[]): OversightFilter {
  const filter: OversightFilter = {};
  for (const field of ['businessFunction', 'actionType'] as const) {
    const value = single(field, query[field], problems);
    if (value === undefined) continue;
    if (SLUG_PATTERN.test(value)) filter[field] = value;
    else problems.push({ field, reason: SLUG_RULE });
  }
  for (const field of ['modelId', 'modelVersion'] as const) {
    const value = single(field, query[field], problems);
    if (value === undefined) continue;
    if (ID_PATTERN.test(value)) filter[field] = value;
    else problems.push({ field, reason: ID_RULE });
  }
  return filter;
}
