import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Service API keys for upstream systems: `ovk_<keyId>_<secret>`. The keyId finds the stored key with one exact
 * `_id` lookup (the one query FerretDB v1 serves without a scan); the secret is 32 random bytes, stored only as
 * its SHA-256 (enough for a high-entropy random secret: there is nothing to brute-force), compared in constant
 * time. The whole key is shown once, when it is created.
 */
export const API_KEY_PREFIX = 'ovk';
const KEY_ID_BYTES = 8;
const SECRET_BYTES = 32;
const API_KEY_FORMAT = /^ovk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  keyId: string;
  secret: string;
}

export interface NewApiKey extends ParsedApiKey {
  /** The full key to hand to the upstream system; not stored anywhere. */
  key: string;
}

export function generateApiKey(): NewApiKey {
  const keyId = randomBytes(KEY_ID_BYTES).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { keyId, secret, key: `${API_KEY_PREFIX}_${keyId}_${secret}` };
}

/** The key's parts, or undefined when the text is not shaped like an API key. */
export function parseApiKey(text: string): ParsedApiKey | undefined {
  const match = API_KEY_FORMAT.exec(text.trim());
  return match ? { keyId: match[1], secret: match[2] } : undefined;
}

export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function apiKeySecretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKeySecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
