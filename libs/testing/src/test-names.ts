import { randomBytes } from 'node:crypto';

/** A name no other test run will use: consumer groups, databases, decision ids. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
