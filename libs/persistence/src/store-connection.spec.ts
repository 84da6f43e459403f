import path from 'node:path';
import { commandLogFile } from './store-access/command-log';
import { STORE_CONNECTION_OPTIONS, storeConnectionOptions } from './store-connection';

describe('storeConnectionOptions', () => {
  it.each([[undefined], ['']])(
    'without a command log (%p) is the plain options: nothing monitored',
    (dir) => {
      expect(storeConnectionOptions('routing', dir)).toBe(STORE_CONNECTION_OPTIONS);
    },
  );

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
