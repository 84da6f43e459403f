import { IsIn, IsOptional, Length, Matches, ValidateIf } from 'class-validator';
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

/**
 * `POST /v1/policies?confirm=true&reason=…`: publish a policy although it changes saved regression outcomes. In
 * the query because the body is the policy document itself.
 */
export class PublishPolicyQuery {
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'confirm must be true or false' })
  confirm?: 'true' | 'false';

  // Only a confirmation needs a reason; Length refuses non-strings too, with this one message.
  @ValidateIf((query: PublishPolicyQuery) => query.confirm === 'true')
  @Length(1, 500, { message: 'reason must say why the changed outcomes are accepted, in 1-500 characters' })
  reason?: string;
}

/** `POST /v1/halts` as the OpenAPI document gives it: the same rules as HaltRequest. */
export const HALT_REQUEST_SCHEMA = {
  type: 'object',
  required: ['scope', 'reason'],
  properties: {
    scope: { type: 'string', pattern: HALT_SCOPE.source },
    reason: { type: 'string', minLength: 1, maxLength: 500 },
  },
  example: { scope: 'telecom-billing', reason: 'suspected refund fraud' },
};

/** What pressing or lifting the stop button answers. */
export const HALT_ANSWER_SCHEMA = {
  type: 'object',
  required: ['scope', 'halted'],
  properties: { scope: { type: 'string' }, halted: { type: 'boolean' } },
};

/** `GET /v1/halts`: each halt in force, with who pressed the button, when and why. */
export const HALTS_IN_FORCE_SCHEMA = {
  type: 'object',
  required: ['halts'],
  properties: {
    halts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['scope', 'reason', 'by', 'since'],
        properties: {
          scope: { type: 'string' },
          reason: { type: 'string' },
          by: { type: 'string' },
          since: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
};
