import { createHash, randomBytes } from 'node:crypto';

// Invite links carry a random token; only its SHA-256 hash is stored, so a
// database leak does not hand out working invitations.

export const newInviteToken = (): string => randomBytes(32).toString('base64url');

export const hashInviteToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The shape of a token we issued (43 base64url characters); anything else is not looked up. */
export const isWellFormedToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);
