import fs from 'node:fs';
import path from 'node:path';
import { PolicyDocument } from './policy-document';
import { parsePolicy } from './validate-policy';

export class InvalidPolicyError extends Error {
  constructor(
    readonly source: string,
    readonly errors: string[],
  ) {
    super(`policy ${source} is not valid:\n  ${errors.join('\n  ')}`);
  }
}

/** Reads and validates a policy file; throws with every problem listed. */
export function loadPolicyFile(file: string): PolicyDocument {
  const check = parsePolicy(fs.readFileSync(file, 'utf8'));
  if (!check.ok) throw new InvalidPolicyError(file, check.errors);
  return check.value;
}

/** The policy this repository ships for its reference scenarios (libs/policy/policies/reference.yaml). */
export const REFERENCE_POLICY_FILE = path.resolve(__dirname, '../policies/reference.yaml');
