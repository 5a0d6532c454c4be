import { DOMParser } from '@xmldom/xmldom';
import { expect } from 'chai';
import fs from 'node:fs/promises';
import type { Download, Page } from 'playwright-core';
import { getDocumentProxy, extractText } from 'unpdf';
import { COMPONENT_NAMESPACE } from '../../src/modules/billing/declaration-xml.js';
import { issueInvoice } from '../../src/modules/billing/invoices.js';
import { decodeCp437 } from '../../src/modules/billing/ledger-cp437.js';
import { todayInStockholm } from '../../src/platform/calendar.js';
import { inTransaction } from '../../src/platform/db.js';
import { formatMoney, ore } from '../../src/platform/money.js';
import { accessibilityViolations, BROWSER_TEST_TIMEOUT_MS, clickAndLoad, logInWithForm, useBrowser } from '../support/browser.js';
import { createApprovedBasis } from '../support/billing-factories-d.js';
import { ensureOperatorSettings } from '../support/billing-factories-e.js';
import { useTestApp } from '../support/test-app.js';
import { createUser } from '../support/users.js';

// Payroll in a real browser (issue 12), where test/browser/billing.test.ts ends: payroll registers the payment that
// pays the invoice in full, the salary job computes the salary, payroll pays it out (by keyboard), the worker
// downloads the payslip, and payroll downloads the month's employer declaration and the period's SIE file. The
// approved basis comes from a factory (its flow is billing.test.ts's); the worker activates the account through
// the form, so the personnummer is sealed as in production and the declaration can open it. axe checks every
// page; no page may log a console error.

/** A test personnummer (Skatteverket's series for tests: serial 98xx); the check digit is right. */
const PERSONAL_NUMBER = '19850709-9805';
const MASKED_PERSONAL_NUMBER = '19850709-****';
const ASSIGNMENT_TITLE = 'Röja sly längs skoterleden';

/** Spaces of every kind (the no-break ones of Swedish amounts too) folded to one, for comparing text. */
const folded = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
const kr = (amountOre: number) => folded(formatMoney(ore(amountOre), 'sv'));

async function pdfText(bytes: Buffer): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes)); // a copy: pdf.js takes over its buffer
  const { text } = await extractText(pdf, { mergePages: true });
  return folded(text);
}

/** The XML parsed; any well-formedness error fails the test. */
function parseXml(text: string) {
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`Not well-formed XML: ${message}`);
    },
  }).parseFromString(text, 'text/xml');
  return (name: string) =>
    Array.from(document.getElementsByTagNameNS(COMPONENT_NAMESPACE, name)).map((element) => ({
      code: element.getAttribute('faltkod'),
      text: element.textContent,
    }));
}

interface SalaryRow {
  id: number;
  invoice_excl_vat_ore: number;
  contributions_ore: number;
  gross_ore: number;
  tax_ore: number;
  expenses_ore: number;
  net_ore: number;
  payout_date: string;
  paid_on: string | null;
}

