import { Inject, Injectable } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { PlatformEvent, Topic } from '@oversight/contracts';
import { KAFKA } from '@oversight/messaging-nest';
import { LiveFeed } from '../live/live-feed';

/** What a review screen needs to know that its queue or an open task changed; it fetches the rest itself. */
export interface ReviewChange {
  decisionId: string;
  act: string;
  status: string;
  quorum: { given: number; required: number };
  occurredAt: string;
}

export function toReviewChange(event: PlatformEvent<'ReviewActivity'>): ReviewChange {
  const { payload } = event;
  return {
    decisionId: event.decisionId,
    act: payload.act,
    status: payload.status,
    quorum: payload.quorum,
    occurredAt: event.occurredAt,
  };
}

/** Review activity as it happens, for live review screens (`GET /v1/review-events`). */
@Injectable()
export class ReviewFeed extends LiveFeed<typeof Topic.ReviewActivity, ReviewChange> {
  constructor(@Inject(KAFKA) kafka: Kafka) {
    super(kafka, { name: 'review-feed', topics: [Topic.ReviewActivity], toItem: toReviewChange });
  }
}
