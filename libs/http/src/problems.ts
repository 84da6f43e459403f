import { BadRequestException } from '@nestjs/common';
import { Problem } from '@oversight/contracts';

/** A 400 that lists every broken rule. */
export class ValidationFailed extends BadRequestException {
  constructor(message: string, problems: Problem[]) {
    super({ message, problems });
  }
}
