import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { BSON, Db, Document } from 'mongodb';
import { insertInOrder, ORDERED_INSERT_CHUNK } from '@oversight/persistence';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackedUpCollection,
  BackedUpIndex,
  backupFileOf,
  BackupManifest,
  fileProblems,
  MANIFEST_FILE,
  manifestProblems,
  ReadBackFile,
} from './store-backup-manifest';

/** Told to write where it must not: a backup directory that is not empty, a target database that is not. */
export class BackupRefused extends Error {}

/** The backup is not what its manifest says, or has no manifest: nothing was restored. */
export class BackupInvalid extends Error {
  constructor(
    readonly from: string,
    readonly problems: string[],
    /** False when it was found while writing, after what came before it was restored. */
    readonly nothingWritten = true,
  ) {
    super(`${from} cannot be restored: ${problems.join('; ')}`);
  }
}

export interface BackupReport {
  to: string;
  collections: number;
  documents: number;
  bytes: number;
  ms: number;
}

export interface RestoreReport {
  from: string;
  database: string;
  collections: number;
  documents: number;
  /** Checking every file against the manifest, and writing. */
  checkMs: number;
  writeMs: number;
}

/** Documents per cursor batch: a few MB of the trail, never a whole collection. */
const READ_BATCH = 1_000;
/** Index options the server adds or that describe the server, not the index. */
const SERVER_INDEX_FIELDS = new Set(['v', 'ns']);

const userCollections = async (db: Db) =>
  (await db.listCollections({}, { nameOnly: true }).toArray())
    .map(({ name }) => name)
    .filter((name) => !name.startsWith('system.'))
    .sort();

/**
 * The whole store (every collection of the database MONGODB_URI names) to a directory and back, for an operator
 * (`audit backup`, `audit restore`). Both read whole collections, which the store rule allows only for what a
 * person runs on purpose: their reads carry the comments `offline:audit-backup` and `offline:audit-restore`.
 * Documents are streamed, a batch at a time; none of it is held whole.
 */
