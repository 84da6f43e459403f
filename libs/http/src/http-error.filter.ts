import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { InvalidEventError } from '@oversight/messaging';
import { ErrorBody, Problem, toProblems } from '@oversight/contracts';
import { ErrorWithDetails } from './problems';

interface ReplyTarget {
  status(code: number): ReplyTarget;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  headersSent?: boolean;
}

/** The error answer for a status: `{ statusCode, error, message, problems? }`, the same on every endpoint. */
export function errorBody(
  statusCode: number,
  message: string,
  problems?: Problem[],
  code?: string,
): ErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...(code ? { code } : {}),
    ...(problems?.length ? { problems } : {}),
  };
}

/** Sends an error answer; 401s say how to authenticate. */
export function sendError(response: ReplyTarget, body: ErrorBody): void {
  if (body.statusCode === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="oversight"');
  response.status(body.statusCode).json(body);
}

/**
 * Every error leaves a service in one shape. Nest's HTTP exceptions keep their status and message; an event
 * the publisher refuses is a 400 with its problems; anything else is a 500 whose details stay in the log.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ReplyTarget>();
    if (response.headersSent) return;
    sendError(response, this.bodyFor(error));
  }

  private bodyFor(error: unknown): ErrorBody {
    if (error instanceof ErrorWithDetails) {
      return { ...error.details, ...errorBody(error.getStatus(), error.message, undefined, error.code) };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const answer = error.getResponse();
      if (typeof answer === 'string') return errorBody(status, answer);
      const { message, problems, code } = answer as {
        message?: string | string[];
        problems?: Problem[];
        code?: string;
      };
      const text = Array.isArray(message) ? message.join('; ') : (message ?? error.message);
      return errorBody(status, text, problems, code);
    }
    if (error instanceof InvalidEventError) {
      return errorBody(400, `the event is not valid for ${error.topic}`, toProblems(error.errors));
    }
    this.logger.error(`unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    return errorBody(500, 'internal error; the service log has the details');
  }
}
