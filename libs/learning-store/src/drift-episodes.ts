import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { DriftDetected, PlatformEvent } from '@oversight/contracts';
import { insertNew } from '@oversight/persistence';
import { DriftClearRecord, DriftEpisodeRecord, episodeId } from './oversight-records.schema';

/** A drift episode as people see it: what was found, and whether and by whom it was cleared. */
export interface DriftEpisode extends DriftDetected {
  detectedAt: string;
  clearedAt?: string;
  clearedBy?: string;
  clearReason?: string;
}

/** An episode written and not yet published (a crash between the two), with what to publish. */
export interface UnpublishedEpisode {
  id: string;
  detected: PlatformEvent<'DriftDetected'>;
  halt?: PlatformEvent<'HaltChanged'>;
}

/** Drift episodes and their clearing: few, so scans of these small collections stay cheap. */
@Injectable()
export class DriftEpisodes {
  constructor(
    @InjectModel(DriftEpisodeRecord.name) private readonly episodes: Model<DriftEpisodeRecord>,
    @InjectModel(DriftClearRecord.name) private readonly clears: Model<DriftClearRecord>,
  ) {}

  /** The function's latest episode and its clearing, if any. */
  async latest(
    businessFunction: string,
  ): Promise<{ episode: number; detectedAt: Date; clearedAt?: Date } | undefined> {
    const [record] = await this.episodes
      .find({ businessFunction }, { episode: 1, detectedAt: 1 })
      .sort({ episode: -1 })
      .limit(1)
      .lean<DriftEpisodeRecord[]>()
      .exec();
    if (!record) return undefined;
    const clear = await this.clears.findById(record._id).lean<DriftClearRecord>().exec();
    return {
      episode: record.episode,
      detectedAt: record.detectedAt,
      ...(clear ? { clearedAt: clear.clearedAt } : {}),
    };
  }

  /**
   * Opens an episode, unless another instance opened the same one first (then false: nothing to publish here).
   */
  async open(
    detected: PlatformEvent<'DriftDetected'>,
    halt: PlatformEvent<'HaltChanged'> | undefined,
  ): Promise<boolean> {
    const { businessFunction, episode } = detected.payload;
    const { inserted } = await insertNew(this.episodes, [
      {
        _id: episodeId(businessFunction, episode),
        businessFunction,
        episode,
        detectedAt: new Date(detected.occurredAt),
        event: JSON.stringify(detected),
        ...(halt ? { halt: JSON.stringify(halt) } : {}),
        published: false,
      },
    ]);
    return inserted === 1;
  }

  async isCleared(id: string): Promise<boolean> {
    return (await this.clears.exists({ _id: id }).exec()) !== null;
  }

  async markPublished(id: string): Promise<void> {
    await this.episodes.updateOne({ _id: id }, { $set: { published: true } }).exec();
  }

  async unpublished(): Promise<UnpublishedEpisode[]> {
    const records = await this.episodes.find({ published: false }).lean<DriftEpisodeRecord[]>().exec();
    return records.map((record) => ({
      id: record._id,
      detected: JSON.parse(record.event) as PlatformEvent<'DriftDetected'>,
      ...(record.halt ? { halt: JSON.parse(record.halt) as PlatformEvent<'HaltChanged'> } : {}),
    }));
  }

  /** Records a person clearing an episode; clearing it again changes nothing. */
  async recordClear(cleared: PlatformEvent<'DriftCleared'>): Promise<void> {
    const { businessFunction, episode, clearedBy, reason } = cleared.payload;
    await insertNew(this.clears, [
      {
        _id: episodeId(businessFunction, episode),
        businessFunction,
        episode,
        clearedAt: new Date(cleared.occurredAt),
        clearedBy,
        reason,
      },
    ]);
  }

  /**
   * Open (raised, not cleared) episodes per business function, for the `oversight_drift_episodes_open` gauge:
   * both collections hold one small document per episode, so reading them whole stays cheap.
   */
  async openByFunction(): Promise<Map<string, number>> {
    const [episodes, clears] = await Promise.all([
      this.episodes
        .find({}, { businessFunction: 1 })
        .lean<Pick<DriftEpisodeRecord, '_id' | 'businessFunction'>[]>()
        .exec(),
      this.clears.find({}, { _id: 1 }).lean<Pick<DriftClearRecord, '_id'>[]>().exec(),
    ]);
    const cleared = new Set(clears.map((clear) => clear._id));
    const open = new Map<string, number>();
    for (const episode of episodes) {
      const count = open.get(episode.businessFunction) ?? 0;
      open.set(episode.businessFunction, cleared.has(episode._id) ? count : count + 1);
    }
    return open;
  }

  /** Episodes, the newest first, with their clearing. */
  async list(limit = 100): Promise<DriftEpisode[]> {
    const records = await this.episodes
      .find()
      .sort({ detectedAt: -1 })
      .limit(limit)
      .lean<DriftEpisodeRecord[]>()
      .exec();
    const clears = await this.clears
      .find({ _id: { $in: records.map((record) => record._id) } })
      .lean<DriftClearRecord[]>()
      .exec();
    const clearOf = new Map(clears.map((clear) => [clear._id, clear]));
    return records.map((record) => {
      const detected = JSON.parse(record.event) as PlatformEvent<'DriftDetected'>;
      const clear = clearOf.get(record._id);
      return {
        ...detected.payload,
        detectedAt: new Date(record.detectedAt).toISOString(),
        ...(clear
          ? {
              clearedAt: new Date(clear.clearedAt).toISOString(),
              clearedBy: clear.clearedBy,
              clearReason: clear.reason,
            }
          : {}),
      };
    });
  }

  /** How many episodes were detected in [from, to), optionally for one function. */
  count(from: Date, to: Date, businessFunction?: string): Promise<number> {
    return this.episodes
      .countDocuments({
        detectedAt: { $gte: from, $lt: to },
        ...(businessFunction ? { businessFunction } : {}),
      })
      .exec();
  }
}
