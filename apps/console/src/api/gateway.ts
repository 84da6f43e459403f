import type { DriftCleared, DriftEpisode, OversightMetrics, ThresholdSuggestionView } from './types';

/** One field the gateway refused, and why (the `problems` of a 400). */
export interface Problem {
  field: string;
  reason: string;
}

/** A refusal from the gateway, carrying what it said so a screen can show it word for word. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: Problem[] = [],
    readonly code?: string,
  ) {
    super(message);
  }
}

/** A caught error as the screens show it: the gateway's refusal, or that the gateway was not reached. */
export function asApiError(caught: unknown, unreachable = 'The gateway could not be reached.'): ApiError {
  return caught instanceof ApiError ? caught : new ApiError(0, unreachable);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  token?: string;
  signal?: AbortSignal;
}

function headersFor(token: string | undefined, withBody: boolean): Record<string, string> {
  return {
    accept: 'application/json',
    ...(withBody ? { 'content-type': 'application/json' } : {}),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}

async function refusal(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { message?: string | string[]; problems?: Problem[]; code?: string };
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    return new ApiError(response.status, message ?? response.statusText, body.problems ?? [], body.code);
  } catch {
    return new ApiError(response.status, text || response.statusText);
  }
}

/** Calls the gateway's JSON API on this origin; any answer other than 2xx becomes an ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, token, signal } = options;
  const response = await fetch(path, {
    method,
    headers: headersFor(token, body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await refusal(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Fetches a file the gateway streams (an export) and hands it to the browser as a download. */
export async function download(path: string, token: string, fallbackName: string): Promise<string> {
  const response = await fetch(path, { headers: headersFor(token, false) });
  if (!response.ok) throw await refusal(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** The query string of the defined, non-empty values. */
export function queryOf(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => [key, String(value)]);
  return entries.length ? `?${new URLSearchParams(entries)}` : '';
}

/** How a screen calls the gateway: the session's `call`, which adds the person's token. */
export type Call = <T>(path: string, options?: Omit<RequestOptions, 'token'>) => Promise<T>;

/** The filters of GET /v1/oversight/metrics; an empty string or undefined leaves a filter out. */
export type MetricsQuery = {
  businessFunction?: string;
  actionType?: string;
  modelId?: string;
  modelVersion?: string;
  hours: number;
  bucketMinutes: number;
};

export function fetchOversightMetrics(
  call: Call,
  query: MetricsQuery,
  signal?: AbortSignal,
): Promise<OversightMetrics> {
  return call<OversightMetrics>(`/v1/oversight/metrics${queryOf(query)}`, { signal });
}

export async function fetchDriftEpisodes(call: Call, signal?: AbortSignal): Promise<DriftEpisode[]> {
  return (await call<{ episodes: DriftEpisode[] }>('/v1/oversight/drift', { signal })).episodes;
}

/** Clears a function's open drift episode (supervisors and admins); the reason goes into the audit trail. */
export function clearDriftEpisode(
  call: Call,
  businessFunction: string,
  reason: string,
): Promise<DriftCleared> {
  return call<DriftCleared>(`/v1/oversight/drift/${encodeURIComponent(businessFunction)}/clear`, {
    method: 'POST',
    body: { reason },
  });
}

export async function fetchThresholdSuggestions(
  call: Call,
  businessFunction?: string,
  signal?: AbortSignal,
): Promise<ThresholdSuggestionView[]> {
  const path = `/v1/oversight/threshold-suggestions${queryOf({ businessFunction })}`;
  return (await call<{ suggestions: ThresholdSuggestionView[] }>(path, { signal })).suggestions;
}
