import { BadRequestException, HttpException } from '@nestjs/common';
import { Problem } from '@oversight/contracts';

/** A 400 that lists every broken rule. */
export class ValidationFailed extends BadRequestException {
  constructor(message: string, problems: Problem[]) {
    super({ message, problems });
  }
}

/**
 * An error answer that carries more than a message: fields a caller needs to act on it (the changed outcomes of
 * a refused policy), sent beside the usual ones. Opt-in, so no other exception leaks its internals.
 */
export class ErrorWithDetails extends HttpException {
  constructor(
    status: number,
    message: string,
    readonly code: string,
    readonly details: Record<string, unknown>,
  ) {
    super({ message, code }, status);
  }
}
