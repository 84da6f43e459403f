import { Limits } from './limits';

/**
 * Keys that could pollute prototypes in JavaScript consumers or be read as operators by MongoDB. Events are
 * stored verbatim in the audit trail, so a `$where` or dotted key must never get that far.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function describeUnsafeKey(key: string): string | undefined {
  if (PROTOTYPE_KEYS.has(key)) return 'is a reserved JavaScript property name';
  if (key.startsWith('$')) return "starts with '$' (a MongoDB operator)";
  if (key.includes('.')) return "contains '.' (a MongoDB path separator)";
  if (key.includes('\u0000')) return 'contains a NUL character';
  if (key.length === 0) return 'is empty';
  if (key.length > Limits.maxShortTextLength) return `is longer than ${Limits.maxShortTextLength} characters`;
  return undefined;
}

/**
 * A JSON number the event could not carry unchanged: `1e400` parses to Infinity (stored as null), and an integer
 * beyond 2^53 is rounded (12345678901234567891 becomes ...900). Either way the trail would keep a number nobody
 * sent, so both are refused; an id that big belongs in a string.
 */
export function describeUnsafeNumber(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'is a number beyond the range of a double (e.g. 1e400)';
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return `is an integer beyond ±${Number.MAX_SAFE_INTEGER}, which JSON numbers here cannot keep exactly (send it as a string)`;
  }
  return undefined;
}

/**
 * Walks a parsed JSON value and lists every unsafe key and number, too-deep nesting and oversized object, each with the
 * path where it sits. Returns an empty list for a safe value.
 */
export function findUnsafeStructure(value: unknown, path = '', depth = 0): string[] {
  const here = path || '(root)';
  if (typeof value === 'number') {
    const problem = describeUnsafeNumber(value);
    return problem ? [`${here}: ${problem}`] : [];
  }
  if (value === null || typeof value !== 'object') return [];
  if (depth > Limits.maxObjectDepth) return [`${here}: nested deeper than ${Limits.maxObjectDepth} levels`];
  const problems: string[] = [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length > Limits.maxObjectKeys) {
    problems.push(`${here}: has ${entries.length} entries, more than ${Limits.maxObjectKeys}`);
  }
  for (const [key, child] of entries) {
    const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (!Array.isArray(value)) {
      const unsafe = describeUnsafeKey(key);
      if (unsafe) problems.push(`${path || '(root)'}: key "${key.slice(0, 40)}" ${unsafe}`);
    }
    problems.push(...findUnsafeStructure(child, childPath, depth + 1));
  }
  return problems;
}
