import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Kafka } from 'kafkajs';
import { PlatformEvent, Topic } from '@oversight/contracts';
import { ControlTopicView } from '@oversight/messaging';
import { PolicyDocument, SAFE_DEFAULT_POLICY, validatePolicy } from '@oversight/policy';
import { nestMessagingLogger } from './nest-messaging-logger';
import { KAFKA } from './tokens';

/** The setting every service that applies a policy reads: which published policy is this deployment's. */
export interface PolicySelection {
  POLICY_ID: string;
}

/**
 * The policy this deployment scores with: the latest valid version of POLICY_ID on the policy control topic,
 * picked up as it is published, without a restart. Until one is published, the built-in safe default.
 * A published version that fails validation is refused and the previous one stays in force.
 */
@Injectable()
export class ActivePolicy implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ActivePolicy.name);
  private readonly view: ControlTopicView<typeof Topic.PolicyPublished>;
  private policy: PolicyDocument = SAFE_DEFAULT_POLICY;
  private readonly policyId: string;

  constructor(@Inject(KAFKA) kafka: Kafka, config: ConfigService<PolicySelection, true>) {
    this.policyId = config.get('POLICY_ID', { infer: true });
    this.view = new ControlTopicView(kafka, Topic.PolicyPublished, {
      logger: nestMessagingLogger('policy-view'),
      onEvent: (event) => this.apply(event),
    });
  }

  current(): PolicyDocument {
    return this.policy;
  }

  async onModuleInit(): Promise<void> {
    await this.view.start();
    if (this.policy === SAFE_DEFAULT_POLICY) {
      this.logger.warn(
        `no policy ${this.policyId} published yet; the built-in safe default applies (everything reviewed)`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.view.stop();
  }

  private apply(event: PlatformEvent<'PolicyPublished'>): void {
    if (event.payload.policyId !== this.policyId) return;
    const check = validatePolicy(event.payload.document);
    if (!check.ok) {
      this.logger.error({
        message: `refusing policy ${this.policyId} v${event.payload.version}; v${this.policy.version} stays in force`,
        errors: check.errors.slice(0, 10),
      });
      return;
    }
    this.policy = check.value;
    this.logger.log(
      `policy ${check.value.policyId} v${check.value.version} in force (published by ${event.payload.publishedBy})`,
    );
  }
}
