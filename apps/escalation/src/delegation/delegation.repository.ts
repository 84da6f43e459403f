import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Delegation } from './delegation';
import { DelegationRecord } from './delegation.schema';

@Injectable()
export class DelegationRepository {
  constructor(@InjectModel(DelegationRecord.name) private readonly records: Model<DelegationRecord>) {}

  async add(delegation: Delegation): Promise<void> {
    const { delegationId, ...fields } = delegation;
    await this.records.create({ _id: delegationId, ...fields });
  }

  async find(delegationId: string): Promise<Delegation | undefined> {
    const record = await this.records.findById(delegationId).lean<DelegationRecord>().exec();
    return record ? fromRecord(record) : undefined;
  }

  /** Delegations not yet ended that involve `person` as delegator or delegate; all of them when absent. */
  async current(now: Date, person?: string): Promise<Delegation[]> {
    const filter: Record<string, unknown> = { until: { $gt: now }, revokedAt: { $exists: false } };
    if (person) filter.$or = [{ delegator: person }, { delegate: person }];
    const records = await this.records
      .find(filter)
      .sort({ until: 1 })
      .limit(500)
      .lean<DelegationRecord[]>()
      .exec();
    return records.map(fromRecord);
  }

  async revoke(delegationId: string, by: string, at: Date): Promise<void> {
    await this.records.updateOne({ _id: delegationId }, { $set: { revokedAt: at, revokedBy: by } }).exec();
  }
}

function fromRecord({ _id, ...fields }: DelegationRecord): Delegation {
  const delegation: Delegation = { delegationId: _id, ...fields };
  if (!delegation.revokedAt) delete delegation.revokedAt;
  if (!delegation.revokedBy) delete delegation.revokedBy;
  return delegation;
}
