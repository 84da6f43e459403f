import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, sendError } from './http-error.filter';

/** Largest request body accepted; the platform's events are bounded the same (Limits.maxEventBytes). */
export const MAX_BODY = '256kb';

type Request = IncomingMessage & { is(type: string): string | false | null };
type Response = ServerResponse & {
  status(code: number): Response;
  json(body: unknown): void;
};
type Next = (error?: unknown) => void;

const hasBody = (request: IncomingMessage) =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;

/** JSON only: a request that carries a body of another type gets 415 before anything reads it. */
export function requireJson(request: Request, response: Response, next: Next): void {
  if (hasBody(request) && !request.is('application/json')) {
    sendError(response, errorBody(415, 'the body must be JSON (Content-Type: application/json)'));
    return;
  }
  next();
}

/** What the body parser refused (too large, not JSON), answered in the gateway's error shape. */
export function bodyParserErrors(error: unknown, _request: Request, response: Response, next: Next): void {
  const { type, status, message } = error as { type?: string; status?: number; message?: string };
  if (type === 'entity.too.large') {
    sendError(response, errorBody(413, `the body is larger than ${MAX_BODY.replace('kb', ' KiB')}`));
  } else if (type === 'entity.parse.failed') {
    // The body as a whole is what is refused: (root), as validation problems name it.
    sendError(
      response,
      errorBody(400, `the body is not valid JSON: ${message}`, [
        { field: '(root)', reason: `not valid JSON: ${message}` },
      ]),
    );
  } else if (status && status >= 400 && status < 500) {
    sendError(response, errorBody(status, message ?? 'the body could not be read'));
  } else {
    next(error);
  }
}
