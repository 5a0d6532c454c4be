import { expect } from 'chai';
import fc from 'fast-check';
import {
  decryptSecret,
  DecryptionError,
  encryptSecret,
  generateDataKeySpec,
  keyedHash,
  keyedHashes,
  parseDataKeys,
} from '../../src/platform/encryption.js';

// Small secrets at rest: AES-256-GCM with a key id so keys can be rotated, and a keyed hash for lookups.

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const OLD = parseDataKeys(`old:${key(1)}`);
const ROTATED = parseDataKeys(`new:${key(2)},old:${key(1)}`);
const CONTEXT = 'enterprise_accounts.personal_number:42';

describe('Encryption kit (src/platform/encryption.ts)', () => {
  it('when a value is sealed and opened with the same keys and context, then it comes back unchanged (any text)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 64 }), (plaintext) => {
        const sealed = encryptSecret(OLD, plaintext, CONTEXT);
        expect(sealed.keyId).to.equal('old');
        expect(decryptSecret(OLD, sealed, CONTEXT)).to.equal(plaintext);
      }),
      { numRuns: 200 },
    );
  });

  it('when the same value is sealed twice, then the ciphertexts differ and hold no trace of the plaintext', () => {
    const first = encryptSecret(OLD, '199001010017', CONTEXT);
    const second = encryptSecret(OLD, '199001010017', CONTEXT);
    expect(first.ciphertext.equals(second.ciphertext)).to.equal(false);
    expect(first.ciphertext.toString('latin1')).to.not.include('199001010017');
    expect(first.ciphertext.toString('hex')).to.not.include(Buffer.from('199001010017').toString('hex'));
  });

  describe('key rotation', () => {
    it('when a new key is put first, then new values are sealed under it and old ones still open', () => {
      const old = encryptSecret(OLD, '199001010017', CONTEXT);
      const fresh = encryptSecret(ROTATED, '199001010017', CONTEXT);
      expect(fresh.keyId).to.equal('new');
      expect(decryptSecret(ROTATED, old, CONTEXT)).to.equal('199001010017');
      expect(decryptSecret(ROTATED, fresh, CONTEXT)).to.equal('199001010017');
    });

    it('when the key that sealed a value is no longer configured, then opening it fails with DecryptionError', () => {
      const fresh = encryptSecret(ROTATED, '199001010017', CONTEXT);
      expect(() => decryptSecret(OLD, fresh, CONTEXT)).to.throw(DecryptionError, /new/);
    });

    it('when a ciphertext is given with another key id than its own, then it does not open', () => {
      const sealed = encryptSecret(ROTATED, '199001010017', CONTEXT);
      expect(() => decryptSecret(ROTATED, { ...sealed, keyId: 'old' }, CONTEXT)).to.throw(DecryptionError);
    });

    it('when hashed under rotated keys, then the current hash comes first and the old one still matches', () => {
      const oldHash = keyedHash(OLD, '199001010017', 'personal_number');
      const [current, previous] = keyedHashes(ROTATED, '199001010017', 'personal_number');
      expect(current!.equals(keyedHash(ROTATED, '199001010017', 'personal_number'))).to.equal(true);
      expect(previous!.equals(oldHash)).to.equal(true);
      expect(current!.equals(oldHash)).to.equal(false);
    });
  });

  describe('tampering', () => {
    it('when any single bit of the ciphertext is flipped, then it does not open', () => {
      const sealed = encryptSecret(OLD, '199001010017', CONTEXT);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: sealed.ciphertext.length * 8 - 1 }), (bit) => {
          const changed = Buffer.from(sealed.ciphertext);
          changed[bit >> 3]! ^= 1 << (bit & 7);
          expect(() => decryptSecret(OLD, { ...sealed, ciphertext: changed }, CONTEXT)).to.throw(DecryptionError);
        }),
      );
    });

    it('when a ciphertext is moved to another context (another person’s row), then it does not open', () => {
      const sealed = encryptSecret(OLD, '199001010017', CONTEXT);
      expect(() => decryptSecret(OLD, sealed, 'enterprise_accounts.personal_number:43')).to.throw(DecryptionError);
    });

    it('when the ciphertext is cut short or empty, then it does not open', () => {
      const sealed = encryptSecret(OLD, '199001010017', CONTEXT);
      for (const ciphertext of [Buffer.alloc(0), sealed.ciphertext.subarray(0, 20), sealed.ciphertext.subarray(0, -1)])
        expect(() => decryptSecret(OLD, { ...sealed, ciphertext }, CONTEXT)).to.throw(DecryptionError);
    });
  });

  describe('keyed hash', () => {
    it('when the same value is hashed twice, then the hashes are equal; other values, purposes or keys differ', () => {
      const hash = keyedHash(OLD, '199001010017', 'personal_number');
      expect(hash).to.have.length(32);
      expect(keyedHash(OLD, '199001010017', 'personal_number').equals(hash)).to.equal(true);
      expect(keyedHash(OLD, '199001010025', 'personal_number').equals(hash)).to.equal(false);
      expect(keyedHash(OLD, '199001010017', 'other').equals(hash)).to.equal(false);
      expect(keyedHash(parseDataKeys(`x:${key(3)}`), '199001010017', 'personal_number').equals(hash)).to.equal(false);
    });
  });

  describe('DATA_ENCRYPTION_KEY (parseDataKeys)', () => {
    it('when keys are listed, then the first is current and all are known; URL-safe base64 is read too', () => {
      const urlSafe = Buffer.alloc(32, 0xfb).toString('base64url');
      const keys = parseDataKeys(` a:${key(1)} , b-2_:${urlSafe}`);
      expect(keys.current.id).to.equal('a');
      expect([...keys.byId.keys()]).to.deep.equal(['a', 'b-2_']);
      const standard = parseDataKeys(`b:${Buffer.alloc(32, 0xfb).toString('base64')}`);
      const sealed = encryptSecret(standard, 'x', CONTEXT);
      expect(decryptSecret(parseDataKeys(`b:${urlSafe}`), sealed, CONTEXT)).to.equal('x');
    });

    it('when a generated value is read, then it holds one 32-byte key', () => {
      const spec = generateDataKeySpec('k1');
      expect(spec).to.match(/^k1:[A-Za-z0-9+/]{43}=$/);
      expect(parseDataKeys(spec).current.id).to.equal('k1');
    });

    for (const [value, message] of [
      [key(1), /id:base64key/],
      [`:${key(1)}`, /id:base64key/],
      [`bad id:${key(1)}`, /id:base64key/],
      [`a:${key(1)},a:${key(2)}`, /twice/],
      ['a:short', /32 bytes/],
      [`a:${Buffer.alloc(31).toString('base64')}`, /32 bytes/],
      ['a:not base64!', /base64/],
      [`a:${key(1)},`, /id:base64key/],
    ] as const) {
      it(`when it is ${JSON.stringify(value.slice(0, 20))}…, then it is refused saying why and without the key`, () => {
        expect(() => parseDataKeys(value))
          .to.throw(message)
          .with.property('message')
          .that.does.not.include(key(1));
      });
    }
  });
});
