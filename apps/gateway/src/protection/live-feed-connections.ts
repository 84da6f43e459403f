import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Identity } from '@oversight/auth';
import { markRefusal } from './refusals';
import { callerKey } from './request-limits';

export const LIVE_FEEDS_PER_CALLER = Symbol('LIVE_FEEDS_PER_CALLER');

/**
 * The live feeds (server-sent event streams) each caller holds open on this instance, capped so one person or
 * one leaked token cannot hold the gateway's sockets and consumers' fan-out. Connections belong to the
 * instance that serves them, so counting them here is not state that matters elsewhere.
 */
@Injectable()
export class LiveFeedConnections {
  private readonly open = new Map<string, number>();

  constructor(@Inject(LIVE_FEEDS_PER_CALLER) private readonly perCaller: number) {}

  /** Takes one of the caller's places, or refuses with a 429; call the returned function when the feed ends. */
  admit(identity: Identity, request: object): () => void {
    const key = callerKey(identity);
    const held = this.open.get(key) ?? 0;
    if (held >= this.perCaller) {
      markRefusal(request, 'live-feed-cap');
      throw new HttpException(
        `${identity.subject} already has ${held} live feeds open, the most one caller may hold; close one first`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    this.open.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }
}
