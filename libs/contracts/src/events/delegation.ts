import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import { ID_PATTERN, ID_RULE, SLUG_PATTERN, SLUG_RULE } from '../envelope';

export const DELEGATION_CHANGES = ['granted', 'revoked'] as const;
export type DelegationChange = (typeof DELEGATION_CHANGES)[number];

/**
 * A reviewer lets another person act for them on reviews for a while (out of office), or that stops. The
 * delegate acts under their own name, on behalf of the delegator, never with more authority than either has.
 */
export class DelegationChanged {
  @IsIn(DELEGATION_CHANGES)
  change!: DelegationChange;

  @IsUUID('all')
  delegationId!: string;

  @Matches(ID_PATTERN, { message: `delegator ${ID_RULE}` })
  delegator!: string;

  @Matches(ID_PATTERN, { message: `delegate ${ID_RULE}` })
  delegate!: string;

  /** The delegator's review roles the delegate may use. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(SLUG_PATTERN, { each: true, message: `each role ${SLUG_RULE}` })
  roles!: string[];

  @IsISO8601({ strict: true })
  from!: string;

  @IsISO8601({ strict: true })
  until!: string;

  @IsString()
  @Length(1, 500)
  reason!: string;

  /** Who granted or revoked it: the delegator, or a supervisor. */
  @Matches(ID_PATTERN, { message: `by ${ID_RULE}` })
  by!: string;
}
