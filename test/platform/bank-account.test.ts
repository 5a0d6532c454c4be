import { expect } from 'chai';
import fc from 'fast-check';
import { bankFor, formatBankAccount, parseBankAccount } from '../../src/platform/bank-account.js';
import { luhnCheckDigit } from '../../src/platform/luhn.js';

// Swedish clearing and account numbers by Bankgirot's rules ("Bankernas kontonummeruppbyggnad").

/** Bankgirot's modulus 11 as its table writes it: weights 1, 10, 9 … 2, 1 on eleven digits, right-aligned. */
function modulus11CheckDigit(body: string): number | undefined {
  const weights = [1, 10, 9, 8, 7, 6, 5, 4, 3, 2].slice(-body.length);
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * weights[i]!, 0);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? undefined : check;
}

/** A digit in `digits` replaced by another one. */
const oneDigitChanged = (digits: string) =>
  fc
    .record({ position: fc.nat({ max: digits.length - 1 }), shift: fc.integer({ min: 1, max: 9 }) })
    .map(
      ({ position, shift }) =>
        digits.slice(0, position) + String((Number(digits[position]) + shift) % 10) + digits.slice(position + 1),
    );

describe('Bank account kit (src/platform/bank-account.ts)', () => {
  // Numbers with a right check digit, from the `kontonummer` package's tests (MIT).
  for (const [clearing, account, bank, stored] of [
    ['9071', '417 23 83', 'Multitude Bank', ['9071', '4172383']],
    ['9789', '1111113', 'Klarna Bank', ['9789', '1111113']],
    ['6789', '123456789', 'Handelsbanken', ['6789', '123456789']],
    ['8424-4', '983 189 224-6', 'Swedbank', ['84244', '9831892246']],
    ['8351-9', '392 242 224-5', 'Swedbank', ['83519', '3922422245']],
    ['8129-9', '043 386 711-6', 'Swedbank', ['81299', '0433867116']],
    ['3300', '000620-5124', 'Nordea', ['3300', '0006205124']],
  ] as const) {
    it(`when ${clearing} / ${account} is read, then it is an account at ${bank}, stored as digits`, () => {
      expect(parseBankAccount(clearing, account)).to.deep.equal({
        ok: true,
        value: { clearingNumber: stored[0], accountNumber: stored[1], bank },
      });
    });
  }

  it('when a type 1 account is typed without its leading zero, then it is stored with it (seven digits)', () => {
    // SEB (comment 1): the check digit covers the clearing number's last three digits and the account.
    const typed = ['12345', '12346', '12347']
      .map((five) => ({ five, check: modulus11CheckDigit(`0000${five}`) }))
      .find(({ check }) => check !== undefined)!;
    const account = `${typed.five}${typed.check}`;
    expect(parseBankAccount('5000', account)).to.deep.equal({
      ok: true,
      value: { clearingNumber: '5000', accountNumber: `0${account}`, bank: 'SEB' },
    });
  });

  describe('type 1 (modulus 11 over clearing and account)', () => {
    const banks = [
      { clearing: fc.integer({ min: 5000, max: 5999 }), withWholeClearing: false }, // SEB, comment 1
      { clearing: fc.integer({ min: 7000, max: 7999 }), withWholeClearing: false }, // Swedbank, comment 1
      { clearing: fc.integer({ min: 1100, max: 1199 }), withWholeClearing: false }, // Nordea, comment 1
      { clearing: fc.integer({ min: 9550, max: 9569 }), withWholeClearing: true }, // Avanza, comment 2
      { clearing: fc.integer({ min: 4000, max: 4999 }), withWholeClearing: true }, // Nordea, comment 2
    ];
    for (const { clearing, withWholeClearing } of banks) {
      it(`when the check digit is right (comment ${withWholeClearing ? 2 : 1}), then it passes; any one digit changed fails`, () => {
        fc.assert(
          fc.property(clearing, fc.stringMatching(/^\d{6}$/), (code, six) => {
            const clearingText = String(code);
            const weighed = (withWholeClearing ? clearingText : clearingText.slice(1)) + six;
            const check = modulus11CheckDigit(weighed);
            fc.pre(check !== undefined);
            const account = `${six}${check}`;
            expect(parseBankAccount(clearingText, account)).to.deep.include({ ok: true });
            fc.assert(
              fc.property(oneDigitChanged(account), (changed) => {
                expect(parseBankAccount(clearingText, changed)).to.deep.equal({
                  ok: false,
                  problem: 'accountCheckDigit',
                  field: 'accountNumber',
                });
              }),
              { numRuns: 10 },
            );
          }),
          { numRuns: 50 },
        );
      });
    }
  });

  describe('type 2', () => {
    it('when a Swedbank 8xxx-x account has a right Luhn digit, then it passes; one digit changed fails', () => {
      fc.assert(
        fc.property(fc.integer({ min: 8000, max: 8999 }), fc.stringMatching(/^[1-9]\d{8}$/), (code, nine) => {
          const clearing = `${code}${luhnCheckDigit(String(code))}`;
          const account = `${nine}${luhnCheckDigit(nine)}`;
          expect(parseBankAccount(clearing, account)).to.deep.equal({
            ok: true,
            value: { clearingNumber: clearing, accountNumber: account, bank: 'Swedbank' },
          });
          fc.assert(
            fc.property(oneDigitChanged(account), (changed) => {
              expect(parseBankAccount(clearing, changed)).to.deep.include({ ok: false, problem: 'accountCheckDigit' });
            }),
            { numRuns: 10 },
          );
          expect(parseBankAccount(`${code}${(luhnCheckDigit(String(code)) + 1) % 10}`, account)).to.deep.include({
            ok: false,
            problem: 'clearingCheckDigit',
            field: 'clearingNumber',
          });
        }),
        { numRuns: 50 },
      );
    });

    it('when a Handelsbanken account of eight digits is typed, then it is stored padded to nine', () => {
      const typed = ['2345678', '2345679', '2345680']
        .map((seven) => ({ seven, check: modulus11CheckDigit(`0${seven}`) }))
        .find(({ check }) => check !== undefined)!;
      const account = `${typed.seven}${typed.check}`;
      expect(parseBankAccount('6000', account)).to.deep.equal({
        ok: true,
        value: { clearingNumber: '6000', accountNumber: `0${account}`, bank: 'Handelsbanken' },
      });
    });
  });

  describe('refusals', () => {
    for (const [clearing, account, problem, field] of [
      ['', '1234567', 'clearingFormat', 'clearingNumber'],
      ['12a4', '1234567', 'clearingFormat', 'clearingNumber'],
      ['123', '1234567', 'clearingFormat', 'clearingNumber'],
      ['51234', '1234567', 'clearingFormat', 'clearingNumber'], // five digits are for 8xxx-x only
      ['0999', '1234567', 'clearingUnknown', 'clearingNumber'],
      ['9999', '1234567', 'clearingUnknown', 'clearingNumber'],
      ['9071', '12345678', 'accountFormat', 'accountNumber'], // type 1: at most seven digits
      ['9071', '4l72383', 'accountFormat', 'accountNumber'],
      ['9071', '', 'accountFormat', 'accountNumber'],
      ['9071', '1e9', 'accountFormat', 'accountNumber'],
      ['9071', '-5', 'accountCheckDigit', 'accountNumber'], // the hyphen is a separator; 5 alone is no account
      ['9071', '4172384', 'accountCheckDigit', 'accountNumber'],
      ['3300', '620-5124', 'accountFormat', 'accountNumber'], // a Nordea personal account has all ten digits
      ['6789', '123456788', 'accountCheckDigit', 'accountNumber'],
      ['8424-4', '12345678901', 'accountFormat', 'accountNumber'],
      ['8424-4', '9'.repeat(30), 'accountFormat', 'accountNumber'],
      ['8424-4', '0000000000', 'accountCheckDigit', 'accountNumber'],
    ] as const) {
      it(`when ${JSON.stringify(clearing)} / ${JSON.stringify(account)} is read, then ${problem} on ${field}`, () => {
        expect(parseBankAccount(clearing, account)).to.deep.equal({ ok: false, problem, field });
      });
    }
  });

  it('when a clearing number is looked up, then its bank is found by range; formatting writes 8xxx-x', () => {
    expect(bankFor('8327-9')?.name).to.equal('Swedbank');
    expect(bankFor('3300')?.name).to.equal('Nordea');
    expect(bankFor('3301')?.name).to.equal('Nordea');
    expect(bankFor('9500')?.name).to.equal('Nordea Plusgirot');
    expect(bankFor('0100')).to.equal(undefined);
    expect(formatBankAccount('84244', '9831892246')).to.equal('8424-4, 9831892246');
    expect(formatBankAccount('9071', '4172383')).to.equal('9071, 4172383');
  });
});
