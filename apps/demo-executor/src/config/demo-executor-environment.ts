import { IsNumber, Matches, Max, Min } from 'class-validator';
import { SLUG_PATTERN } from '@oversight/contracts';
import { CommonEnvironment } from '@oversight/service-config';

export class DemoExecutorEnvironment extends CommonEnvironment {
  /** Names the executor in its reports and its consumer group (`executor-<name>`). */
  @Matches(SLUG_PATTERN, { message: 'EXECUTOR_NAME must be lower-case kebab-case' })
  EXECUTOR_NAME: string = 'demo-ledger';

  /** Share of tries that fail as if the ledger were briefly unavailable (retryable), to show retries and resolves. */
  @IsNumber({}, { message: 'EXECUTOR_FAILURE_RATE must be a number' })
  @Min(0, { message: 'EXECUTOR_FAILURE_RATE must be at least 0' })
  @Max(1, { message: 'EXECUTOR_FAILURE_RATE must be at most 1' })
  EXECUTOR_FAILURE_RATE: number = 0.05;

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'KAFKA_CLIENT_ID must be 1-64 letters, digits, . _ -' })
  KAFKA_CLIENT_ID: string = 'demo-executor';
}
