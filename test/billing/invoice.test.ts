import { expect } from 'chai';
import { runOnce } from 'graphile-worker';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { getDocumentProxy, extractText } from 'unpdf';
import { issueCreditNote, issueInvoice, loadInvoiceDocument } from '../../src/modules/billing/invoices.js';
import { renderInvoicePdf } from '../../src/modules/billing/invoice-pdf.js';
import { createDb, inTransaction, type Db } from '../../src/platform/db.js';
import { workerLogger } from '../../src/platform/jobs.js';
import { mailSender, mailTasks, SEND_MAIL_TASK } from '../../src/platform/mail.js';
import { isValidOcrReference } from '../../src/platform/ocr.js';
import { ore } from '../../src/platform/money.js';
import { createApprovedBasis, ensureOperatorSettings, type BasisOverrides } from '../support/billing-factories-d.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs } from '../support/users.js';

// Invoices and credit notes (issue 11, item 5): issued in the approval's transaction with a gapless number, an
// OCR reference and every field a full invoice needs; the PDF is read back with pdf.js (unpdf) as a reader
// would; the mail carries it through the outbox and nodemailer; the database keeps issued invoices as they were.

const INVOICE_DATE = '2026-03-10';

async function pdfText(bytes: Buffer): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: true });
  // Lines wrap where the page ends; amounts hold no-break spaces.
  return text.replace(/\s+/g, ' ');
}

const issue = (db: Db, basisId: number, date = INVOICE_DATE) =>
  inTransaction(db, (trx) => issueInvoice(trx, basisId, date, { publicUrl: 'http://uppdragsbanken.test' }));

const refusal = <T>(promise: Promise<T>) =>
  promise.then(
    () => undefined,
    (error: { status?: number; message: string; fields?: Record<string, string> }) => error,
  );

