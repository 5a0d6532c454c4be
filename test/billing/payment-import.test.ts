import { expect } from 'chai';
import { formatMoney, ore } from '../../src/platform/money.js';
import { BgMaxError, decodeBgMax, parseBgMax } from '../../src/modules/billing/payments-bgmax.js';
import { createOrganisation } from '../support/factories.js';
import { bgmaxFile, createInvoiceF, latin1, makePayroll, type TestInvoice } from '../support/billing-factories-f.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, postForm, type LoggedIn } from '../support/users.js';

// Bankgirot's BgMax file of incoming payments: read by its published record layout, matched to unpaid invoices by
// OCR, unmatched payments listed for payroll to match by hand, malformed files refused with a message beside the
// file field, and the same file twice registering nothing twice.

const refusal = (text: string) => {
  try {
    parseBgMax(text);
  } catch (error) {
    if (error instanceof BgMaxError) return { key: error.key.replace('payroll.import.errors.', ''), line: error.line };
    throw error;
  }
  throw new Error('parsed without a refusal');
};

describe('BgMax file: the parser', () => {
  it('when a file holds two deposits, then each payment has its reference, amount in öre, line and its deposit’s date', () => {
    const text = bgmaxFile([
      {
        date: '2026-12-03',
        payments: [
          { reference: '12351', amountOre: 125_000 },
          { reference: 'Faktura 12', amountOre: 50 },
        ],
      },
      { date: '2026-12-04', payments: [{ reference: '1230', amountOre: 99_999_99 }] },
    ]);
    expect(parseBgMax(text)).to.deep.equal({
      createdAt: '20261204073035',
      payments: [
        { line: 3, reference: '12351', amount: 125_000, paidOn: '2026-12-03' },
        { line: 5, reference: 'Faktura12', amount: 50, paidOn: '2026-12-03' },
        { line: 9, reference: '1230', amount: 99_999_99, paidOn: '2026-12-04' },
      ],
    });
  });

  it('when a record is read, then the fields are at the manual’s positions (TK20: reference 13–37, amount 38–55)', () => {
    const payment = `200003783511${' '.repeat(19)}655969000000000000100000220000000000100`.padEnd(80);
    const text = [
      '01BGMAX               0120261204073035010331P'.padEnd(80),
      '050009912346          SEK'.padEnd(80),
      payment,
      `15${'00000000000000000005841000001009823'}20261204${'00074'}000000000000100000SEK00000001 `,
      '7000000001000000000000000000000001'.padEnd(80),
    ].join('\n');
    expect(parseBgMax(text).payments).to.deep.equal([{ line: 3, reference: '655969', amount: 100_000, paidOn: '2026-12-04' }]);
  });

  it('when names hold å/ä/ö in ISO 8859-1, then the file decodes and parses', () => {
    const bytes = latin1(bgmaxFile([{ date: '2026-12-03', payments: [{ reference: '1230', amountOre: 100 }] }]));
    expect(decodeBgMax(bytes)).to.include('Betalande förening');
    expect(parseBgMax(decodeBgMax(bytes)).payments).to.have.length(1);
  });

  const good = bgmaxFile([{ date: '2026-12-03', payments: [{ reference: '1230', amountOre: 100 }] }]);
  const lines = good.split('\r\n');
  const withLine = (index: number, record: string) => lines.map((line, i) => (i === index ? record : line)).join('\r\n');
  const cases: Array<[string, string, { key: string; line?: number }]> = [
    ['a CSV file', 'datum;ocr;belopp\n2026-12-03;1230;1,00\n', { key: 'notBgMax', line: 1 }],
    ['an empty text', '', { key: 'notBgMax', line: 1 }],
    [
      'a test file from the bank',
      bgmaxFile([{ date: '2026-12-03', payments: [] }], { testMark: 'T' }),
      { key: 'testFile', line: 1 },
    ],
    ['a start record without a timestamp', withLine(0, '01BGMAX               01'), { key: 'malformedRecord', line: 1 }],
    ['no end record (cut short)', lines.slice(0, -2).join('\r\n'), { key: 'noEnd' }],
    [
      'an amount with letters',
      withLine(2, lines[2]!.slice(0, 37) + '00000000000000ABCD' + lines[2]!.slice(55)),
      { key: 'amount', line: 3 },
    ],
    ['an amount of zero', withLine(2, lines[2]!.slice(0, 37) + '0'.repeat(18) + lines[2]!.slice(55)), { key: 'amount', line: 3 }],
    [
      'a deposit on 30 February',
      withLine(4, lines[4]!.slice(0, 37) + '20260230' + lines[4]!.slice(45)),
      { key: 'date', line: 5 },
    ],
    ['euro', withLine(1, lines[1]!.slice(0, 22) + 'EUR' + lines[1]!.slice(25)), { key: 'currency', line: 2 }],
    [
      'a payment before any opening record',
      [lines[0], lines[2], ...lines.slice(1)].join('\r\n'),
      { key: 'outsideSection', line: 2 },
    ],
    [
      'an end record that counts another number of payments',
      withLine(5, '70' + '00000002' + lines[5]!.slice(10)),
      { key: 'counts', line: 6 },
    ],
    ['text after the end record', `${good}garbage\r\n`, { key: 'afterEnd', line: 7 }],
    ['a control character', good.replace('Betalande', 'Beta\u0001lande'), { key: 'notText' }],
    ['a record of no known shape', withLine(3, 'XX<script>'), { key: 'malformedRecord', line: 4 }],
  ];
  for (const [what, text, expected] of cases) {
    it(`when the file is ${what}, then it is refused (${expected.key})`, () => {
      expect(refusal(text)).to.deep.equal({ key: expected.key, line: expected.line });
    });
  }
});

