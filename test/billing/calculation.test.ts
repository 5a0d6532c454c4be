import { expect } from 'chai';
import fc from 'fast-check';
import {
  basisPointsToPercent,
  calculateSalary,
  MissingRateError,
  SalaryInputError,
  taxRateFor,
  type ContributionRate,
  type PayrollRates,
  type SalaryCalculation,
  type SalaryInput,
} from '../../src/modules/billing/calculation.js';
import { addDays, type CalendarDate } from '../../src/platform/calendar.js';
import { ore, type Ore } from '../../src/platform/money.js';

// The salary calculation (PRODUCT.md "Salary", issue 12 item 1), pure. The rates are the rows of the billing
// migration (2026); the properties check the result against a reference written from the law's words (age
// bands as birth years, the youth window as dates), not from the calculation's own "most specific row" rule.

const row = (fields: Partial<ContributionRate> & Pick<ContributionRate, 'rateBp'>): ContributionRate => ({
  validFrom: '2026-01-01',
  validTo: null,
  minAge: null,
  maxAge: null,
  monthlyCapOre: null,
  ...fields,
});

const RATES_2026: PayrollRates = {
  contributionRates: [
    row({ rateBp: 3142 }),
    row({ minAge: 67, maxAge: 87, rateBp: 1021 }),
    row({ minAge: 88, rateBp: 0 }),
    row({ validFrom: '2026-04-01', validTo: '2027-09-30', minAge: 18, maxAge: 22, rateBp: 2081, monthlyCapOre: ore(2_500_000) }),
  ],
  vacationPayBp: 1200,
  contributionThresholdOre: ore(100_000),
  taxSideIncomeBp: 3000,
  taxSinkBp: 2250,
};

const kr = (value: number) => ore(value * 100);

const input = (fields: Partial<SalaryInput> = {}): SalaryInput => ({
  invoiceExclVatOre: kr(40_000),
  feeBp: 600,
  expensesOre: ore(0),
  birthDate: '1980-06-15',
  taxBp: 3000,
  payoutDate: '2026-05-15',
  paidEarlierThisMonthOre: ore(0),
  paidEarlierThisYearOre: kr(50_000),
  ...fields,
});

const rateOfLines = (result: SalaryCalculation) => result.contributionLines.map((line) => line.ratePercent);

describe('calculateSalary: the anchor (Frilans Finans’ published example)', () => {
  it('when 40 000 kr is invoiced at a 6 % fee, full rate, 30 % tax, then fee 2 400, contributions 8 989, gross 28 611, tax 8 583, net 20 028', () => {
    const result = calculateSalary(input(), RATES_2026);
    expect(result).to.deep.equal({
      invoiceExclVatOre: kr(40_000),
      feeOre: kr(2_400),
      contributionsOre: kr(8_989),
      contributionLines: [{ ratePercent: '31.42', baseOre: kr(28_611), amountOre: kr(8_989) }],
      grossOre: kr(28_611),
      vacationPayOre: ore(306_546), // 28 611 × 12/112 = 3 065,4643 kr
      taxOre: kr(8_583),
      expensesOre: ore(0),
      netOre: kr(20_028),
      roundingOre: ore(0),
    });
  });

  it('when it is the first payout of the year, then the same: it alone passes the threshold and nothing was paid before', () => {
    const result = calculateSalary(input({ paidEarlierThisYearOre: ore(0) }), RATES_2026);
    expect(result.grossOre).to.equal(kr(28_611));
    expect(result.contributionLines).to.have.length(1);
  });
});

