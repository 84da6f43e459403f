import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { PlatformEvent } from '@oversight/contracts';
import { DecisionIndexEntry, indexEntriesFor } from '@oversight/audit-trail';
import { GapFreeLists } from '@oversight/persistence';

export interface EventRead {
  event: PlatformEvent;
  partition: number;
}

/**
 * Enters each proposal in the read side's lists (see DecisionIndexEntry), and each scoring and routing outcome
 * in its tier's and route's, before the events go into the trail: an event redelivered after a crash may be
 * listed twice, which readers drop, but never not at all.
 */
@Injectable()
export class DecisionIndexRepository {
  private readonly lists: GapFreeLists<DecisionIndexEntry>;

  constructor(@InjectModel(DecisionIndexEntry.name) entries: Model<DecisionIndexEntry>) {
    this.lists = new GapFreeLists(entries.collection as never);
  }

  async enter(events: EventRead[]): Promise<void> {
    await this.lists.append(events.flatMap(({ event, partition }) => indexEntriesFor(event, partition)));
  }
}
