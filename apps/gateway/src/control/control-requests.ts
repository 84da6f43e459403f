import { Length, Matches } from 'class-validator';
import { SLUG_PATTERN, SLUG_RULE } from '@oversight/contracts';

/** The same rule as HaltChanged's scope: a business function, or `*` for all of them. */
export const HALT_SCOPE = new RegExp(`^(\\*|${SLUG_PATTERN.source.slice(1, -1)})$`);

/** `POST /v1/halts`: press the stop button for a scope. */
export class HaltRequest {
  @Matches(HALT_SCOPE, { message: `scope must be * or a business function (${SLUG_RULE})` })
  scope!: string;

  // Length refuses non-strings too, with this one message.
  @Length(1, 500, { message: 'reason must say why, in 1-500 characters' })
  reason!: string;
}

/** `DELETE /v1/halts/:scope`: lift it; the reason comes in the body or as `?reason=`. */
export class ResumeRequest {
  // Length refuses non-strings too, with this one message.
  @Length(1, 500, { message: 'reason must say why, in 1-500 characters' })
  reason!: string;
}
