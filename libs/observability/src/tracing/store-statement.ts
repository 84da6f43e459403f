/** Longest statement a span carries: a filter's shape, never a batch's documents. */
const MAX_STATEMENT = 200;
const BATCHES = ['documents', 'updates', 'deletes'] as const;

/** A filter with every value replaced by `?`: which fields were asked, never what they held. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value && typeof value === 'object' && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]));
  }
  return '?';
}

/**
 * The `db.query.text` of a store command's span: the command and collection, how many documents a batch carried,
 * and the filter's shape, at most 200 characters. The instrumentation's default writes every document of an
 * insert with its values masked: 190 KB for a 500-event audit batch, most of a trace export's bytes.
 */
export function storeStatement(command: Record<string, unknown>): string {
  const [operation] = Object.keys(command);
  if (operation === undefined) return '';
  const parts = [`${operation} ${String(command[operation])}`];
  for (const batch of BATCHES) {
    const items = command[batch];
    if (Array.isArray(items)) parts.push(`${items.length} ${batch}`);
  }
  const filter = command.filter ?? command.query ?? command.pipeline;
  if (filter !== undefined) parts.push(JSON.stringify(shapeOf(filter)));
  const statement = parts.join(' ');
  return statement.length > MAX_STATEMENT ? `${statement.slice(0, MAX_STATEMENT - 1)}…` : statement;
}
