import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A service API key as stored: never the key itself, only the SHA-256 of its secret. Keyed by keyId, so
 * checking a presented key is one exact `_id` lookup. Written once; the only later change is a revocation
 * (`revokedAt`), a rare operator step on a collection of a handful of documents, where FerretDB's scan on
 * update costs nothing worth avoiding.
 */
@Schema({ collection: 'api_keys', versionKey: false })
export class ApiKeyRecord {
  /** The keyId: the middle part of `ovk_<keyId>_<secret>`. */
  @Prop({ type: String, required: true })
  _id!: string;

  /** The upstream system the key belongs to; the identity's subject. Rotated keys share it. */
  @Prop({ type: String, required: true })
  name!: string;

  @Prop({ type: [String], required: true })
  roles!: string[];

  @Prop({ type: String, required: true })
  secretHash!: string;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: String, required: true })
  createdBy!: string;

  @Prop({ type: Date })
  revokedAt?: Date;

  @Prop({ type: String })
  revokedBy?: string;
}

export const ApiKeySchema = SchemaFactory.createForClass(ApiKeyRecord);
