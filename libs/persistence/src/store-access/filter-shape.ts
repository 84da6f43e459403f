/**
 * A query filter with its values replaced by their types and its operators kept: what a query asks of the
 * store, without the data. `{_id: 'a#1'}` is `{_id: '$eq:string'}`, `{status: {$nin: [...]}}` is
 * `{status: {$nin: 'array'}}`.
 */
export type Shape = string | Shape[] | { [key: string]: Shape };
export type FilterShape = { [key: string]: Shape };

/**
 * The type token of a string bound of an `_id` range whose two bounds share a key prefix (`<prefix>#…`): such
 * a range stays inside one key family (one decision's records, one list), the only range the classifier lets
 * through. The prefix itself is data and is not kept.
 */
export const PREFIXED_STRING = '<prefix>#string';

const LOGICAL = new Set(['$and', '$or', '$nor']);
const LOWER_BOUNDS = ['$gt', '$gte'];
const UPPER_BOUNDS = ['$lt', '$lte'];

// BSON classes are told apart by their _bsontype, so this stays free of the driver.
const BSON_TYPES: Record<string, string> = {
  ObjectId: 'objectId',
  ObjectID: 'objectId',
  Decimal128: 'number',
  Long: 'number',
  Int32: 'number',
  Double: 'number',
  Binary: 'binary',
  UUID: 'binary',
  BSONRegExp: 'regex',
  Timestamp: 'timestamp',
};

/** The type of a value as a shape shows it. */
export function valueType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (typeof value === 'bigint') return 'number';
  if (typeof value !== 'object') return typeof value;
  const bsonType = (value as { _bsontype?: unknown })._bsontype;
  if (typeof bsonType === 'string') return BSON_TYPES[bsonType] ?? bsonType.toLowerCase();
  return 'object';
}

function isDocument(value: unknown): value is Record<string, unknown> {
  return valueType(value) === 'object';
}

function isOperatorDocument(value: unknown): value is Record<string, unknown> {
  if (!isDocument(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

/** Keys sorted, so the same query written in another order has the same shape. */
function sortedEntries(document: Record<string, unknown>): [string, unknown][] {
  return Object.keys(document)
    .sort()
    .map((key) => [key, document[key]]);
}

/** The shape of a filter document (a find's `filter`, an update's `q`, an aggregation's `$match`). */
export function filterShape(filter: unknown): FilterShape {
  if (!isDocument(filter)) return {};
  const shape: FilterShape = {};
  for (const [key, value] of sortedEntries(filter)) {
    if (LOGICAL.has(key)) {
      shape[key] = Array.isArray(value) ? value.map((clause) => filterShape(clause)) : valueType(value);
    } else if (key.startsWith('$')) {
      // $expr, $text, $where: their content is code, not a field condition; the operator is what matters.
      shape[key] = valueType(value);
    } else {
      shape[key] = conditionShape(key, value);
    }
  }
  return shape;
}

function conditionShape(field: string, condition: unknown): Shape {
  if (!isOperatorDocument(condition)) return `$eq:${valueType(condition)}`;
  const shape: { [operator: string]: Shape } = {};
  for (const [operator, operand] of sortedEntries(condition))
    shape[operator] = operandShape(operator, operand);
  if (field === '_id') markSharedPrefix(condition, shape);
  return shape;
}

function operandShape(operator: string, operand: unknown): Shape {
  if ((operator === '$elemMatch' || operator === '$not') && isDocument(operand)) {
    return isOperatorDocument(operand) ? conditionShape('', operand) : filterShape(operand);
  }
  return valueType(operand);
}

/** Replaces the bounds' `string` by PREFIXED_STRING when both are strings under one `<prefix>#`. */
function markSharedPrefix(condition: Record<string, unknown>, shape: { [operator: string]: Shape }): void {
  const lower = LOWER_BOUNDS.filter((operator) => operator in condition);
  const upper = UPPER_BOUNDS.filter((operator) => operator in condition);
  if (lower.length !== 1 || upper.length !== 1) return;
  const [from, to] = [condition[lower[0]], condition[upper[0]]];
  if (typeof from !== 'string' || typeof to !== 'string' || !shareKeyPrefix(from, to)) return;
  shape[lower[0]] = PREFIXED_STRING;
  shape[upper[0]] = PREFIXED_STRING;
}

/** Whether two keys start with the same non-empty `<prefix>#`. */
export function shareKeyPrefix(a: string, b: string): boolean {
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return a.slice(0, common).lastIndexOf('#') > 0;
}
