import { expect } from 'chai';
import { runOnce } from 'graphile-worker';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Response } from 'supertest';
import { allTasks } from '../../src/modules.js';
import { todayInStockholm } from '../../src/platform/calendar.js';
import { workerLogger } from '../../src/platform/jobs.js';
import { createBillingOrganisation, createWorkFor, ensureOperatorSettings } from '../support/billing-factories-e.js';
import { fileOptions, png } from '../support/files.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, postForm, type LoggedIn } from '../support/users.js';

// "No personnummer ever leaves the places it must be" (issue 11): the whole billing flow over HTTP — activation
// (refused ones too), the person's own view of the full number, a basis with a receipt, approval, the invoice and
// its PDF, the payment, and every background job that follows — with every log line of the server and the jobs
// captured at the lowest level and unredacted. No line, no URL (asked, redirected to or linked from a page), no
// document of the search index, mail or notification may hold the number in any spelling.

const PERSONAL_NUMBER = '198507099805';
/** Every way the number is written: 12 or 10 digits, with or without the hyphen (or the plus of those over 100). */
const SPELLINGS = ['198507099805', '19850709-9805', '8507099805', '850709-9805', '850709+9805'];

const containsNumber = (text: string) => SPELLINGS.some((spelling) => text.includes(spelling));

