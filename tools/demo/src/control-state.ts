/**
 * The control topics as scoring and routing see them: which version of the reference policy is in force and
 * which halts are. The demo publishes the reference policy when the latest published one differs from the
 * file, and shows halts (an operator's, or one a test left behind) since they turn auto-approvals into reviews.
 */
import { Kafka } from 'kafkajs';
import { ALL_FUNCTIONS, Topic } from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
import { ControlTopicView, MessagingLogger } from '@oversight/messaging';
import { loadPolicyFile, PolicyDocument, REFERENCE_POLICY_FILE } from '@oversight/policy';

export type PolicyAction =
  | { action: 'unchanged'; version: number; publishedBy: string }
  | { action: 'published'; version: number; replaced?: { version: number; publishedBy: string } };

/** JSON with sorted keys, so two documents compare by content, not by key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export class ControlState {
  private readonly policies: ControlTopicView<typeof Topic.PolicyPublished>;
  private readonly halts: ControlTopicView<typeof Topic.HaltChanged>;
  readonly reference: PolicyDocument = loadPolicyFile(REFERENCE_POLICY_FILE);

  constructor(kafka: Kafka, logger: MessagingLogger) {
    this.policies = new ControlTopicView(kafka, Topic.PolicyPublished, { logger });
    this.halts = new ControlTopicView(kafka, Topic.HaltChanged, { logger });
  }

  /** Reads both control topics to their end, then keeps following them. */
  async start(): Promise<void> {
    await Promise.all([this.policies.start(), this.halts.start()]);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.policies.stop(), this.halts.stop()]);
  }

  /**
   * Publishes reference.yaml unless the latest published `reference` has the same content. Versions only grow:
   * if a different document holds the file's version or a later one, the file goes out as the next version.
   */
  async ensureReferencePolicy(control: ControlClient, publishedBy: string): Promise<PolicyAction> {
    const file: PolicyDocument = JSON.parse(JSON.stringify(this.reference));
    const latest = this.policies.get(`policy/${file.policyId}`)?.payload;
    if (latest && canonical({ ...latest.document, version: 0 }) === canonical({ ...file, version: 0 })) {
      return { action: 'unchanged', version: latest.version, publishedBy: latest.publishedBy };
    }
    const version = latest ? Math.max(file.version, latest.version + 1) : file.version;
    await control.publishPolicy({ ...file, version }, publishedBy);
    return {
      action: 'published',
      version,
      ...(latest ? { replaced: { version: latest.version, publishedBy: latest.publishedBy } } : {}),
    };
  }

  /** e.g. `reference v2`, the latest on the topic (what scoring applies). */
  policyInForce(): string {
    const latest = this.policies.get(`policy/${this.reference.policyId}`)?.payload;
    return latest
      ? `${latest.policyId} v${latest.version}`
      : `${this.reference.policyId} (not yet published)`;
  }

  /**
   * Halts in force that touch `functions` (or everything), e.g. `telecom-billing: suspected refund fraud`, and
   * how many others there are.
   */
  haltsInForce(functions: readonly string[]): { touching: string[]; others: number } {
    const halted = this.halts.values().filter((event) => event.payload.halted);
    const touches = (scope: string) => scope === ALL_FUNCTIONS || functions.includes(scope);
    return {
      touching: halted
        .filter(({ payload }) => touches(payload.scope))
        .map(
          ({ payload }) =>
            `${payload.scope === ALL_FUNCTIONS ? 'everything' : payload.scope}: ${payload.reason}`,
        ),
      others: halted.filter(({ payload }) => !touches(payload.scope)).length,
    };
  }
}
