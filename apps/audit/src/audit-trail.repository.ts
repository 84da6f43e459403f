import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { PlatformEvent } from '@oversight/contracts';
import { AuditEventRecord, AuditEventSource } from './audit-event.schema';

const DUPLICATE_KEY = 11000;

export type AppendOutcome = 'stored' | 'already-stored';

/** The audit trail's store. Appends only: an audit record is never updated or deleted by the platform. */
@Injectable()
export class AuditTrailRepository {
  constructor(@InjectModel(AuditEventRecord.name) private readonly records: Model<AuditEventRecord>) {}

  /** Idempotent by eventId: a redelivered event is recognised, not stored twice. */
  async append(event: PlatformEvent, source: AuditEventSource): Promise<AppendOutcome> {
    try {
      await this.records.create({
        _id: event.eventId,
        decisionId: event.decisionId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        producer: event.producer,
        occurredAt: new Date(event.occurredAt),
        recordedAt: new Date(),
        source,
        event: JSON.parse(JSON.stringify(event)),
      });
      return 'stored';
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return 'already-stored';
      throw error;
    }
  }

  async timeline(decisionId: string): Promise<AuditEventRecord[]> {
    return this.records.find({ decisionId }).sort({ occurredAt: 1 }).lean<AuditEventRecord[]>().exec();
  }
}
