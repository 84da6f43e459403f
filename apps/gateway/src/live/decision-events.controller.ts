import { Controller, MessageEvent, Req, Sse } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { finalize, Observable } from 'rxjs';
import { CurrentIdentity, Identity, Roles } from '@oversight/auth';
import { LiveFeedConnections } from '../protection/live-feed-connections';
import { DecisionFeed } from './decision-feed';
import { serverSentEvents } from './live-feed';

/** Supervisors on the loop: every routed outcome as it happens. */
@ApiTags('oversight')
@Controller('v1')
export class DecisionEventsController {
  constructor(
    private readonly feed: DecisionFeed,
    private readonly connections: LiveFeedConnections,
  ) {}

  @Sse('decision-events')
  @Roles('supervisor', 'auditor')
  @ApiOperation({
    summary: 'Live routed outcomes (server-sent events) for supervisors on the loop',
    description:
      'One `event: decision` per ActionApproved, ReviewRequested or DecisionBlocked read from now on, with data ' +
      '{ decisionId, type, occurredAt, businessFunction, actionType, tier, score, amount?, currency?, route, ' +
      'mode?, kind?, sampled, reasons }, and an `event: ping` every 20 s. `route` is where the policy sent the ' +
      'decision, as the audit trail records it: auto, review or block. An ActionApproved carries `mode`: auto ' +
      '(route auto), or human / timeout-default, the end of a review (route review). A ReviewRequested carries ' +
      '`kind`: blocking (route review), or post-hoc-sample, an after-the-fact review of an action that already ran ' +
      'on its own (route auto, sampled true); such a decision arrives twice, its ActionApproved first. ' +
      'Nothing is replayed: a screen loads the past from GET /v1/decisions.',
  })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'An open event stream' })
  @ApiResponse({ status: 429, description: 'The caller already holds LIVE_FEEDS_PER_CALLER live feeds' })
  events(@CurrentIdentity() caller: Identity, @Req() request: object): Observable<MessageEvent> {
    const release = this.connections.admit(caller, request);
    return serverSentEvents('decision', this.feed.stream).pipe(finalize(release));
  }
}
