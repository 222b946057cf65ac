/**
 * Secrets the protocol only ever compares (access and refresh tokens, OAuth codes, session ids,
 * webhook codes) are stored as their SHA-256: the plaintext exists only in the answer that creates
 * it. They are high-entropy random values, so a fast hash is enough (no password stretching).
 */
import crypto from 'node:crypto';

/** A random secret in the hex form Bitrix24 tokens have. */
export function secret(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('hex');
}

/** The stored form of a secret: lowercase hex SHA-256 of its UTF-8 bytes. */
export function hashSecret(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex');
}

/** How many leading characters of a webhook code stay visible once it is masked. */
export const HINT_LENGTH = 4;

/** The visible part of a masked code: its first HINT_LENGTH characters and an ellipsis. */
export function maskCode(codeOrHint: string): string {
  return `${codeOrHint.slice(0, HINT_LENGTH)}…`;
}
