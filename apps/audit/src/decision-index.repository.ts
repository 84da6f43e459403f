import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { PlatformEvent } from '@oversight/contracts';
import { DecisionIndexEntry, indexEntryId, lastSeqIn, listsFor } from '@oversight/audit-trail';

/** Lists whose last seq is remembered; beyond this the least recently extended are looked up again. */
const MAX_REMEMBERED_LISTS = 20_000;
/** Clashes with another writer one call resolves before it gives up and lets the consumer retry. */
const MAX_CLASH_ROUNDS = 5;
const DUPLICATE_KEY = 11000;

export interface ProposalRead {
  event: PlatformEvent<'DecisionProposed'>;
  partition: number;
}

interface Planned {
  list: string;
  decisionId: string;
  at: Date;
}

/**
 * Enters each proposal in the read side's lists (see DecisionIndexEntry), before its events go into the trail:
 * a proposal redelivered after a crash may be listed twice, which readers drop, but never not at all.
 */
@Injectable()
export class DecisionIndexRepository {
  private readonly lastSeqs = new Map<string, number>();

  constructor(@InjectModel(DecisionIndexEntry.name) private readonly entries: Model<DecisionIndexEntry>) {}

  async enter(proposals: ProposalRead[]): Promise<void> {
    let pending: Planned[] = proposals.flatMap(({ event, partition }) => {
      const at = new Date(event.occurredAt);
      return listsFor(event.payload, at, partition).map((list) => ({
        list,
        decisionId: event.decisionId,
        at,
      }));
    });
    let lookUp = new Set<string>();
    for (let round = 1; pending.length; round += 1) {
      const docs = await this.place(pending, lookUp);
      const clashed = await this.insert(docs);
      for (const [index, doc] of docs.entries()) {
        if (!clashed.has(index)) this.remember(doc.list, Math.max(this.lastSeqs.get(doc.list) ?? 0, doc.seq));
      }
      if (clashed.size === 0) return;
      if (round === MAX_CLASH_ROUNDS) {
        throw new Error(
          `audit index: list ${docs[[...clashed][0]].list} still clashes after ${round} rounds`,
        );
      }
      // Another writer took those seqs (a partition moved between instances): look the lists up again.
      pending = docs.filter((_doc, index) => clashed.has(index));
      lookUp = new Set(pending.map(({ list }) => list));
    }
  }

  /**
   * Gives each entry the next seq of its list, in the order the proposals were read. A list this instance has
   * not extended yet is assumed new (most are: a subject's first decision), and the store's unique _id catches
   * a wrong guess, after which the list's last seq is looked up.
   */
  private async place(pending: Planned[], lookUp: Set<string>): Promise<DecisionIndexEntry[]> {
    const next = new Map<string, number>();
    for (const list of new Set(pending.map((entry) => entry.list))) {
      next.set(list, lookUp.has(list) ? await lastSeqIn(this.entries, list) : (this.lastSeqs.get(list) ?? 0));
    }
    return pending.map(({ list, decisionId, at }) => {
      const seq = (next.get(list) as number) + 1;
      next.set(list, seq);
      return { _id: indexEntryId(list, seq), list, seq, decisionId, at };
    });
  }

  /** Inserts all, unordered; returns the indexes of those whose seq was taken. */
  private async insert(docs: DecisionIndexEntry[]): Promise<Set<number>> {
    try {
      await this.entries.insertMany(docs, { ordered: false });
      return new Set();
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { code: number; index: number }[] }).writeErrors;
      if (!writeErrors?.length || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
      return new Set(writeErrors.map((e) => e.index));
    }
  }

  private remember(list: string, seq: number) {
    this.lastSeqs.delete(list);
    this.lastSeqs.set(list, seq);
    if (this.lastSeqs.size > MAX_REMEMBERED_LISTS) {
      this.lastSeqs.delete(this.lastSeqs.keys().next().value as string);
    }
  }
}