describe('BgMax file: the import on /lon', () => {
  const ctx = useTestApp();
  let payroll: LoggedIn;
  let resident: LoggedIn;
  let organisationId: number;
  let paidInFull: TestInvoice;
  let paidInPart: TestInvoice;
  let alreadyPaid: TestInvoice;

  const upload = (client: LoggedIn, bytes: Buffer, filename = 'bgmax.txt') =>
    client.agent.post(`/lon/bankfil?_csrf=${encodeURIComponent(client.csrf)}`).attach('file', bytes, filename);
  const payments = () =>
    ctx.db('payments').orderBy('id').select('invoice_id', 'amount_ore', 'reference', 'paid_on', 'source', 'import_line');

  before(async () => {
    const payrollUser = await createUser(ctx.db);
    await makePayroll(ctx.db, payrollUser.id);
    payroll = await logInAs(ctx.app, payrollUser.email);
    resident = await logInAs(ctx.app, (await createUser(ctx.db)).email);
    organisationId = (await createOrganisation(ctx.db)).id;
    paidInFull = await createInvoiceF(ctx.db, { organisationId });
    paidInPart = await createInvoiceF(ctx.db, { organisationId });
    alreadyPaid = await createInvoiceF(ctx.db, { organisationId, status: 'paid' });
  });

  const file = () =>
    latin1(
      bgmaxFile([
        {
          date: '2026-12-03',
          payments: [
            { reference: paidInFull.ocr, amountOre: 125_000 },
            { reference: paidInPart.ocr, amountOre: 25_000 },
            { reference: 'Faktura maj', amountOre: 12_345 },
          ],
        },
        { date: '2026-12-04', payments: [{ reference: alreadyPaid.ocr, amountOre: 125_000 }] },
      ]),
    );

  it('when someone else than payroll uploads a file, then the area does not exist (404) and nothing is read', async () => {
    await upload(resident, file()).expect(404);
    expect(await payments()).to.have.length(0);
  });

  it('when payroll imports the file, then payments with an unpaid invoice’s OCR are matched and the rest wait for a hand', async () => {
    const res = await upload(payroll, file()).expect(303);
    expect(res.headers.location).to.match(/^\/lon\?done=imported&import=\d+$/);
    expect(await payments()).to.deep.equal([
      {
        invoice_id: paidInFull.id,
        amount_ore: 125_000,
        reference: paidInFull.ocr,
        paid_on: '2026-12-03',
        source: 'bgmax',
        import_line: 3,
      },
      {
        invoice_id: paidInPart.id,
        amount_ore: 25_000,
        reference: paidInPart.ocr,
        paid_on: '2026-12-03',
        source: 'bgmax',
        import_line: 5,
      },
      { invoice_id: null, amount_ore: 12_345, reference: 'Fakturamaj', paid_on: '2026-12-03', source: 'bgmax', import_line: 7 },
      // An invoice that is paid already waits for nobody: its payment is for payroll to look at.
      {
        invoice_id: null,
        amount_ore: 125_000,
        reference: alreadyPaid.ocr,
        paid_on: '2026-12-04',
        source: 'bgmax',
        import_line: 11,
      },
    ]);
    expect(await ctx.db('invoices').whereIn('id', [paidInFull.id, paidInPart.id]).orderBy('id').pluck('status')).to.deep.equal([
      'paid',
      'unpaid',
    ]);
    const jobs = await ctx.db.raw(`SELECT key FROM graphile_worker.jobs WHERE task_identifier = 'invoice_paid'`);
    expect(jobs.rows).to.deep.equal([{ key: `invoice_paid:${paidInFull.id}` }]);

    const page = await payroll.agent.get(String(res.headers.location)).expect(200);
    expect(page.text).to.include('Filen är inläst.');
    expect(page.text).to.include(
      `Filen hade 4 betalningar på sammanlagt ${formatMoney(ore(287_345))}: 2 kopplades till fakturor och 2 väntar`,
    );
    const unmatched = page.text.slice(page.text.indexOf('id="unmatched-heading"'), page.text.indexOf('id="overdue-heading"'));
    expect(unmatched).to.include('Fakturamaj');
    expect(unmatched).to.include(formatMoney(ore(12_345)));
    expect(unmatched).to.include('bgmax-20261204073035.txt, rad 7');
    expect(unmatched).to.match(/action="\/lon\/betalningar\/\d+\/koppla"/);
  });

  it('when the same file is imported again, then nothing is registered twice and the page says so', async () => {
    const before = await payments();
    const res = await upload(payroll, file(), 'same-file-other-name.txt').expect(303);
    expect(res.headers.location).to.match(/^\/lon\?done=alreadyImported&import=\d+$/);
    expect(await payments()).to.deep.equal(before);
    expect(await ctx.db('payment_imports')).to.have.length(1);
    const page = await payroll.agent.get(String(res.headers.location)).expect(200);
    expect(page.text).to.include('Den här filen är redan inläst. Inga betalningar har registrerats en gång till.');
  });

  it('when one new file is sent twice at the same moment, then it is imported once', async () => {
    const bytes = latin1(bgmaxFile([{ date: '2026-12-05', payments: [{ reference: 'Samtidigt', amountOre: 700 }] }]));
    const answers = await Promise.all([upload(payroll, bytes), upload(payroll, bytes)]);
    expect(answers.map((answer) => answer.status)).to.deep.equal([303, 303]);
    expect(answers.map((answer) => /done=(\w+)/.exec(String(answer.headers.location))![1]).sort()).to.deep.equal([
      'alreadyImported',
      'imported',
    ]);
    expect(await ctx.db('payments').where('reference', 'Samtidigt')).to.have.length(1);
  });

  it('when payroll matches an unmatched payment to the partly paid invoice, then it counts toward it', async () => {
    const [unmatched] = await ctx.db('payments').where('reference', 'Fakturamaj').pluck('id');
    await postForm(payroll, `/lon/betalningar/${unmatched}/koppla`, { invoice: String(paidInPart.id) }).expect(
      303,
      /done=partial/,
    );
    expect(await ctx.db('payments').where('id', unmatched).first('invoice_id')).to.deep.equal({ invoice_id: paidInPart.id });
    // Matched once: a second try finds no unmatched payment by that id.
    await postForm(payroll, `/lon/betalningar/${unmatched}/koppla`, { invoice: String(paidInFull.id) }).expect(404);
  });

  it('when the match form names no invoice or one that does not exist, then 400 beside that payment’s field, choice kept', async () => {
    const [unmatched] = await ctx.db('payments').where('reference', alreadyPaid.ocr).pluck('id');
    const empty = await postForm(payroll, `/lon/betalningar/${unmatched}/koppla`, { invoice: '' }).expect(400);
    expect(empty.text).to.match(new RegExp(`<p class="field-error" id="assign-${unmatched}-error">Välj en faktura`));
    const missing = await postForm(payroll, `/lon/betalningar/${unmatched}/koppla`, { invoice: '<b>9</b>' }).expect(400);
    expect(missing.text).to.include(`id="assign-${unmatched}-error">Fakturan finns inte`);
    expect(missing.text).to.include(`aria-describedby="assign-${unmatched}-error"`);
    await postForm(payroll, '/lon/betalningar/not-a-number/koppla', { invoice: String(paidInPart.id) }).expect(404);
    expect(await ctx.db('payments').where('id', unmatched).first('invoice_id')).to.deep.equal({ invoice_id: null });
  });

  describe('refused files', () => {
    const refusedCases: Array<[string, Buffer, string]> = [
      ['a CSV file', Buffer.from('datum;ocr;belopp\n2026-12-03;1230;1,00\n'), 'Filen är ingen BgMax-fil'],
      [
        'a file cut short',
        latin1(
          bgmaxFile([{ date: '2026-12-03', payments: [{ reference: '1230', amountOre: 100 }] }])
            .split('\r\n')
            .slice(0, 4)
            .join('\r\n'),
        ),
        'Filen saknar slutpost',
      ],
      [
        'a bad amount',
        latin1(
          bgmaxFile([{ date: '2026-12-03', payments: [{ reference: '1230', amountOre: 100 }] }]).replace(
            '000000000000000100',
            '0000000000000001,0',
          ),
        ),
        'Ett belopp i filen är inte ett belopp i öre. (rad 3)',
      ],
      [
        'a PNG image',
        Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'),
        'Filen ska vara en textfil',
      ],
      ['binary bytes with NUL', Buffer.from([0x30, 0x31, 0x00, 0x42]), 'Filen ska vara en textfil'],
    ];
    for (const [what, bytes, message] of refusedCases) {
      it(`when payroll uploads ${what}, then 400 with the message beside the file field and nothing is stored`, async () => {
        const imports = (await ctx.db('payment_imports')).length;
        const res = await upload(payroll, bytes).expect(400);
        expect(res.text).to.match(/<p class="field-error" id="file-error">/);
        expect(res.text).to.include(message);
        expect(res.text).to.include('aria-describedby="file-hint file-error"');
        expect((await ctx.db('payment_imports')).length).to.equal(imports);
      });
    }

    it('when no file is sent, then 400 asking for one', async () => {
      const res = await postForm(payroll, '/lon/bankfil', {}).expect(400);
      expect(res.text).to.include('Välj en fil.');
    });
  });

  it('when the queue page shows dates and amounts, then they are Swedish', async () => {
    const page = await payroll.agent.get('/lon').expect(200);
    expect(page.text).to.include('<time datetime="2026-12-04">4 december 2026</time>');
  });
});
