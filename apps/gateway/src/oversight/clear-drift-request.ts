import { IsString, Length } from 'class-validator';

export class ClearDriftRequest {
  /** What the person found and why routing may follow the policy again, for the audit trail. */
  @IsString()
  @Length(1, 500)
  reason!: string;
}