describe('calculateSalary: employer contributions by age when the payout year began (2026 table)', () => {
  const cases: Array<[rule: string, birthDate: CalendarDate, payoutDate: CalendarDate, rate: string]> = [
    ['born 1959 or later pays the full rate (1 January 1959 too)', '1959-01-01', '2026-05-15', '31.42'],
    ['born 1959 on New Year’s Eve: full rate', '1959-12-31', '2026-05-15', '31.42'],
    ['born 1958 had turned 67 when 2026 began: 10.21 %', '1958-12-31', '2026-05-15', '10.21'],
    ['born 1938 is still in the 67+ band: 10.21 %', '1938-01-01', '2026-05-15', '10.21'],
    ['born 1937 or earlier pays nothing', '1937-12-31', '2026-05-15', '0.00'],
    ['born 1920 pays nothing', '1920-03-03', '2026-05-15', '0.00'],
    ['born 2008 was 17 when 2026 began: full rate, no youth reduction', '2008-01-01', '2026-05-15', '31.42'],
    ['born 2007 had turned 18: youth rate', '2007-12-31', '2026-05-15', '20.81'],
    ['born 2003 had not turned 23: youth rate', '2003-01-01', '2026-05-15', '20.81'],
    ['born 2002 had turned 23: full rate', '2002-12-31', '2026-05-15', '31.42'],
    ['in 2027 born 1959 has turned 67: 10.21 %', '1959-07-01', '2027-05-15', '10.21'],
    ['in 2027 born 1938 is 88: nothing', '1938-07-01', '2027-05-15', '0.00'],
    ['in 2027 born 2004 is 22: youth rate', '2004-07-01', '2027-05-15', '20.81'],
    ['in 2027 born 2003 is 23: full rate', '2003-07-01', '2027-05-15', '31.42'],
  ];
  for (const [rule, birthDate, payoutDate, rate] of cases) {
    it(`when ${rule}`, () => {
      const result = calculateSalary(input({ birthDate, payoutDate, invoiceExclVatOre: kr(10_000) }), RATES_2026);
      expect(rateOfLines(result)).to.deep.equal([rate]);
    });
  }

  it('when the rate is 0 %, then gross takes everything the fee leaves and the line shows 0', () => {
    const result = calculateSalary(input({ birthDate: '1930-01-01' }), RATES_2026);
    expect(result.grossOre).to.equal(kr(37_600));
    expect(result.contributionLines).to.deep.equal([{ ratePercent: '0.00', baseOre: kr(37_600), amountOre: ore(0) }]);
  });
});

describe('calculateSalary: the youth reduction’s window and monthly cap', () => {
  const youth = (fields: Partial<SalaryInput>) =>
    calculateSalary(input({ birthDate: '2005-08-20', invoiceExclVatOre: kr(10_000), ...fields }), RATES_2026);

  for (const [payoutDate, rate] of [
    ['2026-03-31', '31.42'],
    ['2026-04-01', '20.81'],
    ['2027-09-30', '20.81'],
    ['2027-10-01', '31.42'],
  ] as const) {
    it(`when paid on ${payoutDate}, then ${rate} %`, () => {
      expect(rateOfLines(youth({ payoutDate }))).to.deep.equal([rate]);
    });
  }

  it('when the pay is above 25 000 kr in one month, then 20.81 % on 25 000 kr and 31.42 % on the rest, as two lines', () => {
    const result = youth({ invoiceExclVatOre: kr(100_000) });
    const [reduced, full] = result.contributionLines;
    expect(reduced).to.deep.equal({ ratePercent: '20.81', baseOre: kr(25_000), amountOre: kr(5_202) }); // 5 202,50 → 5 202
    expect(full!.ratePercent).to.equal('31.42');
    expect(full!.baseOre).to.equal(result.grossOre - kr(25_000));
    expect(result.contributionsOre).to.equal(reduced!.amountOre + full!.amountOre);
  });

  it('when 10 000 kr was paid earlier the same month, then the reduced rate covers only 15 000 kr more', () => {
    const result = youth({
      invoiceExclVatOre: kr(100_000),
      paidEarlierThisMonthOre: kr(10_000),
      paidEarlierThisYearOre: kr(10_000),
    });
    expect(result.contributionLines[0]).to.include({ ratePercent: '20.81', baseOre: kr(15_000) });
  });

  it('when the month’s cap is used up, then everything is at the full rate', () => {
    const result = youth({ paidEarlierThisMonthOre: kr(25_000), paidEarlierThisYearOre: kr(25_000) });
    expect(rateOfLines(result)).to.deep.equal(['31.42']);
  });

  it('when the pay stays under the cap, then one line at 20.81 %', () => {
    const result = youth({ invoiceExclVatOre: kr(20_000) });
    expect(result.contributionLines).to.have.length(1);
    expect(result.contributionLines[0]!.baseOre).to.equal(result.grossOre);
  });
});

