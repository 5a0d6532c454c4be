import { expect } from 'chai';
import fc from 'fast-check';
import {
  addMoney,
  allocateMoney,
  dropOre,
  formatMoney,
  kronor,
  MAX_ORE,
  MoneyError,
  moneyToDecimalString,
  multiplyByBasisPoints,
  multiplyByFraction,
  multiplyByPercent,
  negateMoney,
  ore,
  oreFromDatabase,
  parseMoney,
  subtractMoney,
  sumMoney,
  type Ore,
} from '../../src/platform/money.js';

// The money kit: integer öre, Swedish input, Intl's sv-SE output, and
// arithmetic that never leaves the integers. Rounding is checked against a
// reference written independently in BigInt.

const NBSP = '\u00a0';
const NARROW_NBSP = '\u202f';
const MINUS = '\u2212';
const MAX = BigInt(Number.MAX_SAFE_INTEGER);

const anyOre = fc.maxSafeInteger().map((value) => ore(value));

/** Round half away from zero of amount × numerator / denominator, as floor((2|p| + d) / 2d) with the sign put back. */
function referenceHalfUp(amount: bigint, numerator: bigint, denominator: bigint): bigint {
  const product = amount * numerator;
  const magnitude = (2n * (product < 0n ? -product : product) + denominator) / (2n * denominator);
  return product < 0n ? -magnitude : magnitude;
}

const fitsOre = (value: bigint) => value <= MAX && value >= -MAX;