describe('Billing: the personnummer stays out of logs, URLs and the search index', function () {
  this.timeout(180_000);
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const log = pino({ level: 'trace' }, sink);
  const ctx = useTestApp(() => ({ log }));

  /** The background jobs with the capturing logger (the test app's own runner logs nowhere). */
  const runJobs = () =>
    runOnce({
      connectionString: ctx.databaseUrl,
      taskList: allTasks({
        config: ctx.config,
        db: ctx.db,
        search: ctx.search,
        log,
        secret: ctx.config.sessionSecret!,
        dataKeys: ctx.config.dataKeys,
      }),
      logger: workerLogger(log),
    });

  const urls: string[] = [];
  /** Keeps the URL asked for, where it sent on to, and every link, form and source of the page it answered. */
  const seen = (res: Response): Response => {
    const request = (res as unknown as { req: { path: string } }).req;
    urls.push(request.path);
    if (res.headers.location) urls.push(res.headers.location);
    if (/html/.test(res.headers['content-type'] ?? ''))
      for (const match of res.text.matchAll(/\b(?:href|action|src)="([^"]*)"/g)) urls.push(match[1]!);
    return res;
  };

  it('when a worker activates, bills and is paid, then no log line, URL or indexed document holds the personnummer', async () => {
    await ensureOperatorSettings(ctx.db);
    const { organisation, member: memberUser } = await createBillingOrganisation(ctx.db);
    const workerUser = await createUser(ctx.db, { name: 'Petra Personnummer' });
    const { applicationId } = await createWorkFor(ctx.db, organisation.id, workerUser.id, { compensationType: 'hourly' });
    const otherUser = await createUser(ctx.db);
    const payrollUser = await createUser(ctx.db);
    await ctx.db('payroll_staff').insert({ user_id: payrollUser.id });
    const worker = await logInAs(ctx.app, workerUser.email);
    const member = await logInAs(ctx.app, memberUser.email);
    const other = await logInAs(ctx.app, otherUser.email);
    const payroll = await logInAs(ctx.app, payrollUser.email);
    const post = async (client: LoggedIn, path: string, fields: Record<string, unknown>, status: number) =>
      seen(await postForm(client, path, fields).expect(status));
    const get = async (client: LoggedIn, path: string, status = 200) => seen(await client.agent.get(path).expect(status));

    // --- activation: refused (a wrong check digit, then a number already taken), then done ---------------------
    const bank = { clearingNumber: '6789', accountNumber: '123456789', taxMode: 'side_income', terms: 'yes' };
    await get(worker, '/konto/egenanstallning');
    await post(worker, '/konto/egenanstallning', { ...bank, personalNumber: '19850709-9806' }, 400);
    await post(worker, '/konto/egenanstallning', { ...bank, personalNumber: '19850709-9805' }, 303);
    await post(other, '/konto/egenanstallning', { ...bank, personalNumber: '198507099805' }, 409);
    await post(worker, '/konto/egenanstallning', { ...bank, personalNumber: '8507099805' }, 409);
    await get(worker, '/konto/egenanstallning?done=activated');
    // The person's own view of the full number: on the page, so the body has it, but nothing else may.
    const revealed = await post(worker, '/konto/egenanstallning/visa-personnummer', {}, 200);
    expect(revealed.text).to.contain('19850709-9805');

    // --- the basis with a receipt, sent --------------------------------------------------------------------------
    const basisPath = `/konto/fakturaunderlag/${applicationId}`;
    await get(worker, '/konto/fakturaunderlag');
    await get(worker, basisPath);
    await post(
      worker,
      basisPath,
      {
        basisId: '',
        periodStart: '2026-03-02',
        periodEnd: '2026-03-04',
        vatRate: '25',
        vatReason: '',
        description: 'Röjde sly.',
        line1Kind: 'hours',
        line1Description: 'Slyröjning',
        line1Hours: '6',
        line1Rate: '250',
      },
      303,
    );
    seen(
      await worker.agent
        .post(`${basisPath}/utlagg?_csrf=${encodeURIComponent(worker.csrf)}`)
        .field('expenseDescription', 'Kedjeolja')
        .field('expenseAmount', '89,50')
        .attach('receipt', await png(200, 300), fileOptions('kvitto.png', 'image/png'))
        .expect(303),
    );
    await post(worker, `${basisPath}/skicka`, {}, 303);
    const basis = await ctx.db('billing_bases').where('application_id', applicationId).first('id');

    // --- approval, the invoice and its PDF ------------------------------------------------------------------------
    const organisationPath = `/organisationer/${organisation.slug}/fakturaunderlag/${basis.id}`;
    await get(member, `/organisationer/${organisation.slug}/fakturaunderlag`);
    await get(member, organisationPath);
    await post(member, `${organisationPath}/godkann`, {}, 303);
    await get(member, `${organisationPath}?done=approved`);
    await get(member, `/organisationer/${organisation.slug}/fakturor`);
    const invoice = await ctx.db('invoices').where('basis_id', basis.id).first('id', 'total_ore');
    const pdf = await get(member, `/fakturor/${invoice.id}/pdf`);
    expect(pdf.headers['content-type']).to.match(/^application\/pdf/);
    await get(worker, '/konto/fakturor');

    // --- the payment, and everything the jobs do after each step ----------------------------------------------------
    await get(payroll, '/lon');
    const total = Number(invoice.total_ore);
    await post(
      payroll,
      '/lon/betalningar',
      { invoice: String(invoice.id), amount: `${total / 100}`.replace('.', ','), paidOn: todayInStockholm(), reference: '' },
      303,
    );
    await get(payroll, '/lon?done=paid');
    expect((await ctx.db('invoices').where('id', invoice.id).first('status')).status).to.equal('paid');
    await runJobs();
    await ctx.syncIndex();

    // The flow was logged (else the test would prove nothing), and no line holds the number.
    expect(lines.length).to.be.greaterThan(50);
    expect(lines.some((line) => line.includes('/konto/egenanstallning'))).to.equal(true);
    expect(lines.filter(containsNumber)).to.deep.equal([]);

    expect(urls.length).to.be.greaterThan(100);
    expect(urls.filter(containsNumber)).to.deep.equal([]);

    const prefix = ctx.config.meili.indexPrefix;
    const { results: indexes } = await ctx.search.getIndexes({ limit: 1000 });
    const ours = indexes.filter((index) => index.uid.startsWith(prefix));
    expect(ours.length).to.be.greaterThan(0);
    for (const index of ours) {
      const { results: documents } = await ctx.search.index(index.uid).getDocuments({ limit: 10_000 });
      expect(documents.length, index.uid).to.be.greaterThan(0);
      expect(containsNumber(JSON.stringify(documents)), index.uid).to.equal(false);
    }

    // What went out by mail (the invoice to the organisation) and the notifications of the flow.
    const mails = await ctx.db('mails').select('to_address', 'subject', 'text_body', 'html_body');
    expect(mails.length).to.be.greaterThan(0);
    expect(containsNumber(JSON.stringify(mails))).to.equal(false);
    expect(containsNumber(JSON.stringify(await ctx.db('notifications').select('*')))).to.equal(false);

    // Stored only as the sealed number and its keyed hash: no column holds it in clear.
    const account = await ctx.db('enterprise_accounts').where('user_id', workerUser.id).first('*');
    expect(containsNumber(JSON.stringify(account))).to.equal(false);
    expect(account.birth_date).to.equal(PERSONAL_NUMBER.replace(/^(\d{4})(\d{2})(\d{2}).*/, '$1-$2-$3'));
  });
});
