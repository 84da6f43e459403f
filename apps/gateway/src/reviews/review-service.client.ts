import { ForbiddenException, HttpException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { GatewayEnvironment } from '../config/gateway-environment';

/**
 * The escalation service's review API, called with the reviewer's own bearer token: escalation verifies it
 * again and applies the review rules, so the gateway never acts on anyone's behalf. Its answers, refusals
 * included, are passed on as they are.
 */
@Injectable()
export class ReviewServiceClient {
  private readonly baseUrl: string;

  constructor(config: ConfigService<GatewayEnvironment, true>) {
    this.baseUrl = config.get('ESCALATION_URL', { infer: true }).replace(/\/$/, '');
  }

  async call<T = unknown>(
    authorization: string | undefined,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T> {
    if (!authorization?.startsWith('Bearer ')) {
      throw new ForbiddenException(
        'reviews are worked by people signed in with a token, not with an API key',
      );
    }
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new ServiceUnavailableException(`the review service did not answer: ${(error as Error).message}`);
    }
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) throw new HttpException(answer, response.status);
    return answer as T;
  }
}
