import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { AuthenticatedRequest } from '@oversight/auth';

/** Why the gateway turned a request away; bounded, so it can be a metric label. */
export type RefusalReason =
  | 'rate-limit-ip'
  | 'rate-limit-sign-in'
  | 'rate-limit-caller'
  | 'sign-in-failed'
  | 'sign-in-locked'
  | 'live-feed-cap'
  | 'unauthenticated'
  | 'forbidden';

export const REFUSALS_METRIC = 'oversight_gateway_refusals_total';

export const refusalsCounter = makeCounterProvider({
  name: REFUSALS_METRIC,
  help: 'Requests the gateway refused: rate limits, failed or locked sign-ins, live-feed caps, 401 and 403',
  labelNames: ['reason'],
});

const REFUSAL = Symbol('refusal');

type SeenRequest = AuthenticatedRequest & {
  ip?: string;
  method: string;
  originalUrl: string;
  [REFUSAL]?: RefusalReason;
};

/** Where a refusing component says why, for the one place that logs and counts refusals. */
export function markRefusal(request: unknown, reason: RefusalReason): void {
  (request as SeenRequest)[REFUSAL] = reason;
}

/** The reason of a finished exchange that was a refusal; undefined for any other answer. */
export function refusalOf(request: object, statusCode: number): RefusalReason | undefined {
  const marked = (request as SeenRequest)[REFUSAL];
  if (marked) return marked;
  if (statusCode === 401) return 'unauthenticated';
  if (statusCode === 403) return 'forbidden';
  return undefined;
}

/** Every refusal, logged with who and where, and counted by reason (oversight_gateway_refusals_total). */
@Injectable()
export class Refusals {
  private readonly logger = new Logger('refusals');

  constructor(@InjectMetric(REFUSALS_METRIC) private readonly counter: Counter<'reason'>) {}

  /** Express middleware: looks at each response once it is sent. */
  readonly watch = (
    request: SeenRequest,
    response: { statusCode: number } & NodeJS.EventEmitter,
    next: () => void,
  ) => {
    response.once('finish', () => {
      const reason = refusalOf(request, response.statusCode);
      if (reason) this.record(request, response.statusCode, reason);
    });
    next();
  };

  private record(request: SeenRequest, status: number, reason: RefusalReason): void {
    this.counter.inc({ reason });
    const caller = request.identity ? `${request.identity.kind} ${request.identity.subject}` : 'anonymous';
    // The path without its query: a query may hold what a caller typed, and logs are read widely.
    const path = request.originalUrl.split('?')[0];
    this.logger.warn(`refused ${status} ${reason}: ${request.method} ${path} from ${request.ip} (${caller})`);
  }
}
