import { Kafka } from 'kafkajs';
import { TopicSpec } from '@oversight/contracts';
import { MessagingLogger } from './logger';

export interface EnsureTopicsOptions {
  replicationFactor?: number;
  /** How long to wait for every partition to have a leader before failing. */
  timeoutMs?: number;
  logger?: MessagingLogger;
}

/**
 * Creates missing topics, then waits until every partition has a leader. The broker's auto-creation is off on
 * purpose: a typo in a topic name must fail, not create a new topic. Safe to run from many instances at once.
 *
 * Existing topics are never grown here: more partitions re-map keys, which breaks per-decision ordering for
 * decisions in flight, so growing is an operator's deliberate step. A topic with fewer partitions than its
 * spec is reported, and works as it is.
 */
export async function ensureTopics(
  kafka: Kafka,
  specs: readonly TopicSpec[],
  options: EnsureTopicsOptions = {},
) {
  const { replicationFactor = 1, timeoutMs = 30_000, logger } = options;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length) {
      // kafkajs answers false, not an error, when another instance created them first.
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          replicationFactor,
          configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
      logger?.info('created topics', { topics: missing.map((spec) => spec.name) });
    }

    const present = specs.filter((spec) => existing.has(spec.name));
    if (present.length) {
      const { topics } = await admin.fetchTopicMetadata({ topics: present.map((spec) => spec.name) });
      const wanted = new Map(present.map((spec) => [spec.name as string, spec.partitions]));
      const short = topics
        .map((topic) => ({
          topic: topic.name,
          count: wanted.get(topic.name) ?? 0,
          has: topic.partitions.length,
        }))
        .filter((t) => t.count > t.has);
      if (short.length) {
        logger?.warn('topics have fewer partitions than their spec; growing them is an operator step', {
          topics: short,
        });
      }
    }

    await waitForLeaders(
      admin,
      specs.map((spec) => spec.name),
      timeoutMs,
    );
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: ReturnType<Kafka['admin']>, names: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = '';
  while (Date.now() < deadline) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const leaderless = topics.flatMap((t) =>
        t.partitions.filter((p) => p.leader < 0).map((p) => `${t.name}/${p.partitionId}`),
      );
      if (leaderless.length === 0) return;
      lastProblem = `no leader yet for ${leaderless.join(', ')}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Kafka topics not ready after ${timeoutMs} ms: ${lastProblem}`);
}
