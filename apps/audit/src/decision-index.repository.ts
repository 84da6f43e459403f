import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { PlatformEvent } from '@oversight/contracts';
import { DecisionIndexEntry, listsFor } from '@oversight/audit-trail';
import { GapFreeLists } from '@oversight/persistence';

export interface ProposalRead {
  event: PlatformEvent<'DecisionProposed'>;
  partition: number;
}

/**
 * Enters each proposal in the read side's lists (see DecisionIndexEntry), before its events go into the trail:
 * a proposal redelivered after a crash may be listed twice, which readers drop, but never not at all.
 */
@Injectable()
export class DecisionIndexRepository {
  private readonly lists: GapFreeLists<DecisionIndexEntry>;

  constructor(@InjectModel(DecisionIndexEntry.name) entries: Model<DecisionIndexEntry>) {
    this.lists = new GapFreeLists(entries.collection as never);
  }

  async enter(proposals: ProposalRead[]): Promise<void> {
    await this.lists.append(
      proposals.flatMap(({ event, partition }) => {
        const at = new Date(event.occurredAt);
        return listsFor(event.payload, at, partition).map((list) => ({
          list,
          decisionId: event.decisionId,
          at,
        }));
      }),
    );
  }
}
