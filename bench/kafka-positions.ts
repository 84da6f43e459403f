import { Admin } from 'kafkajs';

/** `topic/partition`, the key of every per-partition map in the bench. */
export const partitionKey = (topic: string, partition: number) => `${topic}/${partition}`;

/** The next offset to be written on every partition of the topics. */
export async function topicEnds(admin: Admin, topics: readonly string[]): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  // Side by side: one at a time, the soak's gauges took a second per sample on a loaded broker.
  const offsets = await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)));
  topics.forEach((topic, i) => {
    for (const { partition, high } of offsets[i]) ends.set(partitionKey(topic, partition), BigInt(high));
  });
  return ends;
}

/**
 * Commits a brand-new consumer group's offsets at the current end of its topics, before any member joins.
 * The services' groups start from the beginning of a topic when they have no offsets, and would first work
 * through every decision earlier runs left on the shared topics (and republish their outcomes); this way they
 * see only what the bench publishes. Returns the positions.
 */
export async function positionGroupAtEnd(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<Map<string, bigint>> {
  const ends = await topicEnds(admin, topics);
  for (const topic of topics) {
    const partitions = [...ends]
      .filter(([key]) => key.startsWith(`${topic}/`))
      .map(([key, offset]) => ({
        partition: Number(key.slice(topic.length + 1)),
        offset: offset.toString(),
      }));
    await admin.setOffsets({ groupId, topic, partitions });
  }
  return ends;
}

/** How many messages a consumer group has yet to commit on its topics, per topic (partitions summed). */
export async function groupLag(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<Record<string, number>> {
  const ends = await topicEnds(admin, topics);
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const lag: Record<string, number> = {};
  for (const { topic, partitions } of committed) {
    lag[topic] = 0;
    for (const { partition, offset } of partitions) {
      const end = ends.get(partitionKey(topic, partition)) ?? 0n;
      // A partition the group never committed on counts from its end: the bench positioned it there.
      if (offset !== '-1') lag[topic] += Number(end - BigInt(offset));
    }
  }
  return lag;
}
