import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A revision's key: saving a suite again inserts the next revision, so nothing here is ever updated. */
export const suiteRevisionId = (name: string, revision: number) => `${name}#${revision}`;

/**
 * One revision of a regression suite, as validated when it was saved. Insert-only (FerretDB v1 scans the whole
 * collection for every update): reads take a name's highest revision.
 */
// minimize: false keeps empty objects (a proposal's `parameters: {}`), which the DecisionProposed contract needs.
@Schema({ collection: 'regression_suites', versionKey: false, minimize: false })
export class RegressionSuiteRecord {
  /** `<name>#<revision>` (suiteRevisionId): two saves racing for one revision cannot both win. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  name!: string;

  @Prop({ type: Number, required: true })
  revision!: number;

  /** For the list of suites, which reads no suite in full. */
  @Prop({ type: Number, required: true })
  caseCount!: number;

  /** The RegressionSuite as validated, each case's proposal in full. */
  @Prop({ type: Object, required: true })
  suite!: Record<string, unknown>;

  @Prop({ type: String, required: true })
  savedBy!: string;

  @Prop({ type: Date, required: true })
  savedAt!: Date;
}

export const RegressionSuiteSchema = SchemaFactory.createForClass(RegressionSuiteRecord);
// Serves a suite's latest revision (name, highest revision first) and the list of suites.
RegressionSuiteSchema.index({ name: 1, revision: -1 });