describe('Browser: payment → salary → payout → payslip → employer declaration and SIE file', function () {
  this.timeout(2.5 * BROWSER_TEST_TIMEOUT_MS);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);

  const openPage = async (problems: string[]): Promise<Page> => {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  };
  const accessible = async (page: Page) => expect(await accessibilityViolations(page), page.url()).to.deep.equal([]);
  const downloaded = async (page: Page, link: ReturnType<Page['getByRole']>): Promise<{ download: Download; bytes: Buffer }> => {
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(await download.failure()).to.equal(null);
    return { download, bytes: await fs.readFile((await download.path())!) };
  };

  it('when payroll is paid, pays the salary and exports the month, then the worker has the payslip and every page is accessible', async () => {
    const problems: string[] = [];
    const base = browser.baseUrl;
    const today = todayInStockholm();
    const month = today.slice(0, 7);
    await ensureOperatorSettings(ctx.db);
    // 40 hours at 250 kr and a receipt: enough pay for the year's 1 000 kr, so contributions are due (field 011).
    const basis = await createApprovedBasis(ctx.db, {
      workerName: 'Vera Arbetare',
      assignmentTitle: ASSIGNMENT_TITLE,
      lines: [{ description: 'Slyröjning', hundredths: 4000, unitPriceOre: 25_000, amountOre: 1_000_000 }],
      expenses: [{ description: 'Kedjeolja', amountOre: 8_950 }],
    });
    const payroll = await createUser(ctx.db, { name: 'Lena Lön' });
    await ctx.db('payroll_staff').insert({ user_id: payroll.id });

    // --- The worker activates the enterprise account; the approved basis is invoiced -------------------
    const workerPage = await openPage(problems);
    await logInWithForm(workerPage, base, basis.workerEmail);
    await workerPage.goto(`${base}/konto/egenanstallning`);
    await workerPage.getByLabel('Personnummer eller samordningsnummer').fill(PERSONAL_NUMBER);
    await workerPage.getByLabel('Clearingnummer').fill('6789');
    await workerPage.getByLabel('Kontonummer').fill('123456789');
    await workerPage.getByRole('radio', { name: /Sidoinkomst/ }).check();
    await workerPage.getByLabel('Jag har läst och godkänner villkoren').check();
    await workerPage.getByRole('button', { name: 'Aktivera kontot' }).click();
    await workerPage.waitForURL(/\/konto\/egenanstallning\?done=activated$/);
    const { invoiceId } = await inTransaction(ctx.db, (trx) => issueInvoice(trx, basis.basisId, today));
    const invoice = await ctx.db('invoices').where('id', invoiceId).first<{ total_ore: string }>('total_ore');

    // --- Payroll registers the payment; the salary job computes the salary ---------------------------
    const payrollPage = await openPage(problems);
    await logInWithForm(payrollPage, base, payroll.email);
    await payrollPage.goto(`${base}/lon`);
    await accessible(payrollPage);
    const total = Number(invoice.total_ore);
    await payrollPage.getByLabel('Faktura', { exact: true }).selectOption(String(invoiceId));
    await payrollPage
      .getByLabel('Belopp', { exact: true })
      .fill(`${Math.trunc(total / 100)},${String(total % 100).padStart(2, '0')}`);
    await payrollPage.getByLabel('Betalningsdag').fill(today);
    await payrollPage.getByRole('button', { name: 'Registrera betalningen' }).click();
    await payrollPage.waitForURL(/done=paid/);
    await accessible(payrollPage);

    await ctx.runJobs(); // the invoice_paid job the payment enqueued, as the worker process would run it
    const salary = await ctx.db('salaries').where('invoice_id', invoiceId).first<SalaryRow>();
    expect(salary, 'the salary job recorded no salary').to.not.equal(undefined);
    expect(salary).to.include({ invoice_excl_vat_ore: 1_008_950, expenses_ore: 8_950, payout_date: today, paid_on: null });
    expect(salary.contributions_ore).to.be.above(0);
    expect(salary.net_ore).to.equal(salary.gross_ore - salary.tax_ore + salary.expenses_ore);

    // --- Payroll pays the salary out and marks it paid, by keyboard alone --------------------------------------
    await clickAndLoad(payrollPage.getByRole('link', { name: 'Lön: löner att betala ut' }));
    expect(payrollPage.url()).to.equal(`${base}/lon/loner`);
    await accessible(payrollPage);
    const row = payrollPage.getByRole('row', { name: /Vera Arbetare/ });
    expect(folded(await row.textContent()))
      .to.contain(kr(salary.net_ore))
      .and.contain('6789')
      .and.contain('123456789');
    const choice = payrollPage.getByRole('checkbox', { name: /^Utbetald: Vera Arbetare, / });
    await choice.focus();
    await payrollPage.keyboard.press('Space');
    expect(await choice.isChecked()).to.equal(true);
    await payrollPage.keyboard.press('Tab');
    expect(await payrollPage.evaluate(() => document.activeElement?.id)).to.equal('paidOn');
    await payrollPage.keyboard.press('ControlOrMeta+A');
    await payrollPage.keyboard.type(today);
    await payrollPage.keyboard.press('Enter');
    // Marking paid cannot be undone: a confirmation step names the salary and the total first.
    await payrollPage.getByRole('heading', { name: 'Markera 1 lön som utbetald?' }).waitFor();
    expect(folded(await payrollPage.textContent('main'))).to.contain(`Vera Arbetare: ${kr(salary.net_ore)}`);
    await accessible(payrollPage);
    await payrollPage.getByRole('button', { name: 'Ja, markera lönen som utbetald' }).focus();
    await payrollPage.keyboard.press('Enter');
    await payrollPage.waitForURL(/\/lon\/loner\?done=paid&count=1$/);
    expect(folded(await payrollPage.getByRole('status').locator('.notice-heading').textContent())).to.equal(
      '1 lön är markerad som utbetald.',
    );
    expect(await payrollPage.textContent('main')).to.contain('Det finns inga löner att betala ut.');
    await accessible(payrollPage);
    expect((await ctx.db('salaries').where('id', salary.id).first('paid_on')).paid_on).to.equal(today);

    // --- The worker opens the payslip ---------------------------------------------------------------
    await workerPage.goto(`${base}/konto/lonebesked`);
    await accessible(workerPage);
    const payslipRow = workerPage.getByRole('row', { name: new RegExp(ASSIGNMENT_TITLE) });
    expect(folded(await payslipRow.textContent()))
      .to.contain(kr(salary.gross_ore))
      .and.contain(kr(salary.tax_ore))
      .and.contain(kr(salary.net_ore));
    const payslipLink = payslipRow.getByRole('link', { name: /^Ladda ner PDF lönespecifikationen för utbetalningen / });
    const payslip = await downloaded(workerPage, payslipLink);
    expect(payslip.download.suggestedFilename()).to.match(/\.pdf$/);
    const response = await workerPage.request.get(new URL((await payslipLink.getAttribute('href'))!, base).href);
    expect(response.status()).to.equal(200);
    expect(response.headers()['content-type']).to.match(/^application\/pdf/);
    expect((await response.body()).equals(payslip.bytes)).to.equal(true);
    const payslipText = await pdfText(payslip.bytes);
    expect(payslipText)
      .to.contain(`Att få utbetalt ${kr(salary.net_ore)}`)
      .and.contain(`Personnummer ${MASKED_PERSONAL_NUMBER}`)
      .and.contain(`Uppdrag ${ASSIGNMENT_TITLE}`);
    expect(payslipText).not.to.match(/(19)?850709\s?[-+]?\s?\d{4}/);

    // --- Payroll downloads the month's employer declaration ---------------------------------------------
    await payrollPage.goto(`${base}/lon`);
    await clickAndLoad(payrollPage.getByRole('link', { name: 'Arbetsgivardeklaration' }));
    await accessible(payrollPage);
    await payrollPage.getByLabel('Månad', { exact: true }).fill(month);
    await clickAndLoad(payrollPage.getByRole('button', { name: 'Visa' }));
    expect(payrollPage.url()).to.equal(`${base}/lon/arbetsgivardeklaration?month=${month}`);
    await accessible(payrollPage);
    const cashPayKr = Math.floor(salary.gross_ore / 100);
    const taxKr = Math.floor(salary.tax_ore / 100);
    const individualRow = payrollPage.getByRole('row', { name: /Vera Arbetare/ });
    const individualText = (await individualRow.textContent())!.replace(/\s+/g, '');
    expect(individualText).to.contain(MASKED_PERSONAL_NUMBER).and.contain(`${cashPayKr}kr`).and.contain(`${taxKr}kr`);
    expect(await payrollPage.textContent('main')).not.to.contain(PERSONAL_NUMBER);
    const declaration = await downloaded(
      payrollPage,
      payrollPage.getByRole('link', { name: 'Ladda ner filen till Skatteverket (XML)' }),
    );
    expect(declaration.download.suggestedFilename()).to.equal(`arbetsgivardeklaration-${month.replace('-', '')}.xml`);
    const fields = parseXml(declaration.bytes.toString('utf8'));
    const period = month.replace('-', '');
    expect(fields('RedovisningsPeriod').map((field) => field.text)).to.deep.equal([period, period]);
    expect(fields('SummaArbAvgSlf')).to.deep.equal([{ code: '487', text: String(Math.floor(salary.contributions_ore / 100)) }]);
    expect(fields('SummaSkatteavdr')).to.deep.equal([{ code: '497', text: String(taxKr) }]);
    expect(fields('BetalningsmottagarId')).to.deep.equal([{ code: '215', text: PERSONAL_NUMBER.replace('-', '') }]);
    expect(fields('KontantErsattningUlagAG')).to.deep.equal([{ code: '011', text: String(cashPayKr) }]);
    expect(fields('AvdrPrelSkatt')).to.deep.equal([{ code: '001', text: String(taxKr) }]);
    expect(fields('Specifikationsnummer')).to.deep.equal([{ code: '570', text: String(salary.id) }]);

    // --- … and the period's SIE file --------------------------------------------------------------------------
    await payrollPage.goto(`${base}/lon`);
    await clickAndLoad(payrollPage.getByRole('link', { name: 'Lön: bokföring' }));
    await accessible(payrollPage);
    await clickAndLoad(payrollPage.getByRole('button', { name: 'Visa filerna' }));
    expect(payrollPage.url()).to.match(new RegExp(`/lon/bokforing\\?from=${month}-01&to=${month}-\\d\\d$`));
    await accessible(payrollPage);
    // The invoice, its payment, the salary and its payout.
    expect(await payrollPage.textContent('main')).to.contain('Perioden har 4 verifikationer.');
    const sie = await downloaded(payrollPage, payrollPage.getByRole('link', { name: 'SIE-fil (typ 4I, PC8)' }));
    expect(sie.download.suggestedFilename()).to.match(/\.se$/);
    const sieLines = decodeCp437(sie.bytes).split('\r\n');
    expect(sieLines[0]).to.equal('#FLAGGA 0');
    expect(sieLines.filter((line) => line.startsWith('#VER '))).to.have.length(4);
    const transactions = sieLines.filter((line) => /^\s+#TRANS /.test(line));
    expect(transactions.some((line) => /#TRANS 7010 /.test(line))).to.equal(true);

    expect(problems).to.deep.equal([]);
    await Promise.all([workerPage.close(), payrollPage.close()]);
  });
});