describe('Money kit (src/platform/money.ts)', () => {
  describe('making amounts', () => {
    it('when given whole öre or whole kronor, then the amount is in öre', () => {
      expect(ore(12345)).to.equal(12345);
      expect(kronor(12)).to.equal(1200);
      expect(kronor(-3)).to.equal(-300);
      expect(Object.is(ore(-0), 0)).to.equal(true);
    });

    for (const [what, make] of [
      ['half an öre', () => ore(1.5)],
      ['2^53 öre', () => ore(2 ** 53)],
      ['NaN', () => ore(Number.NaN)],
      ['half a krona', () => kronor(0.5)],
      ['more kronor than an Ore holds', () => kronor(Math.floor(Number.MAX_SAFE_INTEGER / 100) + 1)],
    ] as const) {
      it(`when given ${what}, then a MoneyError is thrown`, () => {
        expect(make).to.throw(MoneyError);
      });
    }

    it('when the database gives a BIGINT, a NUMERIC sum or a bigint, then it is read exactly', () => {
      expect(oreFromDatabase(123456)).to.equal(123456);
      expect(oreFromDatabase('123456')).to.equal(123456);
      expect(oreFromDatabase('-5')).to.equal(-5);
      expect(oreFromDatabase('12.000')).to.equal(12);
      expect(oreFromDatabase('9007199254740991')).to.equal(Number.MAX_SAFE_INTEGER);
      expect(oreFromDatabase(77n)).to.equal(77);
    });

    for (const value of ['12.50', '9007199254740992', '1e3', '', ' 12', 'abc']) {
      it(`when the database gives ${JSON.stringify(value)}, then it is refused, not rounded`, () => {
        expect(() => oreFromDatabase(value)).to.throw(MoneyError);
      });
    }
  });

  describe('reading Swedish input', () => {
    for (const [input, expected] of [
      ['1 234,50', 123450],
      ['1234,5', 123450],
      ['1234', 123400],
      ['1 234 kr', 123400],
      ['-12,00', -1200],
      [`1${NBSP}234,50${NBSP}kr`, 123450],
      [`1${NARROW_NBSP}234,50`, 123450],
      ['1234.50', 123450],
      ['  7 ', 700],
      ['0,05', 5],
      [`${MINUS}12,00${NBSP}kr`, -1200],
      ['-SEK 12.00', -1200],
      ['SEK 1234.50', 123450],
      ['12 KR', 1200],
      ['100:-', 10000],
      ['+5', 500],
      ['1 234 567', 123456700],
      ['007', 700],
      ['90 071 992 547 409,91', Number.MAX_SAFE_INTEGER],
    ] as const) {
      it(`when someone types ${JSON.stringify(input)}, then it is ${expected} öre`, () => {
        expect(parseMoney(input)).to.deep.equal({ ok: true, value: expected });
      });
    }

    for (const [input, problem] of [
      ['', 'empty'],
      ['   ', 'empty'],
      ['12,345', 'tooManyDecimals'],
      ['0.001', 'tooManyDecimals'],
      ['1.234,50', 'format'],
      ['1,234.50', 'format'],
      ['12a', 'format'],
      ['tolv', 'format'],
      ['1e3', 'format'],
      ['NaN', 'format'],
      ['Infinity', 'format'],
      ['12,', 'format'],
      [',50', 'format'],
      ['12 34', 'format'],
      ['1 2345', 'format'],
      ['--1', 'format'],
      ['-', 'format'],
      ['１２', 'format'], // full-width digits
      ['90 071 992 547 409,92', 'tooLarge'],
      ['99999999999999999999999', 'tooLarge'],
    ] as const) {
      it(`when someone types ${JSON.stringify(input)}, then it is refused (${problem})`, () => {
        expect(parseMoney(input)).to.deep.equal({ ok: false, problem });
      });
    }

    it('when negative amounts are not allowed, then "-5" is refused and "-0" is zero', () => {
      expect(parseMoney('-5', { allowNegative: false })).to.deep.equal({ ok: false, problem: 'negative' });
      const zero = parseMoney('-0', { allowNegative: false });
      expect(zero.ok && Object.is(zero.value, 0)).to.equal(true);
    });

    it('when any text is read, then an accepted amount is always a safe integer', () => {
      const amountLike = fc.stringMatching(/^[-−+]?[0-9 \u00a0\u202f,.]{0,24}( ?kr)?$/);
      fc.assert(
        fc.property(fc.oneof(amountLike, fc.string()), (input) => {
          const result = parseMoney(input);
          return !result.ok || Number.isSafeInteger(result.value);
        }),
        { numRuns: 2000 },
      );
    });

    it('when kronor and öre are written out as digits, then the value is exactly kronor × 100 + öre', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: MAX / 100n }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
          const text = `${whole},${String(cents).padStart(2, '0')}`;
          const expected = whole * 100n + BigInt(cents);
          const result = parseMoney(text);
          return fitsOre(expected) ? result.ok && BigInt(result.value) === expected : !result.ok;
        }),
      );
    });
  });

  describe('writing amounts', () => {
    it('when formatted in Swedish, then no-break spaces group the thousands and come before kr, as Intl sv-SE writes it', () => {
      expect(formatMoney(ore(123450))).to.equal(`1${NBSP}234,50${NBSP}kr`);
      expect(formatMoney(ore(123450), 'sv')).to.equal(`1${NBSP}234,50${NBSP}kr`);
      expect(formatMoney(ore(0))).to.equal(`0,00${NBSP}kr`);
      expect(formatMoney(ore(-1200))).to.equal(`${MINUS}12,00${NBSP}kr`);
      expect(formatMoney(MAX_ORE)).to.equal(`90${NBSP}071${NBSP}992${NBSP}547${NBSP}409,91${NBSP}kr`);
    });

    it('when formatted in English, then it is "SEK 1,234.50" (a no-break space after SEK, as Intl en-GB writes it)', () => {
      expect(formatMoney(ore(123450), 'en')).to.equal(`SEK${NBSP}1,234.50`);
      expect(formatMoney(ore(-1200), 'en')).to.equal(`-SEK${NBSP}12.00`);
    });

    it('when compared with Intl given a number, then the Swedish and English text are the same (amounts where a float is still exact to the öre)', () => {
      const sv = new Intl.NumberFormat('sv-SE', { style: 'currency', currency: 'SEK' });
      const en = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'SEK' });
      fc.assert(
        fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (value) => {
          expect(formatMoney(ore(value), 'sv')).to.equal(sv.format(value / 100));
          expect(formatMoney(ore(value), 'en')).to.equal(en.format(value / 100));
        }),
      );
    });

    it('when any safe amount is formatted in Swedish and read back, then it is the same amount', () => {
      fc.assert(
        fc.property(anyOre, (value) => {
          expect(parseMoney(formatMoney(value))).to.deep.equal({ ok: true, value });
        }),
        { numRuns: 1000 },
      );
    });

    it('when any safe amount is written in the plain decimal form and read back, then it is the same amount', () => {
      expect(moneyToDecimalString(ore(5))).to.equal('0.05');
      expect(moneyToDecimalString(ore(-123450), ',')).to.equal('-1234,50');
      fc.assert(
        fc.property(anyOre, fc.constantFrom('.' as const, ',' as const), (value, separator) => {
          expect(parseMoney(moneyToDecimalString(value, separator))).to.deep.equal({ ok: true, value });
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('arithmetic', () => {
    it('when amounts are added or subtracted, then the result is exact, and beyond an Ore it throws', () => {
      fc.assert(
        fc.property(anyOre, anyOre, (a, b) => {
          const sum = BigInt(a) + BigInt(b);
          if (fitsOre(sum)) expect(BigInt(addMoney(a, b))).to.equal(sum);
          else expect(() => addMoney(a, b)).to.throw(MoneyError);
          const difference = BigInt(a) - BigInt(b);
          if (fitsOre(difference)) expect(BigInt(subtractMoney(a, b))).to.equal(difference);
          else expect(() => subtractMoney(a, b)).to.throw(MoneyError);
        }),
        { numRuns: 1000 },
      );
    });

    it('when a list is summed, then it is the exact total', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: -(10 ** 12), max: 10 ** 12 })), (values) => {
          const expected = values.reduce((sum, value) => sum + BigInt(value), 0n);
          expect(BigInt(sumMoney(values.map((value) => ore(value))))).to.equal(expected);
        }),
      );
      expect(sumMoney([])).to.equal(0);
      expect(negateMoney(ore(5))).to.equal(-5);
    });

    it('when multiplied by basis points, then it is rounded half up to the öre exactly as the BigInt reference', () => {
      expect(multiplyByBasisPoints(ore(250), 600)).to.equal(15); // 6 % of 2,50 kr
      expect(multiplyByBasisPoints(ore(25), 200)).to.equal(1); // 0,5 öre → 1
      expect(multiplyByBasisPoints(ore(-25), 200)).to.equal(-1); // away from zero
      expect(multiplyByBasisPoints(ore(24), 200)).to.equal(0);
      fc.assert(
        fc.property(anyOre, fc.integer({ min: 0, max: 1_000_000 }), (amount, basisPoints) => {
          const expected = referenceHalfUp(BigInt(amount), BigInt(basisPoints), 10_000n);
          if (fitsOre(expected)) expect(BigInt(multiplyByBasisPoints(amount, basisPoints))).to.equal(expected);
          else expect(() => multiplyByBasisPoints(amount, basisPoints)).to.throw(MoneyError);
        }),
        { numRuns: 2000 },
      );
    });

    it('when multiplied by a percentage written as a decimal, then it is rounded half up exactly as the BigInt reference', () => {
      fc.assert(
        fc.property(
          anyOre,
          fc.integer({ min: 0, max: 999 }),
          fc.stringMatching(/^\d{0,6}$/),
          fc.constantFrom('.', ','),
          (amount, whole, decimals, separator) => {
            const percent = decimals === '' ? `${whole}` : `${whole}${separator}${decimals}`;
            const expected = referenceHalfUp(
              BigInt(amount),
              BigInt(`${whole}${decimals}`),
              100n * 10n ** BigInt(decimals.length),
            );
            if (fitsOre(expected)) expect(BigInt(multiplyByPercent(amount, percent))).to.equal(expected);
            else expect(() => multiplyByPercent(amount, percent)).to.throw(MoneyError);
          },
        ),
        { numRuns: 2000 },
      );
    });

    it('when multiplied by a fraction such as 12/112, then it is rounded half up exactly as the BigInt reference', () => {
      fc.assert(
        fc.property(anyOre, fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (amount, n, d) => {
          const expected = referenceHalfUp(BigInt(amount), BigInt(n), BigInt(d));
          if (fitsOre(expected)) expect(BigInt(multiplyByFraction(amount, n, d))).to.equal(expected);
          else expect(() => multiplyByFraction(amount, n, d)).to.throw(MoneyError);
        }),
      );
      expect(() => multiplyByFraction(ore(100), 1, 0)).to.throw(MoneyError);
    });

    for (const percent of ['6 %', '-5', 'abc', '1e2', '', '6.']) {
      it(`when the percentage is ${JSON.stringify(percent)}, then a MoneyError is thrown`, () => {
        expect(() => multiplyByPercent(ore(100), percent)).to.throw(MoneyError);
      });
    }

    it('when the öre are dropped, then whole kronor remain, toward zero', () => {
      expect(dropOre(ore(898958))).to.equal(898900);
      expect(dropOre(ore(-898958))).to.equal(-898900);
      expect(dropOre(ore(99))).to.equal(0);
      fc.assert(
        fc.property(anyOre, (amount) => {
          const result = dropOre(amount);
          expect(result % 100 === 0).to.equal(true);
          expect(Math.abs(amount - result)).to.be.lessThan(100);
          expect(Math.abs(result)).to.be.at.most(Math.abs(amount));
        }),
      );
    });

    it("when PRODUCT.md's worked example is computed with the kit, then fee, contributions, tax and net are its figures", () => {
      // Invoice 40 000 kr excl. VAT, fee 6 %, full employer contributions 31.42 %, tax 30 %.
      const invoice = kronor(40_000);
      const fee = multiplyByPercent(invoice, '6');
      const gross = kronor(28_611);
      const contributions = dropOre(multiplyByPercent(gross, '31.42'));
      const tax = dropOre(multiplyByPercent(gross, '30'));
      expect([fee, contributions, tax, subtractMoney(gross, tax)]).to.deep.equal([
        kronor(2_400),
        kronor(8_989),
        kronor(8_583),
        kronor(20_028),
      ]);
      // 28 611 kr is the largest gross whose contributions still fit (one krona more overshoots).
      expect(sumMoney([fee, contributions, gross])).to.equal(invoice);
      const more = kronor(28_612);
      expect(sumMoney([fee, dropOre(multiplyByPercent(more, '31.42')), more])).to.be.greaterThan(invoice);
    });

    it('when an amount is allocated, then the parts add up to it and each is within one öre of its exact share', () => {
      expect(allocateMoney(ore(100), [1, 1, 1])).to.deep.equal([34, 33, 33]);
      expect(allocateMoney(ore(-100), [1, 1, 1])).to.deep.equal([-34, -33, -33]);
      expect(allocateMoney(ore(10), [0, 3])).to.deep.equal([0, 10]);
      expect(() => allocateMoney(ore(10), [0, 0])).to.throw(MoneyError);
      expect(() => allocateMoney(ore(10), [1, -1])).to.throw(MoneyError);
      fc.assert(
        fc.property(
          fc.integer({ min: -(10 ** 11), max: 10 ** 11 }), // × the weights' total stays exact in a float
          fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0)),
          (amount, weights) => {
            const parts = allocateMoney(ore(amount), weights);
            expect(sumMoney(parts)).to.equal(amount);
            const total = weights.reduce((a, b) => a + b, 0);
            parts.forEach((part: Ore, index) => {
              expect(Math.abs(part * total - amount * weights[index]!)).to.be.lessThan(total);
            });
          },
        ),
      );
    });
  });
});
