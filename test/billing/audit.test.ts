import { expect } from 'chai';
import request from 'supertest';
import { loadActor, type Actor } from '../../src/modules/access/index.js';
import { appointPayrollStaff, removePayrollStaff } from '../../src/modules/admin/service.js';
import { recordAudit } from '../../src/modules/billing/audit.js';
import { issueCreditNote } from '../../src/modules/billing/invoices.js';
import { addOperatorVersion } from '../../src/modules/billing/operator-service.js';
import { importBankFile, registerPayment } from '../../src/modules/billing/payments-service.js';
import { markSalariesPaidByPayroll, runSalary } from '../../src/modules/billing/salary-service.js';
import { addDays, todayInStockholm } from '../../src/platform/calendar.js';
import { inTransaction } from '../../src/platform/db.js';
import type { Logger } from '../../src/platform/logger.js';
import { luhnCheckDigit } from '../../src/platform/luhn.js';
import { ore } from '../../src/platform/money.js';
import { createWorker } from '../support/billing-factories-e.js';
import { bgmaxFile, createInvoiceF, latin1, makePayroll } from '../support/billing-factories-f.js';
import { createOrganisation } from '../support/factories.js';
import { createPaidInvoiceP1 } from '../support/payroll-factories-p1.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, type LoggedIn } from '../support/users.js';

// The append-only audit log (issue 12 item 7): each money or settings action writes one row in its own
// transaction, the database refuses to change or delete a row, and payroll (/lon/logg) and platform admins
// (/admin/logg) read the newest events with the personnummer views beside them.

const silent = { warn: () => {}, error: () => {}, info: () => {}, debug: () => {} } as unknown as Logger;
const withCheckDigit = (body: string) => `${body}${luhnCheckDigit(body)}`;

