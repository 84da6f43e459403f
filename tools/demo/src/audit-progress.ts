/**
 * How much of the run the audit service has stored, read from Kafka, never from the store: the audit service
 * commits its consumer group's offsets only after a fetched batch is in the trail, so the offsets it committed
 * since the run began are the events it has stored. (Counting trail records would make FerretDB v1 decode the
 * whole trail, which grows with every run: the count that used to sit here took the store down at 20/s.)
 */
import { Admin, Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';

/** `topic/partition` → offset. */
export type Positions = Map<string, bigint>;

/** Events committed past the start positions, summed over every partition (one never committed counts 0). */
export function committedSince(start: Positions, now: Positions): number {
  let total = 0n;
  for (const [key, offset] of now) {
    const from = start.get(key);
    if (from !== undefined && offset > from) total += offset - from;
  }
  return Number(total);
}

export class AuditProgress {
  private readonly admin: Admin;
  private start?: Positions;
  private running?: Promise<number>;
  private runningSince = 0;
  /** The last figure, undefined until the first one is read. */
  last?: number;
  /** The last failure, cleared by the next success. */
  lastError?: string;

  constructor(
    kafka: Kafka,
    private readonly groupId: string,
    private readonly topics: readonly string[],
  ) {
    this.admin = kafka.admin();
  }

  /** Connects and notes where the audit group starts (the run's groups are positioned at the end first). */
  async connect(): Promise<void> {
    await this.admin.connect();
    this.start = await this.positions();
  }

  /** How long the read in progress has been waiting for the broker, 0 when none is. */
  get waitingMs(): number {
    return this.running ? Date.now() - this.runningSince : 0;
  }

  /** Reads the group's offsets unless a read is running; resolves with the running or new figure. */
  refresh(): Promise<number> {
    if (this.running) return this.running;
    this.runningSince = Date.now();
    this.running = this.positions()
      .then((now) => {
        this.last = committedSince(this.start ?? new Map(), now);
        this.lastError = undefined;
        return this.last;
      })
      .catch((error: Error) => {
        this.lastError = error.message;
        return this.last ?? 0;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
  }

  private async positions(): Promise<Positions> {
    const committed = await this.admin.fetchOffsets({ groupId: this.groupId, topics: [...this.topics] });
    const positions: Positions = new Map();
    for (const { topic, partitions } of committed) {
      for (const { partition, offset } of partitions) {
        if (offset !== '-1') positions.set(`${topic}/${partition}`, BigInt(offset));
      }
    }
    return positions;
  }
}

/** The collections of the store's database, for "where to look" (a catalogue read, cheap on any store). */
export async function storeCollections(uri: string): Promise<string[]> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    const list = await client.db().listCollections({}, { nameOnly: true }).toArray();
    return list.map((collection) => collection.name).sort();
  } finally {
    await client.close(true);
  }
}
