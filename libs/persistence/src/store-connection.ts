import { MongoClient, MongoClientOptions } from 'mongodb';
import type { Connection } from 'mongoose';
import { monitorStoreOperations } from '@oversight/observability';
import { recordStoreCommands } from './store-access/command-log';

/**
 * How every service connects to the store, with a MongoDB URI from its environment. Spread into mongoose's
 * or the driver's options.
 */
export const STORE_CONNECTION_OPTIONS = {
  // FerretDB and a standalone mongod have no retryable writes; the platform's writes are idempotent instead.
  retryWrites: false,
  serverSelectionTimeoutMS: 10_000,
  // Seen here: FerretDB v1 now and then leaves a request unanswered. Without a socket timeout the driver would
  // wait for ever; with it the operation fails as a network timeout, which consumers retry.
  socketTimeoutMS: 30_000,
  // Store operations in flight per process; more wait in the driver. Two cores gain nothing from more, and
  // FerretDB v1 on PostgreSQL deadlocks once the updates in flight across all processes reach its pool
  // (FERRETDB_POSTGRES_POOL in libs/testing explains why).
  maxPoolSize: 10,
} as const;

/**
 * A service's options for MongooseModule.forRootAsync, beside its `uri`. Every store command's duration is
 * observed (driver command monitoring; by the collections of the service's own models, anything else
 * "other"). With `commandLog` (the service's STORE_COMMAND_LOG, a directory) every query it sends is also
 * recorded there (recordStoreCommands) for the store access check.
 */
export function storeConnectionOptions(service: string, commandLog = '') {
  return {
    ...STORE_CONNECTION_OPTIONS,
    monitorCommands: true,
    // @nestjs/mongoose hands over the connected connection; its client emits the command events.
    connectionFactory: (connection: Connection) => {
      const client = connection.getClient();
      monitorStoreOperations(client, () => modelCollections(connection));
      if (commandLog) recordStoreCommands(client, service, commandLog);
      return connection;
    },
  };
}

/** The collections of the connection's models: a fixed set once the service's modules are loaded. */
function modelCollections(connection: Connection): string[] {
  return Object.values(connection.models).map((model) => model.collection.collectionName);
}

/**
 * A driver client with STORE_CONNECTION_OPTIONS whose commands on `collections` are timed, recording its
 * queries to `commandLog` when one is given.
 */
export function createStoreClient(
  uri: string,
  service: string,
  commandLog = '',
  options: MongoClientOptions = {},
  collections: readonly string[] = [],
): MongoClient {
  const client = new MongoClient(uri, {
    ...STORE_CONNECTION_OPTIONS,
    ...options,
    monitorCommands: true,
  });
  monitorStoreOperations(client, () => collections);
  if (commandLog) recordStoreCommands(client, service, commandLog);
  return client;
}