@Injectable()
export class StoreBackup {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  /**
   * Writes each collection to `<to>/<collection>.ndjson` in one pass, one after the other, then the manifest.
   * Not a point-in-time snapshot: each collection holds what was stored by the time its pass read it. The
   * trail is insert-only and each chain is written in order, so a backup taken while the services run holds a
   * prefix of each chain (restore, then verify). The manifest is written last: a backup that did not finish
   * has none, and restore refuses it.
   */
  async backup(to: string): Promise<BackupReport> {
    const existing = await readdir(to).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    if (existing.length)
      throw new BackupRefused(
        `${to} is not empty (${existing.length} entries); back up into a new directory`,
      );
    await mkdir(to, { recursive: true });

    const started = performance.now();
    const startedAt = new Date().toISOString();
    const collections: BackedUpCollection[] = [];
    for (const name of await userCollections(this.db)) {
      const file = backupFileOf(name);
      const written = await this.writeCollection(name, path.join(to, file));
      const indexes = (await this.db.collection(name).listIndexes().toArray())
        .filter((index) => index.name !== '_id_')
        .map(
          (index) =>
            Object.fromEntries(
              Object.entries(index).filter(([field]) => !SERVER_INDEX_FIELDS.has(field)),
            ) as BackedUpIndex,
        );
      collections.push({ name, file, ...written, indexes });
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      database: this.db.databaseName,
      startedAt,
      finishedAt: new Date().toISOString(),
      collections,
    };
    // Written under another name and renamed: a manifest is either whole or absent.
    const partial = path.join(to, `${MANIFEST_FILE}.partial`);
    await writeFile(partial, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(partial, path.join(to, MANIFEST_FILE));
    return {
      to,
      collections: collections.length,
      documents: collections.reduce((sum, c) => sum + c.documents, 0),
      bytes: collections.reduce((sum, c) => sum + c.bytes, 0),
      ms: performance.now() - started,
    };
  }

  /**
   * Checks every file against the manifest (count, size, SHA-256, every line a document) and only then
   * writes: a backup that is not intact restores nothing. The target must hold no collection, unless
   * `allowNonEmpty`, and then still none of the backup's.
   */
  async restore(from: string, { allowNonEmpty = false } = {}): Promise<RestoreReport> {
    const manifest = await this.readManifest(from);
    // The CLI's own models create their collections and indexes as it starts; creating the same index at the
    // same time makes FerretDB v1 drop the connection, so let them finish first.
    await Promise.all(Object.values(this.connection.models).map((model) => model.init()));
    const database = this.db.databaseName;
    const present = await userCollections(this.db);
    // Empty collections do not count: the CLI's own models create theirs when it starts.
    const holding: string[] = [];
    for (const name of present) if (await this.holdsDocuments(name)) holding.push(name);
    if (holding.length && !allowNonEmpty) {
      throw new BackupRefused(
        `database ${database} is not empty (${holding.length} collections hold documents: ` +
          `${holding.slice(0, 5).join(', ')}${holding.length > 5 ? ', …' : ''}); restore into an empty ` +
          'database (MONGODB_URI), or give --allow-non-empty to restore beside what is there',
      );
    }
    const clashing = manifest.collections.map((c) => c.name).filter((name) => holding.includes(name));
    if (clashing.length) {
      throw new BackupRefused(
        `database ${database} already holds documents in ${clashing.join(', ')}; restore writes only ` +
          'into collections that are empty or not there',
      );
    }

    const started = performance.now();
    const problems: string[] = [];
    for (const collection of manifest.collections) {
      problems.push(...fileProblems(collection, await this.readBack(path.join(from, collection.file))));
    }
    if (problems.length) throw new BackupInvalid(from, problems);
    const checked = performance.now();

    for (const collection of manifest.collections)
      await this.restoreCollection(from, collection, present.includes(collection.name));
    return {
      from,
      database,
      collections: manifest.collections.length,
      documents: manifest.collections.reduce((sum, c) => sum + c.documents, 0),
      checkMs: checked - started,
      writeMs: performance.now() - checked,
    };
  }

  private async writeCollection(name: string, file: string): Promise<Omit<ReadBackFile, 'unreadable'>> {
    const hash = createHash('sha256');
    let documents = 0;
    let bytes = 0;
    const cursor = this.db.collection(name).find(
      {},
      {
        // Reads the whole collection by design: an operator runs it (docs/store-access.md).
        comment: 'offline:audit-backup',
        batchSize: READ_BATCH,
      },
    );
    async function* lines() {
      for await (const document of cursor) {
        const line = Buffer.from(`${BSON.EJSON.stringify(document, { relaxed: false })}\n`);
        hash.update(line);
        documents += 1;
        bytes += line.length;
        yield line;
      }
    }
    await pipeline(Readable.from(lines()), createWriteStream(file, { flags: 'wx' }));
    return { documents, bytes, sha256: hash.digest('hex') };
  }

  private async readManifest(from: string): Promise<BackupManifest> {
    const file = path.join(from, MANIFEST_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new BackupInvalid(from, [
        `there is no ${MANIFEST_FILE}: not a backup, or one that did not finish`,
      ]);
    }
    let manifest: unknown;
    try {
      manifest = JSON.parse(text);
    } catch (error) {
      throw new BackupInvalid(from, [`${MANIFEST_FILE} is not JSON: ${(error as Error).message}`]);
    }
    const problems = manifestProblems(manifest);
    if (problems.length)
      throw new BackupInvalid(
        from,
        problems.map((p) => `${MANIFEST_FILE}: ${p}`),
      );
    return manifest as BackupManifest;
  }

  /** A collection's file read through once: what it holds, and whether every line parses. */
  private async readBack(file: string): Promise<ReadBackFile | 'missing'> {
    const exists = await stat(file).then(
      (found) => found.isFile(),
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    if (!exists) return 'missing';
    const hash = createHash('sha256');
    let bytes = 0;
    const stream = createReadStream(file);
    stream.on('data', (chunk: string | Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    let documents = 0;
    let unreadable: ReadBackFile['unreadable'];
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      documents += 1;
      if (unreadable) continue;
      const problem = documentProblem(line);
      if (problem) unreadable = { line: documents, problem };
    }
    return { documents, bytes, sha256: hash.digest('hex'), unreadable };
  }

  private async restoreCollection(
    from: string,
    collection: BackedUpCollection,
    exists: boolean,
  ): Promise<void> {
    const target = exists
      ? this.db.collection(collection.name)
      : await this.db.createCollection(collection.name);
    // Before the documents, so a unique index that the data breaks fails the restore rather than a service later.
    const existing = new Set((await target.listIndexes().toArray()).map(({ name }) => name as string));
    const missing = collection.indexes.filter(({ name }) => !existing.has(name));
    if (missing.length)
      await target.createIndexes(missing.map(({ key, ...options }) => ({ key, ...options }) as never));
    let chunk: Document[] = [];
    let written = 0;
    const flush = async () => {
      const { duplicateAt } = await insertInOrder(target, chunk);
      if (duplicateAt !== undefined) {
        throw new BackupInvalid(
          from,
          [
            `${collection.file}: line ${written + duplicateAt + 1} repeats a unique key of an earlier line; ` +
              `${collection.name} is restored only up to it`,
          ],
          false,
        );
      }
      written += chunk.length;
      chunk = [];
    };
    const input = createReadStream(path.join(from, collection.file));
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      chunk.push(BSON.EJSON.parse(line, { relaxed: false }) as Document);
      if (chunk.length >= ORDERED_INSERT_CHUNK) await flush();
    }
    if (chunk.length) await flush();
  }

  private async holdsDocuments(collection: string): Promise<boolean> {
    const first = await this.db.collection(collection).findOne(
      {},
      // Stops at the first document; operator-run all the same.
      { projection: { _id: 1 }, comment: 'offline:audit-restore' },
    );
    return first !== null;
  }

  private get db(): Db {
    if (!this.connection.db) throw new Error('not connected to the store');
    return this.connection.db;
  }
}

/** Why a line is not one document in Extended JSON; undefined when it is. */
function documentProblem(line: string): string | undefined {
  try {
    const parsed: unknown = BSON.EJSON.parse(line, { relaxed: false });
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'not an object';
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