describe('calculateSalary: the 1 000 kr threshold', () => {
  const first = (fields: Partial<SalaryInput>) =>
    calculateSalary(input({ feeBp: 0, paidEarlierThisYearOre: ore(0), ...fields }), RATES_2026);

  it('when the year’s pay stays under 1 000 kr, then no contributions and gross is all that is left', () => {
    const result = first({ invoiceExclVatOre: kr(999) });
    expect(result.contributionLines).to.deep.equal([]);
    expect(result.contributionsOre).to.equal(0);
    expect(result.grossOre).to.equal(kr(999));
    expect(result.roundingOre).to.equal(0);
  });

  it('when 999,99 kr is paid, then still none', () => {
    expect(first({ invoiceExclVatOre: ore(99_999) }).contributionsOre).to.equal(0);
  });

  it('when the invoice leaves enough for 1 000 kr and its contributions, then the payout reaches the threshold and bears them', () => {
    const result = first({ invoiceExclVatOre: kr(1_314) });
    expect(result.grossOre).to.equal(kr(1_000));
    expect(result.contributionsOre).to.equal(kr(314));
  });

  it('when the invoice cannot pay 1 000 kr and its contributions, then gross stays just under the threshold and the rest is rounding', () => {
    const result = first({ invoiceExclVatOre: kr(1_300) });
    expect(result.grossOre).to.equal(ore(99_999));
    expect(result.contributionsOre).to.equal(0);
    expect(result.roundingOre).to.equal(ore(30_001));
  });

  it('when 900 kr was paid earlier this year and this payout reaches 1 000 kr, then it also bears the earlier 900 kr’s contributions, a line of its own', () => {
    const result = first({ invoiceExclVatOre: kr(2_000), paidEarlierThisYearOre: kr(900) });
    const earlier = result.contributionLines.filter((line) => line.earlierPayouts);
    expect(earlier).to.deep.equal([{ ratePercent: '31.42', baseOre: kr(900), amountOre: kr(282), earlierPayouts: true }]);
    const own = result.contributionLines.filter((line) => !line.earlierPayouts);
    expect(own).to.have.length(1);
    expect(own[0]!.baseOre).to.equal(result.grossOre);
    expect(result.grossOre + result.contributionsOre + result.roundingOre).to.equal(kr(2_000));
  });

  it('when the year’s pay had reached 1 000 kr already, then no line for earlier payouts', () => {
    const result = first({ invoiceExclVatOre: kr(2_000), paidEarlierThisYearOre: kr(1_000) });
    expect(result.contributionLines.some((line) => line.earlierPayouts)).to.equal(false);
  });
});

describe('calculateSalary: expenses, tax and refusals', () => {
  it('when there are expenses, then they come off before the salary and are paid back on top of the net', () => {
    const result = calculateSalary(input({ expensesOre: kr(1_000) }), RATES_2026);
    expect(result.grossOre + result.contributionsOre + result.roundingOre).to.equal(kr(36_600));
    expect(result.netOre).to.equal(result.grossOre - result.taxOre + kr(1_000));
  });

  it('when the tax has öre, then they are dropped (28 611 × 33,33 % = 9 536,0463 kr → 9 536 kr)', () => {
    expect(calculateSalary(input({ taxBp: 3333 }), RATES_2026).taxOre).to.equal(kr(9_536));
  });

  it('when the expenses are more than the invoice leaves after the fee, then refused naming the expenses', () => {
    expect(() => calculateSalary(input({ expensesOre: kr(37_601) }), RATES_2026))
      .to.throw(SalaryInputError)
      .with.property('field', 'expensesOre');
  });

  it('when an amount is negative or not whole öre, or a date does not exist, then refused naming it', () => {
    const refused = (fields: Partial<SalaryInput>, field: string) =>
      expect(() => calculateSalary(input(fields), RATES_2026))
        .to.throw(SalaryInputError)
        .with.property('field', field);
    refused({ invoiceExclVatOre: -1 as Ore }, 'invoiceExclVatOre');
    refused({ expensesOre: 1.5 as Ore }, 'expensesOre');
    refused({ feeBp: 10_001 }, 'feeBp');
    refused({ taxBp: -1 }, 'taxBp');
    refused({ payoutDate: '2026-02-30' }, 'payoutDate');
    refused({ birthDate: '2027-01-01' }, 'birthDate');
    refused({ paidEarlierThisMonthOre: kr(2), paidEarlierThisYearOre: kr(1) }, 'paidEarlierThisMonthOre');
  });

  it('when no general rate is valid on the payout date, then MissingRateError', () => {
    expect(() => calculateSalary(input({ payoutDate: '2025-12-31', birthDate: '1980-01-01' }), RATES_2026)).to.throw(
      MissingRateError,
    );
  });

  it('when a row is not valid on the payout date, then it is ignored even if passed', () => {
    const rates = {
      ...RATES_2026,
      contributionRates: [...RATES_2026.contributionRates, row({ validFrom: '2027-01-01', rateBp: 5000 })],
    };
    expect(rateOfLines(calculateSalary(input(), rates))).to.deep.equal(['31.42']);
  });

  it('when the rate is written for people, then two decimals', () => {
    expect([3142, 1021, 0, 2081, 3000].map(basisPointsToPercent)).to.deep.equal(['31.42', '10.21', '0.00', '20.81', '30.00']);
  });

  it('when the account says side income, SINK or its own rate, then taxRateFor gives that rate', () => {
    expect(taxRateFor({ taxMode: 'side_income', ownTaxBp: null }, RATES_2026)).to.equal(3000);
    expect(taxRateFor({ taxMode: 'sink', ownTaxBp: null }, RATES_2026)).to.equal(2250);
    expect(taxRateFor({ taxMode: 'own', ownTaxBp: 2700 }, RATES_2026)).to.equal(2700);
  });
});

