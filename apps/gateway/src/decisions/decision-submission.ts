import { randomUUID } from 'node:crypto';
import {
  findUnsafeStructure,
  newEvent,
  PartyKind,
  PlatformEvent,
  Problem,
  Topic,
  toProblems,
  validateEventOn,
} from '@oversight/contracts';
import { Identity } from '@oversight/auth';

/** The producer named on every event the gateway publishes. */
export const GATEWAY_PRODUCER = 'gateway';

export type SubmissionCheck =
  | { ok: true; event: PlatformEvent<'DecisionProposed'> }
  | { ok: false; status: 400 | 403; message: string; problems: Problem[] };

/**
 * Turns a `POST /v1/decisions` body (a DecisionProposed payload, plus an optional decisionId and correlationId)
 * into the event the gateway publishes, or says what is wrong with it.
 *
 * Who submitted it comes from the credentials, never from the body: the payload's `requester` is filled in with
 * the caller (`{ kind: 'service', id: <API key name> }` for an upstream system, `{ kind: 'user', id: <sub> }` for
 * a person), and a body that names anyone else as requester is refused with 403, so no caller can submit in
 * another's name. A caller may still say it is an agent (`kind: 'agent'`) as long as the id is its own.
 */
export function checkSubmission(body: unknown, caller: Identity): SubmissionCheck {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return invalid([{ field: '(root)', reason: 'the body must be a JSON object' }]);
  }
  const unsafe = findUnsafeStructure(body);
  if (unsafe.length) return invalid(toProblems(unsafe));

  const { decisionId = randomUUID(), correlationId, ...payload } = body as Record<string, unknown>;
  const requester = payload.requester;
  if (requester === undefined) {
    payload.requester = {
      kind: caller.kind === 'service' ? PartyKind.Service : PartyKind.User,
      id: caller.subject,
    };
  } else if (
    typeof requester === 'object' &&
    requester !== null &&
    'id' in requester &&
    requester.id !== caller.subject
  ) {
    return {
      ok: false,
      status: 403,
      message: `requester.id names ${String(requester.id).slice(0, 128)}, but you are ${caller.subject}: the requester is taken from your credentials (leave it out)`,
      problems: [{ field: 'requester.id', reason: `must be ${caller.subject}, the caller, or left out` }],
    };
  }

  const event = newEvent('DecisionProposed', {
    decisionId: decisionId as string,
    ...(correlationId !== undefined ? { correlationId: correlationId as string } : {}),
    producer: GATEWAY_PRODUCER,
    payload: payload as never,
  });
  const check = validateEventOn(Topic.DecisionProposed, event);
  if (!check.ok) return invalid(toProblems(check.errors, 'payload'));
  return { ok: true, event: check.value };
}

function invalid(problems: Problem[]): SubmissionCheck {
  return { ok: false, status: 400, message: 'the decision is not valid', problems };
}
