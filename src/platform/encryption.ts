import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

// Small secrets at rest (a personnummer): AES-256-GCM under a data key that has an id, so keys can be rotated.
// Each ciphertext is stored with the id of the key that sealed it; decryption takes any known key, encryption
// always the current one, and `npm run rotate-keys` seals old rows again under the current key, after which the
// old key can be dropped. A keyed hash (HMAC-SHA-256) finds a value without decrypting anything (uniqueness).
//
// DATA_ENCRYPTION_KEY is `id:base64key[,id:base64key…]`: ids of 1–32 letters, digits, `_` or `-`; each key 32
// random bytes in base64 (standard or URL-safe); the first is the current one. From one data key two keys are
// derived with HKDF-SHA-256, one to encrypt and one to hash, so neither use weakens the other.

const KEY_BYTES = 32;
const IV_BYTES = 12; // GCM's standard nonce; random per encryption (2^32 encryptions per key stay far below the limit)
const TAG_BYTES = 16;
/** The first byte of every ciphertext: the layout below, so a later one can be told apart. */
const FORMAT_VERSION = 1;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface DataKey {
  readonly id: string;
  readonly encryptionKey: Buffer;
  readonly hashKey: Buffer;
}

/** The data keys from DATA_ENCRYPTION_KEY or DATA_DIR/secrets.json: the current one first. */
export interface DataKeys {
  readonly current: DataKey;
  /** Every key by id, the current one included. */
  readonly byId: ReadonlyMap<string, DataKey>;
}

/** A value as stored: which key sealed it, and version ‖ IV ‖ tag ‖ ciphertext. */
export interface Sealed {
  keyId: string;
  ciphertext: Buffer;
}

/** A ciphertext that is not one of ours, was changed, or whose key is unknown: never a partial plaintext. */
export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

const derive = (key: Buffer, purpose: string) =>
  Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `uppdragsbanken data key: ${purpose}`, KEY_BYTES));

/**
 * Reads `id:base64key[,id:base64key…]`. Throws an Error whose message says what is wrong (without the key),
 * for the configuration's one-line refusal.
 */
export function parseDataKeys(value: string): DataKeys {
  const keys: DataKey[] = [];
  for (const [index, entry] of value.split(',').entries()) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator).trim();
    const encoded = entry.slice(separator + 1).trim();
    const position = `key ${index + 1}`;
    if (separator < 0 || !KEY_ID.test(id))
      throw new Error(`must be id:base64key[,id:base64key…] with ids of 1–32 letters, digits, _ or - (${position})`);
    if (keys.some((key) => key.id === id)) throw new Error(`names the key id ${id} twice`);
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) throw new Error(`must give each key in base64 (${position}, id ${id})`);
    const raw = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (raw.length !== KEY_BYTES)
      throw new Error(
        `must give each key as ${KEY_BYTES} bytes in base64, e.g. from openssl rand -base64 32 (${position}, id ${id})`,
      );
    keys.push({ id, encryptionKey: derive(raw, 'encrypt'), hashKey: derive(raw, 'hash') });
  }
  return { current: keys[0]!, byId: new Map(keys.map((key) => [key.id, key])) };
}

/** A new DATA_ENCRYPTION_KEY value with one fresh key (embedded mode keeps it in DATA_DIR/secrets.json). */
export function generateDataKeySpec(id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`): string {
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/**
 * Seals `plaintext` under the current key. `context` (e.g. "personal_number:42") is authenticated, not stored:
 * the ciphertext opens only with the same context, so it cannot be copied to another row or column.
 */
export function encryptSecret(keys: DataKeys, plaintext: string, context: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.current.encryptionKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: keys.current.id, ciphertext: Buffer.concat([Buffer.of(FORMAT_VERSION), iv, cipher.getAuthTag(), body]) };
}

/** Opens what encryptSecret sealed, with whichever known key sealed it. Throws DecryptionError otherwise. */
export function decryptSecret(keys: DataKeys, sealed: Sealed, context: string): string {
  const key = keys.byId.get(sealed.keyId);
  if (!key) throw new DecryptionError(`No data key with the id ${sealed.keyId} is configured`);
  const { ciphertext } = sealed;
  if (ciphertext.length < 1 + IV_BYTES + TAG_BYTES || ciphertext[0] !== FORMAT_VERSION)
    throw new DecryptionError('Not a ciphertext of this format');
  const iv = ciphertext.subarray(1, 1 + IV_BYTES);
  const tag = ciphertext.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key.encryptionKey, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError('The ciphertext was changed or does not belong to this context');
  }
}

/** The keyed hash of `value` for `purpose` under the current key: what is stored beside the ciphertext. */
export function keyedHash(keys: DataKeys, value: string, purpose: string): Buffer {
  return hashWith(keys.current, value, purpose);
}

/**
 * The keyed hash under every known key, the current one first: a lookup matches rows hashed before a rotation
 * as well as after it.
 */
export function keyedHashes(keys: DataKeys, value: string, purpose: string): Buffer[] {
  const older = [...keys.byId.values()].filter((key) => key !== keys.current);
  return [keys.current, ...older].map((key) => hashWith(key, value, purpose));
}

function hashWith(key: DataKey, value: string, purpose: string): Buffer {
  return createHmac('sha256', key.hashKey).update(`${purpose}\u0000${value}`, 'utf8').digest();
}
