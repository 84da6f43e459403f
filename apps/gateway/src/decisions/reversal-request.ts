import { IsString, Length } from 'class-validator';

export class ReversalRequestBody {
  /** Why the action must be undone, for the audit trail and the people who own the target system. */
  @IsString()
  @Length(1, 2000)
  comment!: string;
}
