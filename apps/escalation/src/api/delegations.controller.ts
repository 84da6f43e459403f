import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  HttpException,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { newEvent, Topic } from '@oversight/contracts';
import { CurrentIdentity, Identity, Roles } from '@oversight/auth';
import { EventPublisher } from '@oversight/messaging';
import { Delegation, grantDelegation } from '../delegation/delegation';
import { DelegationRepository } from '../delegation/delegation.repository';
import { DelegationRequestBody, RevocationBody } from './review-requests';

/**
 * Out-of-office delegation: a reviewer lets another person act on reviews for them for a while. Every grant and
 * revocation is published on review.delegation.v1, so the audit trail shows who could act for whom, and when.
 */
@Controller('v1/delegations')
@Roles('reviewer', 'supervisor')
export class DelegationsController {
  constructor(
    private readonly delegations: DelegationRepository,
    private readonly publisher: EventPublisher,
  ) {}

  /** The caller delegates their own review roles (never someone else's). */
  @Post()
  @Roles('reviewer')
  async grant(
    @CurrentIdentity() identity: Identity,
    @Body() body: DelegationRequestBody,
  ): Promise<Delegation> {
    if (identity.kind !== 'user') throw new ForbiddenException('only people delegate');
    const granted = grantDelegation(
      { kind: 'user', id: identity.subject, roles: identity.roles },
      {
        delegate: body.delegate,
        until: new Date(body.until),
        reason: body.reason,
        ...(body.roles ? { roles: body.roles } : {}),
        ...(body.from ? { from: new Date(body.from) } : {}),
      },
      new Date(),
      randomUUID(),
    );
    if (!granted.ok) throw new HttpException({ message: granted.message, code: 'delegation-refused' }, 409);
    await this.delegations.add(granted.delegation);
    await this.publish('granted', granted.delegation, identity.subject);
    return granted.delegation;
  }

  /** The caller's delegations, given and received, that have not ended; a supervisor sees every one. */
  @Get()
  list(@CurrentIdentity() identity: Identity): Promise<Delegation[]> {
    const everyone = identity.roles.includes('supervisor');
    return this.delegations.current(new Date(), everyone ? undefined : identity.subject);
  }

  @Post(':delegationId/revoke')
  @HttpCode(200)
  async revoke(
    @CurrentIdentity() identity: Identity,
    @Param('delegationId') delegationId: string,
    @Body() body: RevocationBody,
  ): Promise<Delegation> {
    const delegation = await this.delegations.find(delegationId);
    if (!delegation) throw new NotFoundException(`no delegation ${delegationId}`);
    if (delegation.delegator !== identity.subject && !identity.roles.includes('supervisor')) {
      throw new ForbiddenException(`only ${delegation.delegator} or a supervisor may revoke this delegation`);
    }
    const now = new Date();
    if (delegation.revokedAt || delegation.until <= now) {
      throw new HttpException(
        { message: 'this delegation has already ended', code: 'delegation-ended' },
        409,
      );
    }
    await this.delegations.revoke(delegationId, identity.subject, now);
    const revoked = { ...delegation, revokedAt: now, revokedBy: identity.subject };
    await this.publish('revoked', revoked, identity.subject, body.reason);
    return revoked;
  }

  private async publish(
    change: 'granted' | 'revoked',
    d: Delegation,
    by: string,
    reason = d.reason,
  ): Promise<void> {
    await this.publisher.publish(
      Topic.DelegationChanged,
      newEvent('DelegationChanged', {
        producer: 'escalation',
        correlationId: d.delegationId,
        payload: {
          change,
          delegationId: d.delegationId,
          delegator: d.delegator,
          delegate: d.delegate,
          roles: d.roles,
          from: d.from.toISOString(),
          until: d.until.toISOString(),
          reason,
          by,
        },
      }),
    );
  }
}
