/**
 * How much of the run the audit service has stored: records in `audit_events` whose decisionId carries the run's
 * prefix. FerretDB v1 answers any such query with a collection scan (about a second per few thousand records
 * here, and the collection grows with every run), and the services write to the same store, so counts are
 * paced: one at a time, and the next after a pause of four times the last one's duration (2 s at least).
 */
import { MongoClient } from 'mongodb';

export const AUDIT_COLLECTION = 'audit_events';

export class AuditCounter {
  private readonly client: MongoClient;
  private running?: Promise<number>;
  private runningSince = 0;
  private nextAt = 0;
  /** The last count, undefined until the first one is done. */
  last?: number;
  /** The last failure, cleared by the next success. */
  lastError?: string;

  constructor(
    uri: string,
    private readonly decisionIdPrefix: string,
  ) {
    this.client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  /** How long the count in progress has been waiting for the store, 0 when none is. */
  get waitingMs(): number {
    return this.running ? Date.now() - this.runningSince : 0;
  }

  /**
   * Starts a count unless one is running or the pause after the last one is not over (`force` skips the pause);
   * resolves with the running or new count, or at once with the last one.
   */
  refresh(force = false): Promise<number> {
    if (this.running) return this.running;
    if (!force && Date.now() < this.nextAt) return Promise.resolve(this.last ?? 0);
    const started = Date.now();
    this.runningSince = started;
    this.running = this.count()
      .then((count) => {
        this.last = count;
        this.lastError = undefined;
        return count;
      })
      .catch((error: Error) => {
        this.lastError = error.message;
        return this.last ?? 0;
      })
      .finally(() => {
        this.running = undefined;
        this.nextAt = Date.now() + Math.max(2_000, 4 * (Date.now() - started));
      });
    return this.running;
  }

  private count(): Promise<number> {
    const escaped = this.decisionIdPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return this.client
      .db()
      .collection(AUDIT_COLLECTION)
      .countDocuments({ decisionId: { $regex: `^${escaped}` } });
  }

  /** The collections of the store's database, for "where to look". */
  async collections(): Promise<string[]> {
    const list = await this.client.db().listCollections({}, { nameOnly: true }).toArray();
    return list.map((collection) => collection.name).sort();
  }

  /** Closes the connection, without waiting for a count the store never answers. */
  async close(): Promise<void> {
    await this.client.close(true);
  }
}
