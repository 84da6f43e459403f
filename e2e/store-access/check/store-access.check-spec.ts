/**
 * The store access check, run after the integration ring (scripts/test-all.sh): every query the ring's
 * services sent to the store, as they recorded it (STORE_COMMAND_LOG), must be cheap (classifyStoreCommand);
 * each shape that scans is listed once with its collection, command, service and count.
 */
import { describeScan, readCommandLog, scansOf, storeAccessFailure } from '@oversight/persistence';
import { storeCommandLogDir } from '@oversight/testing';

const dir = storeCommandLogDir();
const commands = readCommandLog(dir);

describe('store access of the integration ring', () => {
  it('has the queries the services recorded', () => {
    // An empty log would pass the next test vacuously: the ring did not run, or recording broke.
    if (commands.length === 0) {
      throw new Error(
        `no store query recorded in ${dir}: run the integration ring first, with the same STORE_COMMAND_LOG`,
      );
    }
  });

  it('sends no query that scans a collection, but for the known scans it reports', () => {
    const known = scansOf(commands, undefined, 'known');
    if (known.length) {
      console.warn(
        ['Known scans, still to fix (KNOWN_SCANS):', ...known.map((g) => `  ${describeScan(g)}`)].join('\n'),
      );
    }
    const scans = scansOf(commands);
    if (scans.length > 0) throw new Error(storeAccessFailure(scans));
  });
});
