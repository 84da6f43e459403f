import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { parseBrokerList } from '@oversight/messaging';
import { nestMessagingLogger } from '@oversight/messaging-nest';
import { ApprovedAction, createExecutor, ExecutedAction, ExecutionFailure, Executor } from '@oversight/sdk';
import { DemoExecutorEnvironment } from './config/demo-executor-environment';
import { LEDGER_ACTION_TYPES, ledgerEntryFor } from './ledger-entry';
import { LedgerRepository } from './ledger.repository';

/** The reference scenarios' actions carried out against the demo ledger, through the SDK's executor. */
@Injectable()
export class LedgerExecutor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LedgerExecutor.name);
  private executor?: Executor;

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly config: ConfigService<DemoExecutorEnvironment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.executor = createExecutor({
      name: this.config.get('EXECUTOR_NAME', { infer: true }),
      actionTypes: LEDGER_ACTION_TYPES,
      // The ledger keys each booking by the try's idempotency key, so a try in doubt can safely run again.
      idempotent: true,
      kafka: {
        brokers: parseBrokerList(this.config.get('KAFKA_BROKERS', { infer: true })),
        clientId: this.config.get('KAFKA_CLIENT_ID', { infer: true }),
      },
      store: {
        uri: this.config.get('MONGODB_URI', { infer: true }),
        commandLog: this.config.get('STORE_COMMAND_LOG', { infer: true }),
      },
      execute: (action) => this.carryOut(action),
      compensate: (action) => this.undo(action),
      logger: nestMessagingLogger('executor'),
    });
    await this.executor.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.executor?.stop();
  }

  private async undo(action: ExecutedAction): Promise<Record<string, unknown>> {
    const booking = await this.ledger.reverse(action);
    this.logger.log({
      message: 'action reversed',
      decisionId: action.decisionId,
      by: action.reversal.requestedBy.id,
    });
    return { ledgerEntry: booking.entryId, reverses: action.executed.result?.ledgerEntry };
  }

  private async carryOut(action: ApprovedAction): Promise<Record<string, unknown>> {
    if (Math.random() < this.config.get('EXECUTOR_FAILURE_RATE', { infer: true })) {
      throw new ExecutionFailure('the ledger did not answer in time (simulated)', {
        code: 'ledger-unavailable',
        retryable: true,
      });
    }
    const entry = ledgerEntryFor(action);
    const booking = await this.ledger.book(action, entry);
    this.logger.log({
      message: booking.repeated ? 'action already booked by this try' : 'action booked',
      decisionId: action.decisionId,
      attempt: action.attempt,
      kind: entry.kind,
    });
    return { ledgerEntry: booking.entryId, kind: entry.kind, reference: entry.reference };
  }
}
