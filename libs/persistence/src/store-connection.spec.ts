import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { commandLogFile } from './store-access/command-log';
import { STORE_CONNECTION_OPTIONS, storeConnectionOptions } from './store-connection';

describe('storeConnectionOptions', () => {
  /** A connection's client as the driver's command monitoring sees it. */
  const connectionOf = (client: EventEmitter) =>
    ({ getClient: () => client, models: {} }) as unknown as Connection;

  it.each([[undefined], ['']])('without a command log (%p) times store commands and records none', (dir) => {
    const options = storeConnectionOptions('routing', dir);
    expect(options).toMatchObject({ ...STORE_CONNECTION_OPTIONS, monitorCommands: true });
    const client = new EventEmitter();
    options.connectionFactory(connectionOf(client));
    expect(client.listenerCount('commandSucceeded')).toBe(1);
    expect(client.listenerCount('commandStarted')).toBe(1);
  });

  it('with a command log turns command monitoring on and hooks the connection', () => {
    const options = storeConnectionOptions('routing', '/tmp/store-commands');
    expect(options).toMatchObject({ ...STORE_CONNECTION_OPTIONS, monitorCommands: true });
    expect(options).toHaveProperty('connectionFactory', expect.any(Function));
  });
});

describe('commandLogFile', () => {
  it.each([
    ['routing', 42, '/tmp/log/routing-42.ndjson'],
    ['audit-cli', 7, '/tmp/log/audit-cli-7.ndjson'],
    ['sdk executor/x', 1, '/tmp/log/sdk_executor_x-1.ndjson'],
  ])('%s of pid %p writes to %s', (service, pid, file) => {
    expect(commandLogFile('/tmp/log', service, pid)).toBe(path.resolve(file));
  });
});
