import { expect } from 'chai';
import fc from 'fast-check';
import {
  formatOrganisationsnummer,
  formatPersonnummer,
  maskPersonnummer,
  parseOrganisationsnummer,
  parsePersonnummer,
  personnummerAgeOn,
} from '../../src/platform/identifiers.js';
import { luhnCheckDigit } from '../../src/platform/luhn.js';

// Swedish identity numbers through the `personnummer` and `organisationsnummer`
// packages, with our types: 12-digit personnummer and samordningsnummer with
// birth date and age, the masked form, and organisationsnummer with whether
// it is a legal person.

/** A personnummer's ten digits with its check digit: `yymmdd` + birth number + check. */
const withCheck = (nine: string) => `${nine}${luhnCheckDigit(nine)}`;
const TODAY = '2026-12-06';

describe('Swedish identifiers kit (src/platform/identifiers.ts)', () => {
  describe('personnummer and samordningsnummer', () => {
    for (const input of ['19900101-0017', '199001010017', '900101-0017', '9001010017', ' 19900101 0017 ', '19900101+0017']) {
      it(`when ${JSON.stringify(input)} is read, then it is 199001010017, born 1990-01-01`, () => {
        expect(parsePersonnummer(input, { today: TODAY })).to.deep.equal({
          ok: true,
          value: { digits: '199001010017', coordinationNumber: false, birthDate: '1990-01-01' },
        });
      });
    }

    it('when a samordningsnummer (day + 60) is read, then it is marked as one and the birth date is the real day', () => {
      expect(parsePersonnummer('19900161-0014', { today: TODAY })).to.deep.equal({
        ok: true,
        value: { digits: '199001610014', coordinationNumber: true, birthDate: '1990-01-01' },
      });
      expect(parsePersonnummer('19900161-0014', { today: TODAY, allowCoordinationNumber: false })).to.deep.equal({
        ok: false,
        problem: 'coordinationNumber',
      });
    });

    it('when the well-known fictional 19121212-1212 is read, then it passes like a real number (the packages cannot tell)', () => {
      const result = parsePersonnummer('19121212-1212', { today: TODAY });
      expect(result.ok && result.value.birthDate).to.equal('1912-12-12');
      expect(parsePersonnummer('121212+1212', { today: TODAY })).to.deep.equal(result); // "+": 100 years or older
    });

    it('when someone born on 29 February 2000 is read, then the date is accepted', () => {
      const result = parsePersonnummer(withCheck('000229123'), { today: TODAY });
      expect(result.ok && result.value).to.deep.include({ digits: `20${withCheck('000229123')}`, birthDate: '2000-02-29' });
    });

    for (const [what, input, problem] of [
      ['nothing', '', 'format'],
      ['a date only', '1990-01-01', 'format'],
      ['nine digits', '900101001', 'format'],
      ['letters', '19900101-00A7', 'format'],
      ['an interim number (a letter in the birth number)', '19900101-T017', 'format'],
      ['two separators', '900101--0017', 'format'],
      ['a wrong check digit', '19900101-0018', 'invalid'],
      ['no such day', withCheck('900230123'), 'invalid'],
      ['29 February in a common year', withCheck('010229123'), 'invalid'],
      ['the birth number 000', withCheck('900101000'), 'invalid'],
      ['a samordningsnummer with an unknown birth day (day 60)', withCheck('900160001'), 'invalid'],
      ['a birth date after today', `20${withCheck('261231001')}`, 'invalid'],
    ] as const) {
      it(`when the number has ${what}, then it is refused (${problem})`, () => {
        expect(parsePersonnummer(input, { today: TODAY })).to.deep.equal({ ok: false, problem });
      });
    }

    it('when someone was born today, then the number is accepted', () => {
      expect(parsePersonnummer(`20${withCheck('261206001')}`, { today: TODAY }).ok).to.equal(true);
    });

    it('when any real date and birth number get their check digit, then the number is read with that birth date, and any other check digit is refused', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2026, 10, 30) }),
          fc.integer({ min: 1, max: 999 }),
          fc.boolean(),
          fc.integer({ min: 1, max: 9 }),
          (ms, birthNumber, coordination, shift) => {
            const birthDate = new Date(ms).toISOString().slice(0, 10);
            const day = Number(birthDate.slice(8)) + (coordination ? 60 : 0);
            const nine = `${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}${String(day).padStart(2, '0')}${String(birthNumber).padStart(3, '0')}`;
            const check = luhnCheckDigit(nine);
            const input = `${birthDate.slice(0, 2)}${nine}${check}`;
            expect(parsePersonnummer(input, { today: TODAY })).to.deep.equal({
              ok: true,
              value: { digits: input, coordinationNumber: coordination, birthDate },
            });
            const wrong = `${input.slice(0, 11)}${(check + shift) % 10}`;
            expect(parsePersonnummer(wrong, { today: TODAY })).to.deep.equal({ ok: false, problem: 'invalid' });
          },
        ),
        { numRuns: 1000 },
      );
    });

    it('when masked, then the birth date shows and the last four digits do not', () => {
      expect(maskPersonnummer('199001010017')).to.equal('19900101-****');
      expect(formatPersonnummer('199001010017')).to.equal('19900101-0017');
      expect(() => maskPersonnummer('9001010017')).to.throw(RangeError);
    });

    it('when the age on a date is asked, then it counts whole years from the birth date', () => {
      const result = parsePersonnummer('19900161-0014', { today: TODAY });
      if (!result.ok) throw new Error('expected a samordningsnummer');
      expect(personnummerAgeOn(result.value, '2025-12-31')).to.equal(35);
      expect(personnummerAgeOn(result.value, '2026-01-01')).to.equal(36);
    });
  });

  describe('organisationsnummer', () => {
    for (const [input, digits, type] of [
      ['556016-0680', '5560160680', 'Aktiebolag'],
      ['5560160680', '5560160680', 'Aktiebolag'],
      ['16556016-0680', '5560160680', 'Aktiebolag'],
      ['165560160680', '5560160680', 'Aktiebolag'],
      ['802451-3767', '8024513767', 'Ideella förening och stiftelse'],
      ['212000-0142', '2120000142', 'Stat, landsting, kommun eller församling'],
      [' 556016 0680 ', '5560160680', 'Aktiebolag'],
    ] as const) {
      it(`when ${JSON.stringify(input)} is read, then it is the legal person ${digits} (${type})`, () => {
        expect(parseOrganisationsnummer(input)).to.deep.equal({ digits, legalPerson: true, type });
      });
    }

    it("when a sole trader's personnummer is read, then it is a valid number but not a legal person", () => {
      expect(parseOrganisationsnummer('811218-9876')).to.deep.equal({
        digits: '8112189876',
        legalPerson: false,
        type: 'Enskild firma',
      });
    });

    for (const [what, input] of [
      ['a wrong check digit', '556016-0681'],
      ['the group digit 0', withCheck('022451376')],
      ['a third digit below 2 that is no date', withCheck('551316068')],
      ['nine digits', '556016068'],
      ['a plus sign', '556016+0680'],
      ['nothing', ''],
    ] as const) {
      it(`when the number has ${what}, then it is refused`, () => {
        expect(parseOrganisationsnummer(input)).to.equal(undefined);
      });
    }

    it('when formatted, then a hyphen follows the sixth digit', () => {
      expect(formatOrganisationsnummer('5560160680')).to.equal('556016-0680');
      expect(formatOrganisationsnummer('abc')).to.equal('abc');
    });
  });
});
