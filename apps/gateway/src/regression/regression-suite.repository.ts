import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertNew } from '@oversight/persistence';
import { RegressionSuite, validateSuite } from '@oversight/policy';
import { RegressionSuiteRecord, suiteRevisionId } from './regression-suite.schema';

/** A suite's latest revision, without its cases. */
export interface SuiteSummary {
  name: string;
  revision: number;
  cases: number;
  savedBy: string;
  savedAt: Date;
}

export interface SavedSuite extends SuiteSummary {
  suite: RegressionSuite;
}

/** Two saves of one suite at once: the loser tries the next revision, a few times. */
const SAVE_ATTEMPTS = 5;

type Head = Pick<RegressionSuiteRecord, '_id' | 'name' | 'revision' | 'caseCount' | 'savedBy' | 'savedAt'>;
const HEAD_FIELDS = { name: 1, revision: 1, caseCount: 1, savedBy: 1, savedAt: 1 } as const;

/** The saved regression suites, each name a series of revisions of which the latest is in force. */
@Injectable()
export class RegressionSuiteRepository {
  constructor(
    @InjectModel(RegressionSuiteRecord.name) private readonly records: Model<RegressionSuiteRecord>,
  ) {}

  /** Saves a validated suite as its name's next revision. */
  async save(suite: RegressionSuite, savedBy: string): Promise<SuiteSummary> {
    const plain = JSON.parse(JSON.stringify(suite)) as Record<string, unknown>;
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      const [head] = await this.records
        .find({ name: suite.name }, { revision: 1 })
        .sort({ revision: -1 })
        .limit(1)
        .lean<Pick<RegressionSuiteRecord, 'revision'>[]>()
        .exec();
      const revision = (head?.revision ?? 0) + 1;
      const record: RegressionSuiteRecord = {
        _id: suiteRevisionId(suite.name, revision),
        name: suite.name,
        revision,
        caseCount: suite.cases.length,
        suite: plain,
        savedBy,
        savedAt: new Date(),
      };
      const { duplicates } = await insertNew(this.records, [record]);
      if (duplicates.length === 0) return summaryOf(record);
    }
    throw new Error(`regression suite ${suite.name}: no free revision after ${SAVE_ATTEMPTS} attempts`);
  }

  /** The latest revision of every suite, by name. */
  async list(): Promise<SuiteSummary[]> {
    return (await this.heads()).map(summaryOf);
  }

  async find(name: string): Promise<SavedSuite | undefined> {
    const [record] = await this.records
      .find({ name })
      .sort({ revision: -1 })
      .limit(1)
      .lean<RegressionSuiteRecord[]>()
      .exec();
    return record ? savedOf(record) : undefined;
  }

  /** Every suite's latest revision in full: what a new policy version is checked against. */
  async latestAll(): Promise<SavedSuite[]> {
    const ids = (await this.heads()).map((head) => head._id);
    if (ids.length === 0) return [];
    const records = await this.records
      .find({ _id: { $in: ids } })
      .lean<RegressionSuiteRecord[]>()
      .exec();
    return records.map(savedOf).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The latest revision of each name, read without the suites themselves. */
  private async heads(): Promise<Head[]> {
    const all = await this.records.find({}, HEAD_FIELDS).lean<Head[]>().exec();
    const latest = new Map<string, Head>();
    for (const head of all) {
      if ((latest.get(head.name)?.revision ?? 0) < head.revision) latest.set(head.name, head);
    }
    return [...latest.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

function summaryOf(record: Head): SuiteSummary {
  const { name, revision, caseCount, savedBy, savedAt } = record;
  return { name, revision, cases: caseCount, savedBy, savedAt };
}

/** Checked again on the way out: a contract that has grown stricter since the save must not pass silently. */
function savedOf(record: RegressionSuiteRecord): SavedSuite {
  const check = validateSuite(record.suite);
  if (!check.ok) {
    throw new Error(
      `regression suite ${record._id} as stored is no longer valid:\n  ${check.errors.slice(0, 10).join('\n  ')}`,
    );
  }
  return { ...summaryOf(record), suite: check.value };
}

/** SuiteSummary as JSON, for the OpenAPI document. */
export const SUITE_SUMMARY_SCHEMA = {
  type: 'object',
  required: ['name', 'revision', 'cases', 'savedBy', 'savedAt'],
  properties: {
    name: { type: 'string' },
    revision: { type: 'integer', minimum: 1 },
    cases: { type: 'integer', minimum: 0 },
    savedBy: { type: 'string' },
    savedAt: { type: 'string', format: 'date-time' },
  },
};
