import { expect } from 'chai';
import fc from 'fast-check';
import { hasValidLuhnCheckDigit, luhnCheckDigit } from '../../src/platform/luhn.js';
import { isValidOcrReference, ocrReference, ocrReferenceBase, OcrReferenceError } from '../../src/platform/ocr.js';

// OCR references for Bankgirot (check digit by Luhn, optional length digit,
// 2–25 digits) and the one Luhn implementation under them. Properties state
// what Luhn catches and, honestly, the one adjacent swap it does not.

/** An invoice number's digits that leave room for the check digit and, `withLength`, the length digit. */
const base = (withLength: boolean) => fc.stringMatching(withLength ? /^\d{1,23}$/ : /^\d{1,24}$/);

describe('OCR reference kit (src/platform/ocr.ts) and Luhn (src/platform/luhn.ts)', () => {
  describe('Luhn', () => {
    it('when given published examples, then the check digits match them', () => {
      expect(luhnCheckDigit('640823323')).to.equal(4); // personnummer 640823-3234 (the classic worked example)
      expect(luhnCheckDigit('811218987')).to.equal(6); // 811218-9876
      expect(luhnCheckDigit('556016068')).to.equal(0); // organisationsnummer 556016-0680
      expect(luhnCheckDigit('123')).to.equal(0);
      expect(hasValidLuhnCheckDigit('5560160680')).to.equal(true);
      expect(hasValidLuhnCheckDigit('5560160681')).to.equal(false);
    });

    it('when the body is not digits, then a RangeError is thrown; a "number" without digits is not valid', () => {
      expect(() => luhnCheckDigit('')).to.throw(RangeError);
      expect(() => luhnCheckDigit('12a')).to.throw(RangeError);
      expect(hasValidLuhnCheckDigit('0')).to.equal(false);
      expect(hasValidLuhnCheckDigit('00a')).to.equal(false);
    });
  });

  describe('making references', () => {
    it('when made from "123", then it is "1230", and with a length digit "12351" (banktools-se\'s examples)', () => {
      expect(ocrReference('123')).to.equal('1230');
      expect(ocrReference('123', { lengthDigit: true })).to.equal('12351');
      expect(ocrReference(123)).to.equal('1230');
      expect(ocrReference(123n, { lengthDigit: true })).to.equal('12351');
    });

    it('when the reference has ten or more digits, then the length digit is the ones digit of its length', () => {
      const reference = ocrReference('1234567890', { lengthDigit: true });
      expect(reference).to.have.length(12);
      expect(reference[10]).to.equal('2');
    });

    it('when the base fills 25 digits exactly, then it is made; one digit more is refused', () => {
      expect(ocrReference('1'.repeat(24))).to.have.length(25);
      expect(ocrReference('1'.repeat(23), { lengthDigit: true })).to.have.length(25);
      expect(() => ocrReference('1'.repeat(25))).to.throw(OcrReferenceError);
      expect(() => ocrReference('1'.repeat(24), { lengthDigit: true })).to.throw(OcrReferenceError);
    });

    for (const [what, bad] of [
      ['letters', '12a'],
      ['a hyphen', '2026-17'],
      ['nothing', ''],
      ['a negative number', -1],
      ['a fraction', 1.5],
      ['a number beyond 2^53', 2 ** 53],
    ] as const) {
      it(`when the invoice number is ${what}, then an OcrReferenceError is thrown`, () => {
        expect(() => ocrReference(bad)).to.throw(OcrReferenceError);
      });
    }
  });

  describe('checking references', () => {
    for (const [reference, lengthDigit, valid] of [
      ['1230', false, true],
      ['1231', false, false],
      ['12351', true, true],
      ['12351', false, true], // without length control a length digit is just a digit
      ['1230', true, false], // its second last digit is not 4
      ['0', false, false], // shorter than 2
      ['00', false, true],
      [' 1230', false, false],
      ['1 230', false, false],
      [`${'0'.repeat(25)}`, false, true],
      [`${'0'.repeat(26)}`, false, false], // longer than 25, though its check digit is right
    ] as const) {
      it(`when ${JSON.stringify(reference)} is checked${lengthDigit ? ' with length control' : ''}, then it is ${valid ? 'valid' : 'refused'}`, () => {
        expect(isValidOcrReference(reference, { lengthDigit })).to.equal(valid);
      });
    }

    it('when any reference is made, then it is valid and gives back its base', () => {
      for (const lengthDigit of [false, true]) {
        fc.assert(
          fc.property(base(lengthDigit), (digits) => {
            const reference = ocrReference(digits, { lengthDigit });
            expect(isValidOcrReference(reference, { lengthDigit })).to.equal(true);
            expect(ocrReferenceBase(reference, { lengthDigit })).to.equal(digits);
          }),
          { numRuns: 500 },
        );
      }
      expect(ocrReferenceBase('1231')).to.equal(undefined);
    });

    it('when any one digit of a reference is changed, then it is refused', () => {
      fc.assert(
        fc.property(base(true), fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 9 }), (digits, lengthDigit, at, shift) => {
          const reference = ocrReference(digits, { lengthDigit });
          const position = at % reference.length;
          const changed = String((Number(reference[position]) + shift) % 10);
          const typo = `${reference.slice(0, position)}${changed}${reference.slice(position + 1)}`;
          expect(isValidOcrReference(typo, { lengthDigit })).to.equal(false);
        }),
        { numRuns: 2000 },
      );
    });

    it('when two adjacent different digits are swapped, then it is refused — unless they are 0 and 9, which Luhn cannot see', () => {
      fc.assert(
        fc.property(base(true), fc.boolean(), fc.nat(), (digits, lengthDigit, at) => {
          const reference = ocrReference(digits, { lengthDigit });
          const position = at % (reference.length - 1);
          const [a, b] = [reference[position]!, reference[position + 1]!];
          fc.pre(a !== b);
          const swapped = `${reference.slice(0, position)}${b}${a}${reference.slice(position + 2)}`;
          const zeroAndNine = (a === '0' && b === '9') || (a === '9' && b === '0');
          // Luhn misses exactly the 0–9 swaps (the length digit still catches one that moves it).
          expect(hasValidLuhnCheckDigit(swapped)).to.equal(zeroAndNine);
          if (!zeroAndNine) expect(isValidOcrReference(swapped, { lengthDigit })).to.equal(false);
        }),
        { numRuns: 2000 },
      );
      // The blind spot itself: "09" + check digit 1, swapped to "901", still adds up.
      expect(ocrReference('09')).to.equal('091');
      expect(isValidOcrReference('901')).to.equal(true);
    });

    it('when a digit of the base is left out of a reference with a length digit, then it is refused', () => {
      fc.assert(
        fc.property(base(true), fc.nat(), (digits, at) => {
          const reference = ocrReference(digits, { lengthDigit: true });
          const position = at % digits.length;
          const shorter = `${reference.slice(0, position)}${reference.slice(position + 1)}`;
          expect(isValidOcrReference(shorter, { lengthDigit: true })).to.equal(false);
        }),
        { numRuns: 1000 },
      );
    });
  });
});
