/**
 * What a store backup is on disk (`audit backup`, `audit restore`): one NDJSON file per collection, each line
 * one document in MongoDB Extended JSON (canonical, so every BSON type comes back as it was), and
 * `manifest.json`, written last, with each file's document count and SHA-256. Plain functions, no I/O.
 */

export const BACKUP_FORMAT = 'oversight-store-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/** An index as listIndexes gives it, without the fields the server fills in (v, ns). */
export interface BackedUpIndex {
  name: string;
  key: Record<string, unknown>;
  [option: string]: unknown;
}

export interface BackedUpCollection {
  name: string;
  /** Relative to the backup directory. */
  file: string;
  documents: number;
  bytes: number;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
  /** Every index but `_id_`. */
  indexes: BackedUpIndex[];
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: typeof BACKUP_FORMAT_VERSION;
  /** The database backed up. */
  database: string;
  startedAt: string;
  finishedAt: string;
  collections: BackedUpCollection[];
}

/** A collection's file: its name when that is safe as a file name, else percent-encoded. */
export function backupFileOf(collection: string): string {
  const safe = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(collection) ? collection : encodeURIComponent(collection);
  return `${safe}.ndjson`;
}

const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Checks a parsed manifest's shape; one readable line per problem, none when it can be restored from. Its
 * files are checked against it separately (they are read to do so).
 */
export function manifestProblems(manifest: unknown): string[] {
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest))
    return ['the manifest is not a JSON object'];
  const m = manifest as Partial<BackupManifest>;
  if (m.format !== BACKUP_FORMAT) return [`format is ${JSON.stringify(m.format)}, not "${BACKUP_FORMAT}"`];
  if (m.formatVersion !== BACKUP_FORMAT_VERSION)
    return [
      `formatVersion is ${JSON.stringify(m.formatVersion)}; this version restores ${BACKUP_FORMAT_VERSION}`,
    ];
  if (!Array.isArray(m.collections)) return ['collections is not a list'];
  const problems: string[] = [];
  const names = new Set<string>();
  for (const [i, c] of (m.collections as Partial<BackedUpCollection>[]).entries()) {
    const at = `collections[${i}]${typeof c?.name === 'string' ? ` (${c.name})` : ''}`;
    if (typeof c?.name !== 'string' || !c.name) {
      problems.push(`${at}: name is missing`);
      continue;
    }
    if (names.has(c.name)) problems.push(`${at}: ${c.name} is listed twice`);
    names.add(c.name);
    if (c.file !== backupFileOf(c.name))
      problems.push(`${at}: file is ${JSON.stringify(c.file)}, expected "${backupFileOf(c.name)}"`);
    if (!isCount(c.documents)) problems.push(`${at}: documents is not a count`);
    if (!isCount(c.bytes)) problems.push(`${at}: bytes is not a count`);
    if (typeof c.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(c.sha256))
      problems.push(`${at}: sha256 is not a hex SHA-256`);
    if (
      !Array.isArray(c.indexes) ||
      c.indexes.some(
        (index) => typeof index?.name !== 'string' || typeof index.key !== 'object' || !index.key,
      )
    )
      problems.push(`${at}: indexes is not a list of {name, key}`);
  }
  return problems;
}

/** What a collection's file turned out to hold, read back. */
export interface ReadBackFile {
  documents: number;
  bytes: number;
  sha256: string;
  /** The first line that is not a document in Extended JSON, if any (1-based), with why. */
  unreadable?: { line: number; problem: string };
}

/** One line per way the file differs from what the manifest says of it; none when it is intact. */
export function fileProblems(expected: BackedUpCollection, found: ReadBackFile | 'missing'): string[] {
  if (found === 'missing') return [`${expected.file}: missing`];
  const problems: string[] = [];
  if (found.unreadable)
    problems.push(
      `${expected.file}: line ${found.unreadable.line} is not a document: ${found.unreadable.problem}`,
    );
  if (found.documents !== expected.documents)
    problems.push(
      `${expected.file}: ${found.documents} documents, the manifest says ${expected.documents}` +
        (found.documents < expected.documents ? ' (cut short?)' : ''),
    );
  if (found.bytes !== expected.bytes)
    problems.push(`${expected.file}: ${found.bytes} bytes, the manifest says ${expected.bytes}`);
  if (found.sha256 !== expected.sha256)
    problems.push(`${expected.file}: its SHA-256 does not match the manifest's: the file was altered`);
  return problems;
}
