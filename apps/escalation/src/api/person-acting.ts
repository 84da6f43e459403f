import { ForbiddenException } from '@nestjs/common';
import { Actor } from '@oversight/contracts';
import { Identity } from '@oversight/auth';

/** The person behind a request, as the actor of what they do; an upstream system's key never acts on tasks. */
export function personActing(identity: Identity, acts: string): Actor {
  if (identity.kind !== 'user') throw new ForbiddenException(`${acts} by people, not by service keys`);
  return { kind: 'user', id: identity.subject, roles: identity.roles };
}
