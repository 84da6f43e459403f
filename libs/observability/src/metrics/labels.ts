/** The label value for anything outside a label's known values: keeps every label's series bounded. */
export const OTHER = 'other';

/** `value` if it is one of `known`, else "other": a label never takes an id or free text. */
export function boundedLabel(value: string | undefined, known: Iterable<string>): string {
  if (value === undefined) return OTHER;
  for (const k of known) if (k === value) return value;
  return OTHER;
}

/**
 * A label for names the platform defines but does not list in one place (business functions, consumer groups,
 * topics): kept when it looks like a name, "other" when it is long or carries characters no name has, which is
 * what an id or free text would. Function names come from the policy, validated there.
 */
export function nameLabel(value: string | undefined): string {
  if (!value || value.length > 64 || !/^[a-z][a-z0-9._-]*$/i.test(value)) return OTHER;
  return value;
}
