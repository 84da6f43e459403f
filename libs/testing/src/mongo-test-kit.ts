import { MongoClient } from 'mongodb';
import { uniqueName } from './test-names';

/** A connection string for a database of this test alone, on the store the global setup started. */
export function testDatabaseUri(prefix = 'test'): string {
  const base = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/oversight');
  base.pathname = `/${uniqueName(prefix)}`;
  return base.toString();
}

/** Drops a test database. Refuses outside NODE_ENV=test, so a mistyped URI cannot wipe real data. */
export async function dropTestDatabase(uri: string): Promise<void> {
  if (process.env.NODE_ENV !== 'test') {
    throw new Error(
      `refusing to drop ${new URL(uri).pathname}: NODE_ENV is "${process.env.NODE_ENV}", not "test"`,
    );
  }
  const client = new MongoClient(uri);
  try {
    await client.connect();
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}
