/**
 * The demo's consumer groups start at the end of their topics. The services' consumers start a brand-new group
 * at the beginning, which on a broker shared with tests and benchmarks would mean scoring and auditing all of
 * their history before the demo's first decision; committing the current end offsets first makes the demo's
 * pipeline handle what is published from now on, whoever publishes it.
 */
import { Kafka } from 'kafkajs';

export interface GroupStart {
  groupId: string;
  topics: readonly string[];
}

/**
 * Commits the current end of every partition of `topics` for each new (empty) group, groups in parallel. On a
 * brand-new broker the group coordinator (and its offsets topic) may still be moving in: retried a few times.
 */
export async function startGroupsAtEnd(
  kafka: Kafka,
  groups: readonly GroupStart[],
  attempts = 8,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await commitEnds(kafka, groups);
    } catch (error) {
      if (attempt >= attempts || (error as { retriable?: boolean }).retriable === false) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** Math.min(attempt, 4)));
    }
  }
}

async function commitEnds(kafka: Kafka, groups: readonly GroupStart[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = [...new Set(groups.flatMap((group) => group.topics))];
    const ends = new Map(
      await Promise.all(topics.map(async (topic) => [topic, await admin.fetchTopicOffsets(topic)] as const)),
    );
    await Promise.all(
      groups.map((group) =>
        commitOffsets(
          kafka,
          group.groupId,
          group.topics.flatMap((topic) =>
            (ends.get(topic) ?? []).map(({ partition, high }) => ({ topic, partition, offset: high })),
          ),
        ),
      ),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * kafkajs's admin.setOffsets joins the group once per topic and waits out a fetch each time (5 s apiece);
 * a short-lived member that joins once, commits everything and leaves takes a fraction of a second.
 */
async function commitOffsets(
  kafka: Kafka,
  groupId: string,
  offsets: { topic: string; partition: number; offset: string }[],
): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set(offsets.map((o) => o.topic))], fromBeginning: false });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
    await withTimeout(joined, 30_000, `consumer group ${groupId} did not form`);
    await consumer.commitOffsets(offsets);
  } finally {
    await consumer.disconnect();
  }
}

/**
 * The run's groups among the broker's: its own, and those the services derive from them (escalation's
 * `-notify` and `-resolution`, the executor's `executor-<name>`), all named after the run.
 */
export function runGroups(groupIds: readonly string[], runId: string): string[] {
  return groupIds.filter((id) => id.startsWith(`demo-${runId}-`) || id.startsWith(`executor-demo-${runId}-`));
}

/**
 * Removes the run's groups once their members have left, so a finished run leaves no empty group behind to
 * raise ConsumerGroupWithoutMembers; a group that is still busy is left alone.
 */
export async function deleteRunGroups(kafka: Kafka, runId: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    await admin.deleteGroups(
      runGroups(
        groups.map((group) => group.groupId),
        runId,
      ),
    );
  } catch {
    // Not worth failing a clean stop over; an empty group expires on its own (offsets.retention.minutes).
  } finally {
    await admin.disconnect();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
