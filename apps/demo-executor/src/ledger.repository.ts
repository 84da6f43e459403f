import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ApprovedAction, ExecutedAction } from '@oversight/sdk';
import { insertNew } from '@oversight/persistence';
import { LedgerEntry } from './ledger-entry';

/** One booking of the demo ledger, keyed by the try's idempotency key so a repeated try books nothing new. */
@Schema({ collection: 'demo_ledger', versionKey: false })
export class LedgerRecord {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  decisionId!: string;

  @Prop({ required: true })
  kind!: string;

  @Prop({ required: true })
  reference!: string;

  @Prop({ type: Object })
  amount?: { value: number; currency: string };

  @Prop({ required: true })
  detail!: string;

  @Prop({ required: true })
  bookedAt!: Date;
}

export const LedgerRecordSchema = SchemaFactory.createForClass(LedgerRecord);

export interface Booking {
  entryId: string;
  /** The same try was booked before (it was run again after a crash): nothing new was written. */
  repeated: boolean;
}

@Injectable()
export class LedgerRepository {
  constructor(@InjectModel(LedgerRecord.name) private readonly records: Model<LedgerRecord>) {}

  /** Books the undoing of an earlier booking, once (keyed by the reversal's idempotency key). */
  async reverse(action: ExecutedAction): Promise<Booking> {
    const original = String(action.executed.result?.ledgerEntry ?? 'unknown entry');
    const { duplicates } = await insertNew(this.records.collection, [
      {
        _id: action.idempotencyKey,
        decisionId: action.decisionId,
        kind: 'reversal',
        reference: String(action.executed.result?.reference ?? original),
        ...(action.amount
          ? { amount: { value: -action.amount.value, currency: action.amount.currency } }
          : {}),
        detail: `reversal of ${original}: ${action.reversal.comment}`.slice(0, 500),
        bookedAt: new Date(),
      } as never,
    ]);
    return { entryId: action.idempotencyKey, repeated: duplicates.length > 0 };
  }

  async book(action: ApprovedAction, entry: LedgerEntry): Promise<Booking> {
    const { duplicates } = await insertNew(this.records.collection, [
      {
        _id: action.idempotencyKey,
        decisionId: action.decisionId,
        ...entry,
        bookedAt: new Date(),
      } as never,
    ]);
    return { entryId: action.idempotencyKey, repeated: duplicates.length > 0 };
  }
}
