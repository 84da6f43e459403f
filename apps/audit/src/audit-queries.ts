import { Readable, Transform } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { stringify } from 'csv-stringify';
import { QueryFilter, Model } from 'mongoose';
import { ChainedRecord, verifyChains, VerificationReport } from './audit-chain';
import { AuditChain } from './audit-chain.schema';
import { AuditEventRecord } from './audit-event.schema';

export interface DecisionFilter {
  businessFunction?: string;
  route?: string;
  tier?: string;
  /** proposedAt at or after. */
  from?: Date;
  /** proposedAt before. */
  to?: Date;
}

/** The columns of a decision export, in order; also the CSV header. */
export const DECISION_COLUMNS = [
  '_id',
  'state',
  'businessFunction',
  'actionType',
  'route',
  'tier',
  'score',
  'amount',
  'currency',
  'confidence',
  'agentId',
  'modelVersion',
  'requesterId',
  'policyId',
  'policyVersion',
  'sampledForAudit',
  'proposedAt',
  'scoredAt',
  'routedAt',
] as const;

export type ExportFormat = 'ndjson' | 'csv';

/** The read side of the audit trail: timelines, decision queries, streaming exports, verification. */
@Injectable()
export class AuditQueries {
  constructor(
    @InjectModel(AuditEventRecord.name) private readonly records: Model<AuditEventRecord>,
    @InjectModel(AuditChain.name) private readonly chains: Model<AuditChain>,
  ) {}

  /** Decisions matching the filter, newest first. */
  findDecisions(filter: DecisionFilter, limit = 100): Promise<AuditChain[]> {
    return this.chains
      .find(toQuery(filter))
      .sort({ proposedAt: -1 })
      .limit(limit)
      .lean<AuditChain[]>()
      .exec();
  }

  /** Streams every matching decision as NDJSON lines or CSV rows, without holding them in memory. */
  exportDecisions(filter: DecisionFilter, format: ExportFormat): Readable {
    const cursor = this.chains.find(toQuery(filter)).sort({ proposedAt: -1 }).lean().cursor();
    const rows = cursor.pipe(
      new Transform({
        objectMode: true,
        transform(doc: AuditChain, _encoding, done) {
          const row = Object.fromEntries(
            DECISION_COLUMNS.map((column) => [column, exportValue(doc[column])]),
          );
          done(null, format === 'ndjson' ? `${JSON.stringify(row)}\n` : row);
        },
      }),
    );
    return format === 'ndjson'
      ? rows
      : rows.pipe(stringify({ header: true, columns: [...DECISION_COLUMNS] }));
  }

  /** Streams one decision's events, in the order they happened, as NDJSON. */
  exportTimeline(decisionId: string): Readable {
    return this.records
      .find({ decisionId })
      .sort({ occurredAt: 1, 'chain.seq': 1 })
      .lean()
      .cursor()
      .pipe(
        new Transform({
          objectMode: true,
          transform(record: AuditEventRecord, _encoding, done) {
            done(null, `${JSON.stringify(record)}\n`);
          },
        }),
      );
  }

  /** Recomputes every chain and names the first broken link, if any. */
  verify(): Promise<VerificationReport> {
    const records = this.records
      .find({}, { chainKey: 1, chain: 1, event: 1 })
      .sort({ chainKey: 1, 'chain.seq': 1 })
      .lean<ChainedRecord>()
      .cursor() as AsyncIterable<ChainedRecord>;
    return verifyChains(
      records,
      async (key) => (await this.chains.findById(key).lean<AuditChain>().exec()) ?? undefined,
    );
  }
}

function toQuery(filter: DecisionFilter): QueryFilter<AuditChain> {
  const query: QueryFilter<AuditChain> = { kind: 'decision' };
  if (filter.businessFunction) query.businessFunction = filter.businessFunction;
  if (filter.route) query.route = filter.route;
  if (filter.tier) query.tier = filter.tier;
  if (filter.from || filter.to) {
    query.proposedAt = {
      ...(filter.from ? { $gte: filter.from } : {}),
      ...(filter.to ? { $lt: filter.to } : {}),
    };
  }
  return query;
}

function exportValue(value: unknown): string | number | boolean | null {
  if (value instanceof Date) return value.toISOString();
  if (value === undefined || value === null) return null;
  return value as string | number | boolean;
}
