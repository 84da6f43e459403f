import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { FailedSignInsRecord } from './failed-sign-ins.schema';
import { FailedSignIns, isSpent, lockEarned, LockoutPolicy } from './sign-in-lockout';

/** Failed sign-ins per user, in the store, so a lock holds on every gateway instance and across restarts. */
@Injectable()
export class FailedSignInsRepository {
  constructor(@InjectModel(FailedSignInsRecord.name) private readonly records: Model<FailedSignInsRecord>) {}

  async find(user: string): Promise<FailedSignIns | undefined> {
    const record = await this.records.findById(user).lean<FailedSignInsRecord>().exec();
    return record ?? undefined;
  }

  /**
   * Counts one more failure and locks the user when it earns a lock. `seen` is the record as the caller read it
   * (`find`) before checking the password. The count is one atomic increment, so failures sent in parallel
   * from many addresses each count.
   */
  async recordFailure(
    user: string,
    seen: FailedSignIns | undefined,
    now: Date,
    policy: LockoutPolicy,
  ): Promise<FailedSignIns> {
    // Only the spent record seen is removed: a parallel failure's fresh one survives.
    if (seen && isSpent(seen, now, policy)) {
      await this.records.deleteOne({ _id: user, lastFailureAt: seen.lastFailureAt }).exec();
    }
    const counted = await this.records
      .findOneAndUpdate(
        { _id: user },
        { $inc: { failures: 1 }, $set: { lastFailureAt: now } },
        { upsert: true, new: true },
      )
      .lean<FailedSignInsRecord>()
      .exec();
    const lock = counted.lockedUntil ? undefined : lockEarned(counted.failures, now, policy);
    if (!lock) return counted;
    await this.records.updateOne(
      { _id: user, lockedUntil: { $exists: false } },
      { $set: { lockedUntil: lock } },
    );
    return { ...counted, lockedUntil: lock };
  }

  /** A successful sign-in forgets the user's failures. */
  async clear(user: string): Promise<void> {
    await this.records.deleteOne({ _id: user }).exec();
  }
}