describe('Audit log', () => {
  const ctx = useTestApp();
  let organisationId: number;
  let payrollUser: { id: number; email: string; name: string };
  let adminUser: { id: number; email: string; name: string };
  let payrollActor: Actor;
  let adminActor: Actor;
  let payroll: LoggedIn;
  let admin: LoggedIn;
  let resident: LoggedIn;

  const eventsOf = (kind: string) => ctx.db('audit_events').where('kind', kind).orderBy('id');
  const eventsSince = async (kind: string, sinceId: number) => (await eventsOf(kind)).filter((row) => Number(row.id) > sinceId);
  const lastId = async () => Number((await ctx.db('audit_events').max({ id: 'id' }))[0]?.id ?? 0);

  before(async () => {
    organisationId = (await createOrganisation(ctx.db)).id;
    payrollUser = await createUser(ctx.db, { name: 'Lena Lönesson' });
    await makePayroll(ctx.db, payrollUser.id);
    adminUser = await createUser(ctx.db, { isAdmin: true, name: 'Ada Adminsson' });
    payrollActor = await loadActor(ctx.db, { id: payrollUser.id, isAdmin: false, emailVerified: true });
    adminActor = await loadActor(ctx.db, { id: adminUser.id, isAdmin: true, emailVerified: true });
    payroll = await logInAs(ctx.app, payrollUser.email);
    admin = await logInAs(ctx.app, adminUser.email);
    resident = await logInAs(ctx.app, (await createUser(ctx.db)).email);
  });

  describe('each action records one event', () => {
    it('when the salary job computes a salary and payroll marks it paid, then salary_run (by the system) and salary_paid (by payroll) are recorded once', async () => {
      const since = await lastId();
      const worker = await createWorker(ctx.db);
      const invoice = await createPaidInvoiceP1(ctx.db, { organisationId, workerUserId: worker.id });
      const run = await runSalary(ctx.db, silent, invoice.id);
      expect(run).to.have.property('salaryId');
      await runSalary(ctx.db, silent, invoice.id);
      const runs = await eventsSince('salary_run', since);
      expect(runs).to.have.length(1);
      expect(runs[0]).to.include({ actor_user_id: null, subject: `invoice P1-${invoice.number}` });
      expect(runs[0].details).to.include({ invoiceId: invoice.id });

      const salaryId = (run as { salaryId: number }).salaryId;
      await markSalariesPaidByPayroll(ctx.db, payrollActor, { salary: [String(salaryId)], paidOn: todayInStockholm() });
      const paid = await eventsSince('salary_paid', since);
      expect(paid).to.have.length(1);
      expect(paid[0]).to.include({ actor_user_id: payrollUser.id, subject: `salary ${salaryId}` });
      expect(paid[0].details).to.deep.equal({ salaryIds: [salaryId], paidOn: todayInStockholm() });
    });

    it('when payroll registers a payment or imports a bank file, then payment_registered and payment_import are recorded once each', async () => {
      const since = await lastId();
      const invoice = await createInvoiceF(ctx.db, { organisationId });
      await registerPayment(ctx.db, payrollActor, {
        invoice: String(invoice.id),
        ocr: '',
        amount: '100',
        paidOn: todayInStockholm(),
        reference: 'Delbetalning',
      });
      const registered = await eventsSince('payment_registered', since);
      expect(registered).to.have.length(1);
      expect(registered[0]).to.include({ actor_user_id: payrollUser.id, subject: `invoice UB-${invoice.number}` });
      expect(registered[0].details).to.include({ amountOre: 10_000, outcome: 'partial' });

      const other = await createInvoiceF(ctx.db, { organisationId });
      const bytes = latin1(
        bgmaxFile([{ date: todayInStockholm(), payments: [{ reference: other.ocr, amountOre: other.totalOre }] }], {
          timestamp: `${String(process.pid).padStart(8, '0').slice(-8)}073035010331`,
        }),
      );
      const result = await importBankFile(ctx.db, payrollActor, bytes);
      await importBankFile(ctx.db, payrollActor, bytes);
      const imports = await eventsSince('payment_import', since);
      expect(imports).to.have.length(1);
      expect(imports[0]).to.include({ actor_user_id: payrollUser.id, subject: `payment import ${result.importId}` });
      expect(imports[0].details).to.deep.equal({ importId: result.importId, payments: 1, matched: 1 });
    });

    it('when a credit note is issued, then credit_note is recorded once with its actor', async () => {
      const since = await lastId();
      const invoice = await createInvoiceF(ctx.db, { organisationId, amountExclVatOre: 200_000 });
      // The factory writes UB numbers straight to the table; the credit note's number is taken past them.
      const highest = (await ctx.db('invoices').where('series', 'UB').max({ max: 'number' }))[0]?.max as number;
      await ctx
        .db('invoice_number_counters')
        .insert({ series: 'UB', next_number: Number(highest) + 1 })
        .onConflict('series')
        .merge();
      const credit = await inTransaction(ctx.db, (trx) =>
        issueCreditNote(trx, invoice.id, { reason: 'Fel timpris', amountExclVatOre: ore(50_000) }, todayInStockholm(), {
          actorUserId: payrollUser.id,
        }),
      );
      const events = await eventsSince('credit_note', since);
      expect(events).to.have.length(1);
      expect(events[0]).to.include({ actor_user_id: payrollUser.id, subject: `invoice UB-${invoice.number}` });
      expect(events[0].details).to.deep.equal({
        invoiceId: invoice.id,
        creditNoteId: credit.invoiceId,
        amountExclVatOre: -50_000,
      });
    });

    it('when an admin adds operator settings and appoints and removes payroll staff, then operator_settings and payroll_staff are recorded', async () => {
      const since = await lastId();
      const organisationNumber = withCheckDigit('559900005');
      const bankgiro = withCheckDigit('555124');
      const validFrom = addDays(todayInStockholm(), 777);
      await addOperatorVersion(ctx.db, adminActor, {
        validFrom,
        name: 'Loggoperatören AB',
        organisationNumber,
        vatNumber: `SE${organisationNumber}01`,
        streetAddress: 'Byvägen 2',
        postalCode: '921 31',
        city: 'Lycksele',
        bankgiro,
        fTaxApproved: 'yes',
        feePercent: '6',
        paymentTermsDays: '30',
        invoiceSeries: 'LG',
        email: 'faktura@logg.example.se',
      });
      const settings = await eventsSince('operator_settings', since);
      expect(settings).to.have.length(1);
      expect(settings[0]).to.include({ actor_user_id: adminUser.id, subject: `operator settings ${validFrom}` });
      expect(settings[0].details).to.include({ validFrom, feeBp: 600 });

      const staff = await createUser(ctx.db);
      await appointPayrollStaff(ctx.db, adminActor, { email: staff.email });
      await removePayrollStaff(ctx.db, adminActor, { userId: String(staff.id) });
      await removePayrollStaff(ctx.db, adminActor, { userId: String(staff.id) });
      const changes = await eventsSince('payroll_staff', since);
      expect(changes.map((row) => [row.subject, row.details.change, row.actor_user_id])).to.deep.equal([
        [`user ${staff.id}`, 'appointed', adminUser.id],
        [`user ${staff.id}`, 'removed', adminUser.id],
      ]);
    });

    it('when an action fails after its event was written, then the event goes with it (the same transaction)', async () => {
      const since = await lastId();
      const failing = inTransaction(ctx.db, async (trx) => {
        await recordAudit(trx, { actorUserId: payrollUser.id, kind: 'credit_note', subject: 'invoice UB-0' });
        throw new Error('the change failed');
      });
      await failing.then(
        () => expect.fail('should have failed'),
        (error: Error) => expect(error.message).to.equal('the change failed'),
      );
      expect(await eventsSince('credit_note', since)).to.have.length(0);
    });
  });

  describe('the database', () => {
    it('refuses UPDATE and DELETE of an event, but forgets a deleted actor', async () => {
      const actor = await createUser(ctx.db);
      await recordAudit(ctx.db, {
        actorUserId: actor.id,
        kind: 'payment_registered',
        subject: 'invoice X-1',
        details: { amountOre: 1 },
      });
      const row = await ctx.db('audit_events').where('actor_user_id', actor.id).first();
      const refused = async (change: Promise<unknown>) => {
        try {
          await change;
        } catch (error) {
          return (error as Error).message;
        }
        return expect.fail('the database let it through');
      };
      expect(await refused(ctx.db('audit_events').where('id', row.id).update({ subject: 'invoice X-2' }))).to.include(
        'audit_events rows are never changed',
      );
      expect(await refused(ctx.db('audit_events').where('id', row.id).update({ actor_user_id: adminUser.id }))).to.include(
        'audit_events rows are never changed',
      );
      expect(await refused(ctx.db('audit_events').where('id', row.id).delete())).to.include(
        'audit_events rows are never deleted',
      );
      expect(await refused(ctx.db('audit_events').insert({ kind: 'something_else', subject: 'x' }))).to.include(
        'audit_events_kind',
      );

      await ctx.db('users').where('id', actor.id).delete();
      const kept = await ctx.db('audit_events').where('id', row.id).first();
      expect(kept).to.include({ actor_user_id: null, subject: 'invoice X-1' });
    });
  });

  describe('the pages', () => {
    it('shows payroll the events and the personnummer views (who, whose by name, when, why), filtered by kind', async () => {
      const worker = await createWorker(ctx.db, 'Wilma Visadsson');
      await ctx
        .db('personal_data_views')
        .insert({ viewer_user_id: payrollUser.id, subject_user_id: worker.id, purpose: 'utbetalning' });
      await recordAudit(ctx.db, { actorUserId: payrollUser.id, kind: 'payment_registered', subject: 'invoice PG-1' });

      const all = await payroll.agent.get('/lon/logg').expect(200);
      expect(all.text).to.include('Granskningslogg');
      expect(all.text).to.include('Personnummer för Wilma Visadsson').and.include('Syfte: utbetalning');
      expect(all.text).to.include('Lena Lönesson').and.include('invoice PG-1');
      expect(all.headers['cache-control']).to.include('no-store');

      const views = await payroll.agent.get('/lon/logg?typ=personal_number_view').expect(200);
      expect(views.text).to.include('Wilma Visadsson').and.not.include('invoice PG-1');
      expect(views.text).to.include('<option value="personal_number_view" selected>');

      const payments = await payroll.agent.get('/lon/logg?typ=payment_registered').expect(200);
      expect(payments.text).to.include('invoice PG-1').and.not.include('Wilma Visadsson');
    });

    it('shows admins the same log on /admin/logg', async () => {
      const res = await admin.agent.get('/admin/logg?typ=payroll_staff').expect(200);
      expect(res.text).to.include('Granskningslogg').and.include('Ada Adminsson');
    });

    it('answers a filter outside the list with 400 and a message beside the field', async () => {
      for (const value of ['<script>alert(1)</script>', 'salary_run_x', '1e9', 'x'.repeat(5000)]) {
        const res = await payroll.agent.get(`/lon/logg?typ=${encodeURIComponent(value)}`).expect(400);
        expect(res.text).to.include('id="typ-error"').and.include('aria-describedby="typ-error"');
        expect(res.text).not.to.include('<script>alert(1)</script>');
      }
      await payroll.agent.get('/lon/logg?typ=a&typ=b').expect(400);
    });

    it('is a 404 for visitors, residents, and payroll on the admin page and admins on the payroll page', async () => {
      await request(ctx.app).get('/lon/logg').expect(404);
      await request(ctx.app).get('/admin/logg').expect(404);
      await resident.agent.get('/lon/logg').expect(404);
      await resident.agent.get('/admin/logg').expect(404);
      await payroll.agent.get('/admin/logg').expect(404);
      await admin.agent.get('/lon/logg').expect(404);
    });
  });
});