// ---------------------------------------------------------------------------
// Properties

/** The 2026 rules in the law's own words: age bands by the age when the year began, the youth window by dates. */
function referenceRates(birthDate: CalendarDate, payoutDate: CalendarDate): { rateBp: number; capOre: number | null } {
  const age = Number(payoutDate.slice(0, 4)) - 1 - Number(birthDate.slice(0, 4));
  if (age >= 88) return { rateBp: 0, capOre: null };
  if (age >= 67) return { rateBp: 1021, capOre: null };
  if (age >= 18 && age <= 22 && payoutDate >= '2026-04-01' && payoutDate <= '2027-09-30')
    return { rateBp: 2081, capOre: 2_500_000 };
  return { rateBp: 3142, capOre: null };
}

const floorKronor = (base: number, bp: number) => Number((BigInt(base) * BigInt(bp)) / 1_000_000n) * 100;

/** Contributions for a gross, by the reference: per-rate sums with öre dropped, the threshold and its catch-up. */
function referenceContributions(gross: number, salary: SalaryInput): number {
  const threshold = 100_000;
  const before = salary.paidEarlierThisYearOre;
  if (before + gross < threshold) return 0;
  const { rateBp, capOre } = referenceRates(salary.birthDate, salary.payoutDate);
  const split = (pay: number, capLeft: number | null) => {
    if (capLeft === null) return floorKronor(pay, rateBp);
    const reduced = Math.min(pay, capLeft);
    return floorKronor(reduced, rateBp) + floorKronor(pay - reduced, 3142);
  };
  const own = split(gross, capOre === null ? null : Math.max(0, capOre - salary.paidEarlierThisMonthOre));
  const earlier = before < threshold ? split(before, capOre) : 0;
  return own + earlier;
}

const dateBetween = (from: CalendarDate, days: number) => fc.integer({ min: 0, max: days }).map((day) => addDays(from, day));

const salaryInputs: fc.Arbitrary<SalaryInput> = fc
  .record({
    invoice: fc.oneof(fc.integer({ min: 100, max: 100_000_000 }), fc.integer({ min: 100, max: 500_000 })),
    feeBp: fc.integer({ min: 0, max: 2000 }),
    expensesShare: fc.integer({ min: 0, max: 1000 }),
    withExpenses: fc.boolean(),
    birthYear: fc.integer({ min: 1925, max: 2010 }),
    birthDay: fc.integer({ min: 0, max: 364 }),
    taxBp: fc.integer({ min: 0, max: 6000 }),
    // Across 2026-04-01 and 2027-09-30, the youth window's edges, and New Year.
    payoutDate: fc.oneof(dateBetween('2026-01-01', 729), dateBetween('2026-03-25', 14), dateBetween('2027-09-24', 14)),
    paidThisYear: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 150_000 }), fc.integer({ min: 0, max: 10_000_000 })),
    monthShare: fc.integer({ min: 0, max: 1000 }),
  })
  .map((draw) => {
    const fee = Number((BigInt(draw.invoice) * BigInt(draw.feeBp) * 2n + 10_000n) / 20_000n);
    const expenses = draw.withExpenses ? Math.floor(((draw.invoice - fee) * draw.expensesShare) / 1000) : 0;
    return {
      invoiceExclVatOre: ore(draw.invoice),
      feeBp: draw.feeBp,
      expensesOre: ore(expenses),
      birthDate: addDays(`${draw.birthYear}-01-01`, draw.birthDay),
      taxBp: draw.taxBp,
      payoutDate: draw.payoutDate,
      paidEarlierThisYearOre: ore(draw.paidThisYear),
      paidEarlierThisMonthOre: ore(Math.floor((draw.paidThisYear * draw.monthShare) / 1000)),
    };
  });

