import { createHash, randomBytes } from 'node:crypto';
import type { DbOrTrx } from '../../platform/db.js';

// Single-use tokens for links in e-mails. Only a SHA-256 hash is stored, so a
// database leak does not hand out working links.

export type TokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function issueToken(db: DbOrTrx, userId: number, purpose: TokenPurpose, validForMs: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db('user_tokens').insert({
    user_id: userId,
    purpose,
    token_hash: hashToken(token),
    expires_at: new Date(Date.now() + validForMs),
  });
  return token;
}

/** Marks the token used and returns its user, or undefined if unknown, used, expired or malformed. */
export async function consumeToken(db: DbOrTrx, token: string, purpose: TokenPurpose): Promise<number | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const [row] = await db('user_tokens')
    .where({ token_hash: hashToken(token), purpose })
    .whereNull('used_at')
    .where('expires_at', '>', db.fn.now())
    .update({ used_at: db.fn.now() })
    .returning<{ user_id: number }[]>('user_id');
  return row?.user_id;
}

/** True when the token would be accepted now (for showing the confirm page before a POST uses it). */
export async function isTokenUsable(db: DbOrTrx, token: string, purpose: TokenPurpose): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  const row = await db('user_tokens')
    .where({ token_hash: hashToken(token), purpose })
    .whereNull('used_at')
    .where('expires_at', '>', db.fn.now())
    .first('id');
  return row !== undefined;
}

/** Makes every unused token of the user for these purposes unusable (a newer link, or a changed password, replaces them). */
export async function revokeTokens(db: DbOrTrx, userId: number, purposes: readonly TokenPurpose[]): Promise<void> {
  await db('user_tokens')
    .where({ user_id: userId })
    .whereIn('purpose', purposes)
    .whereNull('used_at')
    .where('expires_at', '>', db.fn.now())
    .update({ expires_at: db.fn.now() });
}
