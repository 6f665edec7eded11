// API token format: `sbx_<id>_<secret>`. The id (12 hex characters) is public: it names the
// token in lists and the audit log and finds its row. The secret is 32 random bytes
// (base64url), so the SHA-256 of the whole token is enough to store: nothing short of the
// token reproduces it, and no slow hash is needed for a secret nobody chose.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sbx_';
const ID_BYTES = 6;
const SECRET_BYTES = 32;
const FORMAT = /^sbx_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewToken {
  id: string;
  /** The token to hand out, once. */
  token: string;
  /** Hex SHA-256 of `token`: what the store keeps. */
  hash: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): NewToken {
  const id = randomBytes(ID_BYTES).toString('hex');
  const token = `${PREFIX}${id}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { id, token, hash: hashToken(token) };
}

/** The id of a well-formed API token, or null when the string is not one. */
export function tokenId(token: string): string | null {
  return FORMAT.exec(token)?.[1] ?? null;
}

/** Compares a presented token with a stored hash in time that does not depend on where they differ. */
export function matchesHash(token: string, hash: string): boolean {
  const expected = Buffer.from(hash, 'hex');
  const given = createHash('sha256').update(token).digest();
  return expected.length === given.length && timingSafeEqual(given, expected);
}

/** Constant-time equality of two secrets of any length (both are hashed to 32 bytes first). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