// Issue 12 asks for 100 000 cases per property; the calculation takes ~20 µs, so they cost ~2 s each.
const RUNS = { numRuns: 100_000 };

describe('calculateSalary: properties', function () {
  this.timeout(120_000);

  it('always: fee + contributions + gross + expenses + rounding = invoice excl. VAT, to the öre', () => {
    fc.assert(
      fc.property(salaryInputs, (salary) => {
        const result = calculateSalary(salary, RATES_2026);
        const sum = result.feeOre + result.contributionsOre + result.grossOre + result.expensesOre + result.roundingOre;
        expect(sum).to.equal(salary.invoiceExclVatOre);
      }),
      RUNS,
    );
  });

  it('always: gross + contributions fit what the invoice leaves, and one öre (or one krona) more gross would not', () => {
    fc.assert(
      fc.property(salaryInputs, (salary) => {
        const result = calculateSalary(salary, RATES_2026);
        const available = salary.invoiceExclVatOre - result.feeOre - salary.expensesOre;
        expect(result.grossOre + result.contributionsOre).to.be.at.most(available);
        for (const more of [1, 100]) {
          const gross = result.grossOre + more;
          expect(gross + referenceContributions(gross, salary), `gross + ${more} öre`).to.be.above(available);
        }
        // Within the range that reaches the threshold, a larger gross costs more: its first amount must not fit either.
        const firstContributing = Math.max(0, 100_000 - salary.paidEarlierThisYearOre);
        if (result.grossOre < firstContributing && firstContributing <= available)
          expect(firstContributing + referenceContributions(firstContributing, salary)).to.be.above(available);
      }),
      RUNS,
    );
  });

  it('always: contributions are the per-rate sums with öre dropped, as the law’s table gives them', () => {
    fc.assert(
      fc.property(salaryInputs, (salary) => {
        const result = calculateSalary(salary, RATES_2026);
        expect(result.contributionsOre).to.equal(referenceContributions(result.grossOre, salary));
        expect(result.contributionsOre).to.equal(result.contributionLines.reduce((sum, line) => sum + line.amountOre, 0));
        for (const line of result.contributionLines) {
          const bp = Number(line.ratePercent.replace('.', ''));
          expect(line.amountOre).to.equal(floorKronor(line.baseOre, bp));
        }
      }),
      RUNS,
    );
  });

  it('always: no amount is negative; tax and contributions are whole kronor; the rounding is under 1 kr outside the threshold’s gap', () => {
    fc.assert(
      fc.property(salaryInputs, (salary) => {
        const result = calculateSalary(salary, RATES_2026);
        for (const [name, value] of Object.entries(result)) {
          if (typeof value === 'number') expect(value, name).to.be.at.least(0);
        }
        expect(result.taxOre % 100).to.equal(0);
        expect(result.contributionsOre % 100).to.equal(0);
        expect(result.taxOre).to.equal(floorKronor(result.grossOre, salary.taxBp));
        expect(result.netOre).to.equal(result.grossOre - result.taxOre + salary.expensesOre);
        const inGap = salary.paidEarlierThisYearOre + result.grossOre === 99_999;
        if (!inGap) expect(result.roundingOre).to.be.at.most(100);
      }),
      RUNS,
    );
  });

  it('always: the vacation-pay part is gross × 12/112, half up to the öre', () => {
    fc.assert(
      fc.property(salaryInputs, (salary) => {
        const result = calculateSalary(salary, RATES_2026);
        expect(result.vacationPayOre).to.equal(Number((BigInt(result.grossOre) * 12n * 2n + 112n) / 224n));
      }),
      RUNS,
    );
  });

  it('always: a larger invoice never gives a smaller fee, gross or contributions', () => {
    fc.assert(
      fc.property(salaryInputs, fc.integer({ min: 1, max: 1_000_000 }), (salary, more) => {
        const smaller = calculateSalary(salary, RATES_2026);
        const larger = calculateSalary({ ...salary, invoiceExclVatOre: ore(salary.invoiceExclVatOre + more) }, RATES_2026);
        expect(larger.feeOre).to.be.at.least(smaller.feeOre);
        expect(larger.grossOre).to.be.at.least(smaller.grossOre);
        expect(larger.contributionsOre).to.be.at.least(smaller.contributionsOre);
      }),
      RUNS,
    );
  });
});
