/**
 * Collections whose size is bounded by open work or by what people author, not by the decisions' history: any
 * query on them is cheap however it filters, because they only ever hold what is still in flight or a handful
 * of documents people made. The one place to declare one: collection name → why it stays small.
 * docs/store-access.md lists them with the rest of the inventory.
 */
export const BOUNDED_COLLECTIONS: Readonly<Record<string, string>> = {
  review_tasks: 'open review tasks only: a decided task moves to review_tasks_closed once its events are out',
  resolve_tasks:
    'open resolve tasks only: a settled task moves to resolve_tasks_closed once its events are out',
  oversight_label_waits: "answers waiting for their decision's routing, deleted once labelled",
  drift_episodes: 'one per drift episode, raised at most once per function until a person clears it',
  drift_clears: 'one per drift episode a person cleared',
  delegations: 'one per delegation a person sets up, not per decision',
  regression_suites: 'one per suite revision a person saves',
  api_keys: 'one per service API key an operator issues',
  sign_in_failures:
    "one per known user with a failed sign-in in the last lock period, deleted by the user's next sign-in",
  routing_checkpoints:
    'two per partition of decision.scored per routing group (how far its claims are in the ledger and filter)',
};

/**
 * Queries still known to scan on a path that runs all the time or that a person waits for, each named at its
 * code site with the comment `debt:<name>`: the check reports them apart instead of failing, so a new scan
 * still fails while these wait for their fix. Name → what scans, and what the fix is. docs/store-access.md
 * lists them under "Still scanning".
 */
export const KNOWN_SCANS: Readonly<Record<string, string>> = {
  'oversight-window':
    'the Metrics screen and threshold suggestions fold every routed decision and answer of the window ' +
    '(oversight_decisions, oversight_labels); the fix is hourly roll-ups read by _id',
  'drift-window':
    "the drift check's sorted, limited read of a function's latest answers and routed decisions " +
    '(oversight_labels, oversight_decisions), at most every LEARNING_DRIFT_CHECK_MS per function; the fix is ' +
    'per-function gap-free lists of the latest entries, read by _id (tried, and reverted until it is measured ' +
    'under a backlog)',
  'label-rewrite':
    "an answer labelled before its decision's routing arrived is written again, complete, with a replaceOne " +
    'on oversight_labels (rare: the learning service read the answer first); the fix is an insert-only revision',
};