describe('Invoices: numbers under concurrency and rollback', function () {
  this.timeout(120_000);
  const ctx = useTestApp();

  before(async () => {
    await ensureOperatorSettings(ctx.db);
  });

  it('when 20 bases of 20 organisations are approved at once, then the invoices are numbered exactly 1…20', async () => {
    const bases = [];
    for (let i = 0; i < 20; i++) bases.push(await createApprovedBasis(ctx.db));
    // A pool of its own, so all 20 transactions really run side by side.
    const wide = createDb(ctx.databaseUrl, { poolMax: 21 });
    try {
      const issued = await Promise.all(
        bases.map((basis) => wide.transaction((trx) => issueInvoice(trx, basis.basisId, INVOICE_DATE))),
      );
      expect(issued.map((invoice) => invoice.number).sort((a, b) => a - b)).to.deep.equal(
        Array.from({ length: 20 }, (_, index) => index + 1),
      );
      expect(new Set(issued.map((invoice) => invoice.series))).to.deep.equal(new Set(['A']));
    } finally {
      await wide.destroy();
    }
    const rows = (await ctx.db('invoices').orderBy('number').select('number', 'ocr', 'organisation_id')) as Array<{
      number: number;
      ocr: string;
      organisation_id: number;
    }>;
    expect(rows.map((row) => row.number)).to.deep.equal(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(new Set(rows.map((row) => row.organisation_id)).size).to.equal(20);
    for (const row of rows) expect(isValidOcrReference(row.ocr, { lengthDigit: true }), row.ocr).to.equal(true);
    expect(await ctx.db('invoice_number_counters').where({ series: 'A' }).first('next_number')).to.deep.equal({
      next_number: 21,
    });
  });

  it('when the approving transaction rolls back, then its number is not used up: the next invoice gets it', async () => {
    const first = await createApprovedBasis(ctx.db);
    const mailsBefore = Number((await ctx.db('mails').count({ n: '*' }).first())!.n);
    const error = await refusal(
      ctx.db.transaction(async (trx) => {
        await issueInvoice(trx, first.basisId, INVOICE_DATE);
        throw new Error('the approval failed later');
      }),
    );
    expect(error?.message).to.equal('the approval failed later');
    expect(await ctx.db('invoices').where({ basis_id: first.basisId }).first()).to.equal(undefined);
    expect(Number((await ctx.db('mails').count({ n: '*' }).first())!.n)).to.equal(mailsBefore);

    const second = await createApprovedBasis(ctx.db);
    expect((await issue(ctx.db, second.basisId)).number).to.equal(21);
    expect((await issue(ctx.db, first.basisId)).number).to.equal(22);
  });
});

describe('Invoices: issue, PDF, mail, immutability and credit notes', function () {
  this.timeout(60_000);
  const ctx = useTestApp();

  const fullBasis: BasisOverrides = {
    organisationName: 'Rusksele byaförening',
    organisationNumber: '8024567891',
    address: 'Byavägen 4\n923 98 Rusksele',
    workerName: 'Åsa Öberg',
    assignmentTitle: 'Snöskottning vid bygdegården',
    lines: [
      { description: 'Snöskottning', hundredths: 250, unitPriceOre: 40_000, amountOre: 100_000 },
      { description: 'Röjning av stig', amountOre: 25_050 },
    ],
    expenses: [{ description: 'Bensin till snöslungan', amountOre: 12_345 }],
  };

  before(async () => {
    await ensureOperatorSettings(ctx.db);
  });

  describe('an invoice with work, a fixed amount and an expense', () => {
    let basis: Awaited<ReturnType<typeof createApprovedBasis>>;
    let invoiceId: number;
    let number: number;

    before(async () => {
      basis = await createApprovedBasis(ctx.db, fullBasis);
      ({ invoiceId, number } = await issue(ctx.db, basis.basisId));
    });

    it('when issued, then amounts, VAT, fee, dates, OCR and buyer are on the row, expenses as a line of their own', async () => {
      const { invoice, lines, seller } = (await loadInvoiceDocument(ctx.db, invoiceId))!;
      expect(invoice).to.include({
        kind: 'invoice',
        series: 'A',
        number,
        basis_id: basis.basisId,
        organisation_id: basis.organisationId,
        worker_user_id: basis.workerId,
        buyer_name: 'Rusksele byaförening',
        buyer_address: 'Byavägen 4\n923 98 Rusksele',
        buyer_organisation_number: '8024567891',
        invoice_date: '2026-03-10',
        due_date: '2026-04-09',
        delivery_start: '2026-03-02',
        delivery_end: '2026-03-06',
        vat_bp: 2500,
        vat_reason: null,
        amount_excl_vat_ore: 137_395,
        vat_ore: 34_349, // 34 348,75 rounded half up
        total_ore: 171_744,
        expenses_ore: 12_345,
        fee_ore: 8_244, // 6 % of 1 373,95 = 82,437 → 82,44
        status: 'unpaid',
        subject: 'Snöskottning vid bygdegården',
        our_reference: 'Åsa Öberg',
        credit_reason: null,
      });
      expect(invoice.buyer_email).to.match(/^kassor\d+\./);
      expect(isValidOcrReference(invoice.ocr, { lengthDigit: true })).to.equal(true);
      expect(seller.name).to.equal('Bygdens Egenanställning ek. för.');
      expect(lines).to.deep.equal([
        { position: 1, description: 'Snöskottning', quantity_hundredths: 250, unit_price_ore: 40_000, amount_ore: 100_000 },
        { position: 2, description: 'Röjning av stig', quantity_hundredths: null, unit_price_ore: null, amount_ore: 25_050 },
        {
          position: 3,
          description: 'Utlägg: Bensin till snöslungan',
          quantity_hundredths: null,
          unit_price_ore: null,
          amount_ore: 12_345,
        },
      ]);
    });

    it('when the PDF is read as text, then every field ML 17 kap. 24 § asks for is there, in Swedish with å, ä and ö', async () => {
      const document = (await loadInvoiceDocument(ctx.db, invoiceId))!;
      const text = await pdfText(await renderInvoicePdf(document));
      const required = [
        `Faktura A-${number}`,
        `Fakturanummer A-${number}`,
        'Fakturadatum 2026-03-10', // date of issue
        'Förfallodatum 2026-04-09',
        `OCR-nummer ${document.invoice.ocr}`,
        'Tid för tjänsten 2026-03-02 – 2026-03-06', // when
        'Avser Snöskottning vid bygdegården', // what
        'Vår referens Åsa Öberg',
        // the seller: name, address, VAT number, F-skatt
        'Säljare',
        'Bygdens Egenanställning ek. för.',
        'Storgatan 12',
        '923 31 Storuman',
        'Organisationsnummer 769623-7614',
        'Momsregistreringsnummer SE769623761401',
        'Godkänd för F-skatt',
        'Bankgiro 5678-1234',
        // the buyer: name and address
        'Köpare',
        'Rusksele byaförening',
        'Byavägen 4',
        '923 98 Rusksele',
        'Organisationsnummer 802456-7891',
        // the lines
        'Snöskottning 2,5 tim 400,00 kr 1 000,00 kr',
        'Röjning av stig 250,50 kr',
        'Utlägg: Bensin till snöslungan 123,45 kr',
        // amount excl. VAT per rate, the rate, VAT in SEK, the total
        'Summa exkl. moms, momssats 25 % 1 373,95 kr',
        'Moms 25 % 343,49 kr',
        'Att betala 1 717,44 kr',
        `Betala 1 717,44 kr till bankgiro 5678-1234 senast 2026-04-09. Ange OCR-nummer ${document.invoice.ocr}`,
      ];
      for (const phrase of required) expect(text, phrase).to.include(phrase);
      expect(text, 'no personnummer').not.to.match(/\b(19|20)\d{6}-?\d{4}\b/);
    });

    it('when the PDF is rendered again from the rows, then the bytes are the ones mailed', async () => {
      const attachment = (await ctx
        .db('mail_attachments as a')
        .join('mails as m', 'm.id', 'a.mail_id')
        .where('a.filename', `Faktura A-${number}.pdf`)
        .first('a.content', 'a.filename', 'a.content_type', 'm.to_address', 'm.subject', 'm.text_body')) as {
        content: Buffer;
        filename: string;
        content_type: string;
        to_address: string;
        subject: string;
        text_body: string;
      };
      const invoice = (await ctx.db('invoices').where({ id: invoiceId }).first('buyer_email', 'ocr')) as {
        buyer_email: string;
        ocr: string;
      };
      expect(attachment).to.include({
        filename: `Faktura A-${number}.pdf`,
        content_type: 'application/pdf',
        to_address: invoice.buyer_email,
      });
      expect(attachment.subject).to.equal(`Faktura A-${number} från Bygdens Egenanställning ek. för.`);
      expect(attachment.text_body).to.include('Att betala: 1 717,44 kr senast 9 april 2026.');
      expect(attachment.text_body).to.include(`Ange OCR-nummer ${invoice.ocr} när du betalar.`);
      expect(attachment.text_body).to.include(`http://uppdragsbanken.test/organisationer/${basis.organisationSlug}/fakturor`);
      const again = await renderInvoicePdf((await loadInvoiceDocument(ctx.db, invoiceId))!);
      expect(again.equals(attachment.content)).to.equal(true);
    });

    it('when the invoice is changed or deleted in the database, then it refuses; only the payment state moves', async () => {
      for (const change of [
        ctx.db('invoices').where({ id: invoiceId }).update({ total_ore: 1 }),
        ctx.db('invoices').where({ id: invoiceId }).update({ buyer_name: 'Någon annan' }),
        ctx.db('invoices').where({ id: invoiceId }).delete(),
        ctx.db('invoice_lines').where({ invoice_id: invoiceId }).update({ amount_ore: 1 }),
        ctx.db('invoice_lines').where({ invoice_id: invoiceId }).delete(),
      ]) {
        const error = await refusal(change);
        expect(error?.message).to.match(/never (changed|deleted)/);
      }
      const undone = await refusal(
        ctx.db.transaction(async (trx) => {
          await trx('invoices').where({ id: invoiceId }).update({ status: 'paid', paid_at: new Date() });
          expect(await trx('invoices').where({ id: invoiceId }).first('status')).to.deep.equal({ status: 'paid' });
          throw new Error('undone'); // leave it unpaid for the tests below
        }),
      );
      expect(undone?.message).to.equal('undone');
      const row = (await ctx.db('invoices').where({ id: invoiceId }).first('total_ore', 'status')) as {
        total_ore: number;
        status: string;
      };
      expect(row).to.deep.equal({ total_ore: 171_744, status: 'unpaid' });
    });

    it('when the basis is issued again, then 409 and no second invoice', async () => {
      const error = await refusal(issue(ctx.db, basis.basisId));
      expect(error).to.include({ status: 409, message: 'invoices.errors.alreadyInvoiced' });
      expect(await ctx.db('invoices').where({ basis_id: basis.basisId, kind: 'invoice' })).to.have.length(1);
    });
  });

  it('when the mail job runs with SMTP, then the PDF arrives attached; /dev/mail lists its name', async () => {
    const received: string[] = [];
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const basis = await createApprovedBasis(ctx.db, { organisationName: 'Ängesbyns IF' });
      const { invoiceId } = await issue(ctx.db, basis.basisId);
      const { number } = (await ctx.db('invoices').where({ id: invoiceId }).first('number')) as { number: number };
      await runOnce({
        connectionString: ctx.databaseUrl,
        taskList: mailTasks({
          db: ctx.db,
          smtpUrl: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
          from: mailSender(ctx.config),
          log: ctx.deps.log,
        }),
        logger: workerLogger(ctx.deps.log),
      });
      const raw = received.find((mail) => mail.includes(`A-${number}.pdf`));
      expect(raw, 'the invoice mail').not.to.equal(undefined);
      expect(raw).to.match(/Content-Type: application\/pdf; name="?Faktura A-\d+\.pdf"?/);
      expect(raw).to.match(/Content-Disposition: attachment; filename="?Faktura A-\d+\.pdf"?/);
      const base64 = /Content-Disposition: attachment[^\r]*\r\n(?:[^\r]+\r\n)*\r\n([A-Za-z0-9+/=\r\n]+)/.exec(raw!)?.[1];
      expect(Buffer.from(base64!.replace(/\s+/g, ''), 'base64').subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(
      await ctx.db.raw(`SELECT 1 FROM graphile_worker.jobs WHERE task_identifier = ?`, [SEND_MAIL_TASK]),
    ).to.have.nested.property('rows.length', 0);
    const list = await request(ctx.app).get('/dev/mail').expect(200);
    expect(list.text).to.match(/Faktura A-\d+\.pdf/);
    const mailId = ((await ctx.db('mails').where({ template: 'invoice' }).orderBy('id').first('id')) as { id: number }).id;
    const page = await request(ctx.app).get(`/dev/mail/${mailId}`).expect(200);
    expect(page.text).to.match(/<dt>Bilagor<\/dt><dd>Faktura A-\d+\.pdf<\/dd>/);
  });

  it('when the organisation has no billing address, then the invoice goes to its admin', async () => {
    const basis = await createApprovedBasis(ctx.db, { billingEmail: null, address: '' });
    const { invoiceId } = await issue(ctx.db, basis.basisId);
    const invoice = (await ctx.db('invoices').where({ id: invoiceId }).first('buyer_email', 'buyer_address')) as {
      buyer_email: string;
      buyer_address: string;
    };
    expect(invoice.buyer_email).to.equal(basis.memberEmail);
    expect(invoice.buyer_address, 'no address given: the municipality').to.equal('Lycksele');
    expect(await ctx.db('mails').where({ template: 'invoice', to_address: basis.memberEmail }).first('id')).not.to.equal(
      undefined,
    );
  });

  it('when VAT is 0 %, then the PDF prints why and the invoice has no VAT', async () => {
    const basis = await createApprovedBasis(ctx.db, {
      vatBp: 0,
      vatReason: 'Undantag från skatteplikt enligt 10 kap. 45 § mervärdesskattelagen',
    });
    const { invoiceId } = await issue(ctx.db, basis.basisId);
    const document = (await loadInvoiceDocument(ctx.db, invoiceId))!;
    expect(document.invoice).to.include({ vat_bp: 0, vat_ore: 0, total_ore: 100_000 });
    const text = await pdfText(await renderInvoicePdf(document));
    expect(text).to.include('Särskilda upplysningar');
    expect(text).to.include('Ingen moms tas ut: Undantag från skatteplikt enligt 10 kap. 45 § mervärdesskattelagen');
    expect(text).to.include('Moms 0 % 0,00 kr');
  });

  it('when the basis is not approved, or the operator has no settings on the date, then 409 and no number is used', async () => {
    const submitted = await createApprovedBasis(ctx.db, { status: 'submitted' });
    expect(await refusal(issue(ctx.db, submitted.basisId))).to.include({ status: 409, message: 'invoices.errors.notApproved' });
    const approved = await createApprovedBasis(ctx.db);
    expect(await refusal(issue(ctx.db, approved.basisId, '2025-12-31'))).to.include({
      status: 409,
      message: 'invoices.errors.noOperatorSettings',
    });
    expect(await refusal(issue(ctx.db, 999_999_999))).to.include({ status: 404 });
    const counter = (await ctx.db('invoice_number_counters').where({ series: 'A' }).first('next_number')) as {
      next_number: number;
    };
    const { number } = await issue(ctx.db, approved.basisId);
    expect(number).to.equal(counter.next_number);
  });

  describe('credit notes', () => {
    it('when an invoice is credited in whole, then a credit note mirrors it with its own number and the original is credited', async () => {
      const basis = await createApprovedBasis(ctx.db, { ...fullBasis, organisationNumber: null });
      const original = await issue(ctx.db, basis.basisId);
      const credit = await inTransaction(ctx.db, (trx) =>
        issueCreditNote(trx, original.invoiceId, { reason: 'Fel timpris' }, '2026-03-20'),
      );
      expect(credit.number).to.equal(original.number + 1);
      const { invoice, lines } = (await loadInvoiceDocument(ctx.db, credit.invoiceId))!;
      expect(invoice).to.include({
        kind: 'credit_note',
        series: 'A',
        credits_invoice_id: original.invoiceId,
        basis_id: basis.basisId,
        invoice_date: '2026-03-20',
        amount_excl_vat_ore: -137_395,
        vat_ore: -34_349,
        total_ore: -171_744,
        expenses_ore: -12_345,
        fee_ore: -8_244,
        status: 'credited',
        credit_reason: 'Fel timpris',
        buyer_name: 'Rusksele byaförening',
      });
      expect(isValidOcrReference(invoice.ocr, { lengthDigit: true })).to.equal(true);
      expect(lines.map((line) => [line.quantity_hundredths, line.amount_ore])).to.deep.equal([
        [-250, -100_000],
        [null, -25_050],
        [null, -12_345],
      ]);
      expect(await ctx.db('invoices').where({ id: original.invoiceId }).first('status')).to.deep.equal({ status: 'credited' });

      const text = await pdfText(await renderInvoicePdf((await loadInvoiceDocument(ctx.db, credit.invoiceId))!));
      expect(text).to.include(`Kreditfaktura A-${credit.number}`);
      expect(text).to.include(`Kreditfakturan ändrar faktura A-${original.number} daterad 2026-03-10.`);
      expect(text).to.include('Orsak: Fel timpris');
      expect(text).to.include('Att kreditera −1 717,44 kr');
      const mail = (await ctx
        .db('mails as m')
        .join('mail_attachments as a', 'a.mail_id', 'm.id')
        .where('a.filename', `Kreditfaktura A-${credit.number}.pdf`)
        .first('m.subject')) as { subject: string } | undefined;
      expect(mail?.subject).to.equal(`Kreditfaktura A-${credit.number} från Bygdens Egenanställning ek. för.`);

      expect(
        await refusal(inTransaction(ctx.db, (trx) => issueCreditNote(trx, original.invoiceId, { reason: 'Igen' }, '2026-03-21'))),
      ).to.include({ status: 409, message: 'invoices.errors.alreadyCredited' });
      expect(
        await refusal(
          inTransaction(ctx.db, (trx) => issueCreditNote(trx, credit.invoiceId, { reason: 'Kredit av kredit' }, '2026-03-21')),
        ),
      ).to.include({ status: 409, message: 'invoices.errors.notAnInvoice' });
    });

    it('when an invoice is credited in part, then one negative line; the status moves only when nothing is left', async () => {
      const basis = await createApprovedBasis(ctx.db); // 1 000,00 kr excl. VAT
      const original = await issue(ctx.db, basis.basisId);
      const credit = (amount: number, reason = 'Kortare arbetstid än fakturerat') =>
        inTransaction(ctx.db, (trx) =>
          issueCreditNote(trx, original.invoiceId, { reason, amountExclVatOre: ore(amount) }, '2026-03-12'),
        );

      const first = await credit(30_000);
      const { invoice, lines } = (await loadInvoiceDocument(ctx.db, first.invoiceId))!;
      expect(invoice).to.include({
        amount_excl_vat_ore: -30_000,
        vat_ore: -7_500,
        total_ore: -37_500,
        expenses_ore: 0,
        fee_ore: -1_800,
      });
      expect(lines).to.deep.equal([
        {
          position: 1,
          description: `Delkreditering av faktura A-${original.number}`,
          quantity_hundredths: null,
          unit_price_ore: null,
          amount_ore: -30_000,
        },
      ]);
      expect(await ctx.db('invoices').where({ id: original.invoiceId }).first('status')).to.deep.equal({ status: 'unpaid' });

      for (const [amount, reason, field] of [
        [70_001, 'För mycket', 'amount'],
        [0, 'Inget', 'amount'],
        [-5, 'Negativt', 'amount'],
        [100, '   ', 'reason'],
        [100, 'x'.repeat(501), 'reason'],
      ] as const) {
        const error = await refusal(credit(amount, reason));
        expect(error?.status, `${amount} ${reason.slice(0, 10)}`).to.equal(400);
        expect(error?.fields).to.have.property(field);
      }
      const early = await refusal(
        inTransaction(ctx.db, (trx) => issueCreditNote(trx, original.invoiceId, { reason: 'Tidigt' }, '2026-03-01')),
      );
      expect(early?.fields).to.have.property('date');

      await credit(70_000);
      expect(await ctx.db('invoices').where({ id: original.invoiceId }).first('status')).to.deep.equal({ status: 'credited' });
    });
  });

  describe('pages and PDF downloads', () => {
    let basis: Awaited<ReturnType<typeof createApprovedBasis>>;
    let invoiceId: number;

    before(async () => {
      basis = await createApprovedBasis(ctx.db, { organisationName: 'Gäddträsk byalag', assignmentTitle: 'Måla bygdegården' });
      ({ invoiceId } = await issue(ctx.db, basis.basisId));
    });

    it("when a member opens the organisation's invoices, then the invoice is listed with its PDF; the PDF downloads", async () => {
      const { agent } = await logInAs(ctx.app, basis.memberEmail);
      const page = await agent.get(`/organisationer/${basis.organisationSlug}/fakturor`).expect(200);
      expect(page.headers['cache-control']).to.equal('no-store');
      expect(page.text).to.include('Fakturor till Gäddträsk byalag');
      expect(page.text).to.include('Måla bygdegården');
      expect(page.text).to.match(/1\s250,00\skr/);
      expect(page.text).to.include(`href="/fakturor/${invoiceId}/pdf"`);
      const pdf = await agent
        .get(`/fakturor/${invoiceId}/pdf`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(pdf.status).to.equal(200);
      expect(pdf.headers['content-type']).to.equal('application/pdf');
      expect(pdf.headers['cache-control']).to.equal('no-store');
      expect(pdf.headers['content-disposition']).to.match(
        /^attachment; filename="Faktura_A-\d+\.pdf"; filename\*=UTF-8''Faktura%20A-\d+\.pdf$/,
      );
      expect(await pdfText(pdf.body as Buffer)).to.include('Gäddträsk byalag');
    });

    it('when the worker opens their invoices, then this one is listed; payroll may download it; others get 404', async () => {
      const worker = await logInAs(ctx.app, basis.workerEmail);
      const page = await worker.agent.get('/konto/fakturor').expect(200);
      expect(page.text).to.include('Mina fakturor');
      expect(page.text).to.include('Gäddträsk byalag');
      await worker.agent.get(`/fakturor/${invoiceId}/pdf`).expect(200);

      const payrollUser = await createUser(ctx.db);
      await ctx.db('payroll_staff').insert({ user_id: payrollUser.id });
      await (await logInAs(ctx.app, payrollUser.email)).agent.get(`/fakturor/${invoiceId}/pdf`).expect(200);

      const other = await createApprovedBasis(ctx.db);
      const stranger = await logInAs(ctx.app, other.memberEmail);
      await stranger.agent.get(`/fakturor/${invoiceId}/pdf`).expect(404);
      await stranger.agent.get(`/organisationer/${basis.organisationSlug}/fakturor`).expect(403);
      const otherWorker = await logInAs(ctx.app, other.workerEmail);
      const ownList = await otherWorker.agent.get('/konto/fakturor').expect(200);
      expect(ownList.text).to.include('Inga fakturor ännu.');
      await otherWorker.agent.get(`/fakturor/${invoiceId}/pdf`).expect(404);
      for (const bad of ['abc', '0', '1e9', '-5', '999999999999999', '9'.repeat(30)])
        await otherWorker.agent.get(`/fakturor/${bad}/pdf`).expect(404);

      const visitor = await request(ctx.app).get(`/fakturor/${invoiceId}/pdf`).expect(303);
      expect(visitor.headers.location).to.match(/^\/logga-in\?next=/);
    });
  });
});
