import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';
import { boundedLabel, OTHER } from './labels';
import { platformMetrics, safely } from './platform-metrics';

/** The driver commands the platform sends; anything else (handshakes, admin commands) counts as "other". */
export const STORE_OPERATIONS = [
  'find',
  'getMore',
  'insert',
  'update',
  'delete',
  'findAndModify',
  'aggregate',
  'count',
  'distinct',
  'createIndexes',
  'listIndexes',
  'listCollections',
  'killCursors',
] as const;

/** The collection a command works on: its first field's value, or a getMore's `collection`. */
export function collectionOf(commandName: string, command: Record<string, unknown>): string | undefined {
  const target = commandName === 'getMore' ? command.collection : command[commandName];
  return typeof target === 'string' ? target : undefined;
}

/**
 * Observes every store command's duration (succeeded or failed) by operation and collection, from the driver's
 * command monitoring: the client must have been created with `monitorCommands: true`. `collections` names the
 * service's own collections (read at each command, so models registered later count); any other name is
 * "other". The started event carries the collection; it is kept per request id only until the reply.
 */
export function monitorStoreOperations(client: MongoClient, collections: () => Iterable<string>): void {
  const inFlight = new Map<number, string>();
  client.on('commandStarted', (event: CommandStartedEvent) =>
    safely(() => {
      const name = collectionOf(event.commandName, event.command as Record<string, unknown>);
      inFlight.set(event.requestId, boundedLabel(name, collections()));
    }),
  );
  const observe = (event: CommandSucceededEvent | CommandFailedEvent) =>
    safely(() => {
      const collection = inFlight.get(event.requestId) ?? OTHER;
      inFlight.delete(event.requestId);
      platformMetrics
        .storeOperationDuration()
        .observe(
          { operation: boundedLabel(event.commandName, STORE_OPERATIONS), collection },
          event.duration / 1000,
        );
    });
  client.on('commandSucceeded', observe);
  client.on('commandFailed', observe);
}
