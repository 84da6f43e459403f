import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, ThrottlerRequest } from '@nestjs/throttler';
import { CALLER_LIMITS, IP_LIMITS, LimitName, limitDescription } from './request-limits';
import { markRefusal } from './refusals';

/**
 * A throttler guard that enforces some of the named limits, and refuses in the platform's terms: a 429 that
 * names the limit and when to retry (Retry-After), marked for the refusal log.
 */
abstract class RequestLimitGuard extends ThrottlerGuard {
  protected abstract readonly limits: readonly LimitName[];

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.throttlers = this.throttlers.filter((throttler) =>
      this.limits.includes(throttler.name as LimitName),
    );
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(props);
    } catch (error) {
      if (!(error instanceof ThrottlerException)) throw error;
      const name = props.throttler.name as LimitName;
      const response = props.context.switchToHttp().getResponse();
      const retryAfter = await this.retryAfterSeconds(props);
      response.setHeader('Retry-After', String(retryAfter));
      markRefusal(props.context.switchToHttp().getRequest(), `rate-limit-${name}`);
      throw new HttpException(
        `too many requests: the limit is ${limitDescription(name, props.limit)}; retry in ${retryAfter} s`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  /** The header the throttler has just set for this limit, or the whole window. */
  private async retryAfterSeconds(props: ThrottlerRequest): Promise<number> {
    const response = props.context.switchToHttp().getResponse();
    const set = Number(response.getHeader?.(`Retry-After-${props.throttler.name}`));
    return Number.isFinite(set) && set > 0 ? set : Math.ceil(props.ttl / 1000);
  }
}

/** Limits by address, before authentication: registered ahead of the auth guard (AppModule). */
@Injectable()
export class IpLimitGuard extends RequestLimitGuard {
  protected readonly limits = IP_LIMITS;
}

/** Limits by caller, after authentication: registered in CallerLimitsModule, imported after AuthModule. */
@Injectable()
export class CallerLimitGuard extends RequestLimitGuard {
  protected readonly limits = CALLER_LIMITS;
}
