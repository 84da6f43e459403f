import { BackedUpCollection, backupFileOf, fileProblems, manifestProblems } from './store-backup-manifest';

const trail: BackedUpCollection = {
  name: 'audit_events',
  file: 'audit_events.ndjson',
  documents: 3,
  bytes: 1200,
  sha256: 'a'.repeat(64),
  indexes: [{ name: 'event_once', key: { eventId: 1 }, unique: true }],
};
const manifest = {
  format: 'oversight-store-backup',
  formatVersion: 1,
  database: 'oversight',
  startedAt: '2026-12-02T16:00:00.000Z',
  finishedAt: '2026-12-02T16:00:01.000Z',
  collections: [trail],
};

describe('backupFileOf', () => {
  it.each([
    ['audit_events', 'audit_events.ndjson'],
    ['a.b-c', 'a.b-c.ndjson'],
    ['../etc/passwd', '..%2Fetc%2Fpasswd.ndjson'],
  ])('%s is written to %s', (collection, file) => expect(backupFileOf(collection)).toBe(file));
});

describe('manifestProblems', () => {
  it('finds none in a well-formed manifest', () => expect(manifestProblems(manifest)).toEqual([]));

  it.each([
    [null, ['the manifest is not a JSON object']],
    [{ ...manifest, format: 'mongodump' }, ['format is "mongodump", not "oversight-store-backup"']],
    [{ ...manifest, formatVersion: 2 }, ['formatVersion is 2; this version restores 1']],
    [{ ...manifest, collections: {} }, ['collections is not a list']],
  ])('refuses %p', (given, problems) => expect(manifestProblems(given)).toEqual(problems));

  it('names each broken collection entry', () => {
    expect(
      manifestProblems({
        ...manifest,
        collections: [
          trail,
          { ...trail, file: '../outside.ndjson', documents: -1, sha256: 'xyz', indexes: [{}] },
          { file: 'x.ndjson' },
        ],
      }),
    ).toEqual([
      'collections[1] (audit_events): audit_events is listed twice',
      'collections[1] (audit_events): file is "../outside.ndjson", expected "audit_events.ndjson"',
      'collections[1] (audit_events): documents is not a count',
      'collections[1] (audit_events): sha256 is not a hex SHA-256',
      'collections[1] (audit_events): indexes is not a list of {name, key}',
      'collections[2]: name is missing',
    ]);
  });
});

describe('fileProblems', () => {
  const intact = { documents: 3, bytes: 1200, sha256: 'a'.repeat(64) };

  it('finds none when the file is what the manifest says', () =>
    expect(fileProblems(trail, intact)).toEqual([]));

  it('names a missing file', () =>
    expect(fileProblems(trail, 'missing')).toEqual(['audit_events.ndjson: missing']));

  it('names a file cut short', () =>
    expect(fileProblems(trail, { documents: 2, bytes: 800, sha256: 'b'.repeat(64) })).toEqual([
      'audit_events.ndjson: 2 documents, the manifest says 3 (cut short?)',
      'audit_events.ndjson: 800 bytes, the manifest says 1200',
      "audit_events.ndjson: its SHA-256 does not match the manifest's: the file was altered",
    ]));

  it('names an altered file and its first line that is not a document', () =>
    expect(
      fileProblems(trail, {
        ...intact,
        sha256: 'c'.repeat(64),
        unreadable: { line: 2, problem: 'Unexpected token' },
      }),
    ).toEqual([
      'audit_events.ndjson: line 2 is not a document: Unexpected token',
      "audit_events.ndjson: its SHA-256 does not match the manifest's: the file was altered",
    ]));
});
