/**
 * The demo's stream generator, paced publisher, tally and group placement (and the demo executor's action types), which the soak publishes and counts exactly as
 * `npm start` does rather than keeping a copy. Both are tools at the top of the graph; the demo is not a
 * library, so the module-boundary rule is waived here only.
 */
/* eslint-disable @nx/enforce-module-boundaries */
export { DEMO_FUNCTIONS, demoStream } from '../tools/demo/src/demo-stream';
export { RunTally } from '../tools/demo/src/run-tally';
export type { OutcomeType, TallySnapshot } from '../tools/demo/src/run-tally';
export { StreamPublisher } from '../tools/demo/src/stream-publisher';
export { startGroupsAtEnd, withTimeout } from '../tools/demo/src/consumer-groups';
export { LEDGER_ACTION_TYPES } from '../apps/demo-executor/src/ledger-entry';
