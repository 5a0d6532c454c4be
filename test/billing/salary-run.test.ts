import { expect } from 'chai';
import { loadPayrollRates, payrollRatesFrom } from '../../src/modules/billing/rates.js';
import { lockSalaryRun } from '../../src/modules/billing/salary-queries.js';
import { inTransaction } from '../../src/platform/db.js';
import { createWorker } from '../support/billing-factories-e.js';
import { createOrganisation } from '../support/factories.js';
import { createPaidInvoiceP1 } from '../support/payroll-factories-p1.js';
import { useTestApp } from '../support/test-app.js';

// The salary job reads the rates of the payout date in the statement that takes its locks (one round trip instead of
// four); they must be exactly the rates loadPayrollRates reads from the same dated rows, on every side of a boundary.

describe('The salary run’s statement', () => {
  const ctx = useTestApp();
  let invoiceId: number;

  before(async () => {
    const organisationId = (await createOrganisation(ctx.db)).id;
    const worker = await createWorker(ctx.db);
    invoiceId = (await createPaidInvoiceP1(ctx.db, { organisationId, workerUserId: worker.id })).id;
  });

  const runStart = (payoutDate: string) => inTransaction(ctx.db, (trx) => lockSalaryRun(trx, invoiceId, payoutDate));

  for (const payoutDate of ['2026-01-01', '2026-03-31', '2026-04-01', '2026-12-31', '2027-09-30', '2027-10-01', '2030-06-15'])
    it(`when the payout date is ${payoutDate}, then its rates are those loadPayrollRates reads`, async () => {
      const run = (await runStart(payoutDate))!;
      expect(payrollRatesFrom(payoutDate, run.contributionRates, run.payrollParameters)).to.deep.equal(
        await loadPayrollRates(ctx.db, payoutDate),
      );
    });

  it('when the payout date is before the first rates, then it is refused like loadPayrollRates refuses it', async () => {
    const run = (await runStart('2025-12-31'))!;
    expect(run.contributionRates).to.deep.equal([]);
    expect(() => payrollRatesFrom('2025-12-31', run.contributionRates, run.payrollParameters)).to.throw(
      'No general employer contribution rate is valid on 2025-12-31',
    );
    const loaded = await loadPayrollRates(ctx.db, '2025-12-31').catch((error: unknown) => error);
    expect(loaded)
      .to.be.instanceOf(Error)
      .with.property('message', 'No general employer contribution rate is valid on 2025-12-31');
  });

  it('when the invoice does not exist, then there is nothing to run', async () => {
    expect(await inTransaction(ctx.db, (trx) => lockSalaryRun(trx, 987_654_321, '2026-06-01'))).to.equal(undefined);
  });
});
