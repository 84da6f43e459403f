import path from 'node:path';

const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');

/**
 * Where the integration ring's services record their store queries: STORE_COMMAND_LOG when the test command
 * set one for its run, else tmp/store-commands/latest (empty it to start afresh).
 */
export function storeCommandLogDir(): string {
  return path.resolve(
    process.env.STORE_COMMAND_LOG || path.join(WORKSPACE_ROOT, 'tmp/store-commands/latest'),
  );
}
