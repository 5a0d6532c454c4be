import { createHmac, timingSafeEqual } from 'node:crypto';

// One-click unsubscribe links in alert mails work without a login, so the link
// carries its own proof: the saved search's id and an HMAC-SHA256 over it and
// the purpose, keyed with a key derived from the session secret (one secret to
// keep, and a key of its own so a MAC made here is never valid anywhere else).
// No expiry: an old mail's link must still stop the mails. Changing the
// session secret invalidates the links of mails already sent; the list at
// /konto/bevakningar still works.

const PURPOSE = 'saved-search-unsubscribe:v1';

function unsubscribeKey(secret: string): Buffer {
  return createHmac('sha256', secret).update(`uppdragsbanken:${PURPOSE}`).digest();
}

function mac(secret: string, savedSearchId: number): Buffer {
  return createHmac('sha256', unsubscribeKey(secret)).update(`${PURPOSE}:${savedSearchId}`).digest();
}

/** `<id>.<base64url MAC>`: safe in a URL and a form field. */
export function unsubscribeToken(secret: string, savedSearchId: number): string {
  return `${savedSearchId}.${mac(secret, savedSearchId).toString('base64url')}`;
}

/** The saved search's id when the token is genuine; undefined for anything else, however malformed. */
export function verifyUnsubscribeToken(secret: string, token: unknown): number | undefined {
  if (typeof token !== 'string') return undefined;
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const id = Number(match[1]);
  if (!Number.isSafeInteger(id) || id <= 0 || String(id) !== match[1]) return undefined;
  const given = Buffer.from(match[2]!, 'base64url');
  const expected = mac(secret, id);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
}
