// The shape of every error answer of the platform's HTTP APIs, shared by the services that send it and the SDK
// that reads it.

/** One broken rule of a request: the field (a dotted path, `(root)` for the body as a whole) and why. */
export interface Problem {
  field: string;
  reason: string;
}

/** The body of every error answer of the platform's HTTP APIs. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Why, for programs (e.g. `own-request`, `over-authority` on a refused review act). */
  code?: string;
  problems?: Problem[];
}

/**
 * Turns the platform's validation lines (`payload.confidence: confidence must not be greater than 1`) into
 * problems; `stripPrefix` drops the envelope path where the request's fields sit at the top of the body.
 */
export function toProblems(lines: string[], stripPrefix?: string): Problem[] {
  return lines.map((line) => {
    const at = line.indexOf(': ');
    const [path, reason] = at < 0 ? ['(root)', line] : [line.slice(0, at), line.slice(at + 2)];
    const field =
      stripPrefix && path.startsWith(`${stripPrefix}.`) ? path.slice(stripPrefix.length + 1) : path;
    return { field: field === stripPrefix ? '(root)' : field, reason };
  });
}
