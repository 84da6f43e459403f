import { ALL_FUNCTIONS, newEvent, RegressionCheck, Topic } from '@oversight/contracts';
import { EventPublisher } from '@oversight/messaging';
import { PolicyDocument, validatePolicy } from '@oversight/policy';

/**
 * The operator's levers: publish a policy version, press or release the stop button. Each is an event on a
 * compacted control topic that every scoring and routing instance applies without a restart, and that the
 * audit trail records with who did it and why.
 */
export class ControlClient {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly producer = 'control',
  ) {}

  /**
   * Validates the document again (a policy must never reach the topic unchecked), then publishes it, with what
   * its regression suites said when they ran.
   */
  async publishPolicy(
    document: PolicyDocument,
    publishedBy: string,
    regression?: RegressionCheck,
  ): Promise<void> {
    const check = validatePolicy(JSON.parse(JSON.stringify(document)));
    if (!check.ok)
      throw new Error(`policy ${document.policyId} is not valid:\n  ${check.errors.join('\n  ')}`);
    const payload = {
      policyId: document.policyId,
      version: document.version,
      document: JSON.parse(JSON.stringify(document)),
      publishedBy,
      ...(regression ? { regression } : {}),
    };
    await this.publisher.publish(
      Topic.PolicyPublished,
      newEvent('PolicyPublished', {
        producer: this.producer,
        correlationId: `policy-${document.policyId}-v${document.version}`,
        payload,
      }),
    );
  }

  /** Stops auto-execution for a business function, or for all of them with scope `*`. */
  halt(scope: string, reason: string, changedBy: string): Promise<void> {
    return this.setHalt(scope, true, reason, changedBy);
  }

  resume(scope: string, reason: string, changedBy: string): Promise<void> {
    return this.setHalt(scope, false, reason, changedBy);
  }

  private async setHalt(scope: string, halted: boolean, reason: string, changedBy: string): Promise<void> {
    await this.publisher.publish(
      Topic.HaltChanged,
      newEvent('HaltChanged', {
        producer: this.producer,
        correlationId: `halt-${scope === ALL_FUNCTIONS ? 'all' : scope}`,
        payload: { scope, halted, reason, changedBy },
      }),
    );
  }
}
