import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ID_PATTERN, ID_RULE, SLUG_PATTERN, SLUG_RULE } from '@oversight/contracts';
import { AuthenticationError } from './auth-errors';
import { ApiKeyRecord } from './api-key.schema';
import { apiKeySecretMatches, generateApiKey, hashApiKeySecret, parseApiKey } from './api-keys';
import { Identity } from './identity';

/** A stored key as operators see it: everything but the secret's hash. */
export type ApiKeySummary = Omit<ApiKeyRecord, 'secretHash'>;

export interface CreateApiKey {
  /** The upstream system, lower-case kebab-case (e.g. `crm`); it becomes the caller's subject. */
  name: string;
  roles: string[];
  createdBy: string;
}

export type RevokeOutcome = 'revoked' | 'already-revoked' | 'unknown';

/** Creates, checks, lists and revokes service API keys in the `api_keys` collection. */
@Injectable()
export class ApiKeyStore {
  constructor(@InjectModel(ApiKeyRecord.name) private readonly keys: Model<ApiKeyRecord>) {}

  /** Stores a new key and returns it with the full key text, which is shown once and never stored. */
  async create(request: CreateApiKey): Promise<{ key: string; record: ApiKeySummary }> {
    const problems = [
      ...(SLUG_PATTERN.test(request.name) ? [] : [`name ${SLUG_RULE}`]),
      ...(request.roles.length ? [] : ['roles: give at least one role']),
      ...request.roles
        .filter((role) => !SLUG_PATTERN.test(role))
        .map((role) => `roles: ${role} ${SLUG_RULE}`),
      ...(ID_PATTERN.test(request.createdBy) ? [] : [`createdBy ${ID_RULE}`]),
    ];
    if (problems.length) throw new Error(`invalid API key request: ${problems.join('; ')}`);
    const { keyId, secret, key } = generateApiKey();
    const record: ApiKeyRecord = {
      _id: keyId,
      name: request.name,
      roles: [...new Set(request.roles)],
      secretHash: hashApiKeySecret(secret),
      createdAt: new Date(),
      createdBy: request.createdBy,
    };
    await this.keys.create(record);
    return { key, record: summary(record) };
  }

  /** The identity behind a presented key, or an AuthenticationError that says why there is none. */
  async authenticate(text: string): Promise<Identity> {
    const parsed = parseApiKey(text);
    if (!parsed) {
      throw new AuthenticationError(
        'malformed-api-key',
        'the API key is not shaped like ovk_<keyId>_<secret>',
      );
    }
    const record = await this.keys.findById(parsed.keyId).lean<ApiKeyRecord>().exec();
    // A wrong secret and an unknown keyId read the same, so a caller cannot probe for key ids.
    if (!record || !apiKeySecretMatches(parsed.secret, record.secretHash)) {
      throw new AuthenticationError('unknown-api-key', 'the API key is not known');
    }
    if (record.revokedAt) throw new AuthenticationError('revoked-api-key', 'the API key has been revoked');
    return { subject: record.name, roles: record.roles, kind: 'service', name: record.name };
  }

  /** Every key, oldest first, without secrets. */
  async list(): Promise<ApiKeySummary[]> {
    const records = await this.keys.find({}, { secretHash: 0 }).sort({ createdAt: 1 }).lean<ApiKeyRecord[]>();
    return records.map(summary);
  }

  async revoke(keyId: string, revokedBy: string): Promise<RevokeOutcome> {
    const record = await this.keys.findById(keyId).lean<ApiKeyRecord>().exec();
    if (!record) return 'unknown';
    if (record.revokedAt) return 'already-revoked';
    await this.keys.updateOne({ _id: keyId }, { $set: { revokedAt: new Date(), revokedBy } }).exec();
    return 'revoked';
  }
}

function summary({ secretHash: _hash, ...rest }: ApiKeyRecord): ApiKeySummary {
  return rest;
}
