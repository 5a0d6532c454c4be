import { expect } from 'chai';
import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { todayInStockholm } from '../../src/platform/calendar.js';
import { accessibilityViolations, BROWSER_TEST_TIMEOUT_MS, clickAndLoad, logInWithForm, useBrowser } from '../support/browser.js';
import { createBillingOrganisation, createWorkFor, ensureOperatorSettings } from '../support/billing-factories-e.js';
import { png } from '../support/files.js';
import { useTestApp } from '../support/test-app.js';
import { createUser } from '../support/users.js';

// Billing in a real browser (issue 11): a resident with accepted hourly work activates the simplified-enterprise
// account, writes a billing basis with a receipt and sends it; the organisation's member approves it and
// downloads the invoice as PDF; payroll registers the payment. axe checks every page of the way; no page may
// log a console error.

/** A test personnummer (Skatteverket's series for tests: serial 98xx); the check digit is right. */
const PERSONAL_NUMBER = '19850709-9805';

describe('Browser: activate → billing basis with a receipt → approve → invoice PDF → payment', function () {
  this.timeout(2.5 * BROWSER_TEST_TIMEOUT_MS);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);

  const openPage = async (problems: string[]): Promise<Page> => {
    const page = await browser.newPage();
    page.on('console', (message) => {
      // A form sent empty on purpose answers 400, which Chromium logs as a failed resource.
      if (message.type() === 'error' && !/status of 400/.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  };
  const accessible = async (page: Page) => expect(await accessibilityViolations(page), page.url()).to.deep.equal([]);

  it('when a worker, the organisation and payroll each do their part, then the invoice is paid and every page is accessible', async () => {
    const problems: string[] = [];
    const base = browser.baseUrl;
    await ensureOperatorSettings(ctx.db);
    const { organisation, member } = await createBillingOrganisation(ctx.db);
    const worker = await createUser(ctx.db, { name: 'Vera Arbetare' });
    const { assignmentId, applicationId } = await createWorkFor(ctx.db, organisation.id, worker.id, {
      compensationType: 'hourly',
      amountSek: 250,
    });
    await ctx.db('assignments').where('id', assignmentId).update({ title: 'Röja sly längs skoterleden' });
    const payroll = await createUser(ctx.db, { name: 'Lena Lön' });
    await ctx.db('payroll_staff').insert({ user_id: payroll.id });

    // --- The worker activates the account -------------------------------------------------
    const workerPage = await openPage(problems);
    await logInWithForm(workerPage, base, worker.email);
    await workerPage.goto(`${base}/konto/egenanstallning`);
    await accessible(workerPage);
    await workerPage.getByRole('button', { name: 'Aktivera kontot' }).click(); // empty: told beside each field
    await workerPage.locator('#personalNumber-error').waitFor();
    await accessible(workerPage);
    await workerPage.getByLabel('Personnummer eller samordningsnummer').fill(PERSONAL_NUMBER);
    await workerPage.getByLabel('Clearingnummer').fill('6789');
    await workerPage.getByLabel('Kontonummer').fill('123456789');
    await workerPage.getByRole('radio', { name: /Sidoinkomst/ }).check();
    await workerPage.getByLabel('Jag har läst och godkänner villkoren').check();
    await workerPage.getByRole('button', { name: 'Aktivera kontot' }).click();
    await workerPage.waitForURL(/\/konto\/egenanstallning\?done=activated$/);
    expect(await workerPage.textContent('main'))
      .to.contain('19850709-****')
      .and.not.contain('9805');
    await accessible(workerPage);

    // --- … writes the billing basis, adds a receipt and sends it ------------------------------
    await workerPage.goto(`${base}/konto/fakturaunderlag`);
    await accessible(workerPage);
    await clickAndLoad(workerPage.getByRole('link', { name: 'Röja sly längs skoterleden', exact: true }));
    expect(workerPage.url()).to.equal(`${base}/konto/fakturaunderlag/${applicationId}`);
    await accessible(workerPage);
    await workerPage.getByLabel('Första dagen').fill('2026-03-02');
    await workerPage.getByLabel('Sista dagen').fill('2026-03-04');
    await workerPage.locator('#line1Description').fill('Slyröjning');
    await workerPage.locator('#line1Hours').fill('6');
    expect(await workerPage.locator('#line1Rate').inputValue()).to.equal('250,00'); // from the assignment
    await workerPage.getByRole('button', { name: 'Spara och visa beräkningen' }).click();
    await workerPage.waitForURL(/done=saved/);
    await workerPage.getByRole('heading', { name: 'Beräkning', exact: true }).waitFor();
    await accessible(workerPage);

    await workerPage.getByLabel('Vad utlägget gäller').fill('Kedjeolja');
    await workerPage.getByLabel('Belopp i kronor', { exact: true }).fill('89,50');
    await workerPage
      .getByLabel('Kvitto', { exact: true })
      .setInputFiles({ name: 'kvitto.png', mimeType: 'image/png', buffer: await png(400, 600) });
    await workerPage.getByRole('button', { name: 'Lägg till utlägget' }).click();
    await workerPage.waitForURL(/done=expenseAdded/);
    await workerPage.getByRole('link', { name: /^Visa kvitto\W+Kedjeolja$/ }).waitFor();
    await accessible(workerPage);
    await workerPage.getByRole('button', { name: 'Skicka till organisationen för godkännande' }).click();
    await workerPage.waitForURL(/done=submitted/);
    await accessible(workerPage);

    // --- The organisation's member approves and downloads the invoice -------------------------------
    const memberPage = await openPage(problems);
    await logInWithForm(memberPage, base, member.email);
    await memberPage.goto(`${base}/organisationer/${organisation.slug}/fakturaunderlag`);
    await accessible(memberPage);
    await clickAndLoad(memberPage.getByRole('link', { name: /^Vera Arbetare/ }));
    expect(await memberPage.textContent('main')).to.contain('Kedjeolja');
    await accessible(memberPage);
    // Approving sends an invoice: the header's primary action leads to a confirmation step first.
    await clickAndLoad(memberPage.getByRole('link', { name: 'Godkänn och fakturera' }).first());
    expect(memberPage.url()).to.match(/\/godkann$/);
    await accessible(memberPage);
    await memberPage.getByRole('button', { name: 'Godkänn och fakturera' }).click();
    await memberPage.waitForURL(/done=approved/);
    await accessible(memberPage);
    const invoice = await ctx
      .db('invoices')
      .where({ organisation_id: organisation.id, kind: 'invoice' })
      .first<{ id: number; total_ore: string; status: string }>('id', 'total_ore', 'status');
    expect(invoice.status).to.equal('unpaid');

    await memberPage.goto(`${base}/organisationer/${organisation.slug}/fakturor`);
    await accessible(memberPage);
    const [download] = await Promise.all([
      memberPage.waitForEvent('download'),
      memberPage.getByRole('link', { name: /^Ladda ner faktura .* att betala$/ }).click(),
    ]);
    const pdf = await fs.readFile((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    expect(download.suggestedFilename()).to.match(/\.pdf$/);
    const response = await memberPage.request.get(`${base}/fakturor/${invoice.id}/pdf`);
    expect(response.status()).to.equal(200);
    expect(response.headers()['content-type']).to.match(/^application\/pdf/);

    // --- Payroll registers the payment ----------------------------------------------------------------
    const payrollPage = await openPage(problems);
    await logInWithForm(payrollPage, base, payroll.email);
    await payrollPage.goto(`${base}/lon`);
    await accessible(payrollPage);
    const total = Number(invoice.total_ore);
    await payrollPage.getByLabel('Faktura', { exact: true }).selectOption(String(invoice.id));
    await payrollPage
      .getByLabel('Belopp', { exact: true })
      .fill(`${Math.trunc(total / 100)},${String(total % 100).padStart(2, '0')}`);
    await payrollPage.getByLabel('Betalningsdag').fill(todayInStockholm());
    await payrollPage.getByRole('button', { name: 'Registrera betalningen' }).click();
    await payrollPage.waitForURL(/done=paid/);
    await accessible(payrollPage);
    expect((await ctx.db('invoices').where('id', invoice.id).first('status')).status).to.equal('paid');

    // --- The worker sees the invoice paid -----------------------------------------------------------
    await workerPage.goto(`${base}/konto/fakturor`);
    expect(await workerPage.textContent('main')).to.contain('Röja sly längs skoterleden');
    await accessible(workerPage);

    expect(problems).to.deep.equal([]);
    await Promise.all([workerPage.close(), memberPage.close(), payrollPage.close()]);
  });
});
