import { expect } from 'chai';
import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { accessibilityViolations, BROWSER_TEST_TIMEOUT_MS, clickAndLoad, logInWithForm, useBrowser } from '../support/browser.js';
import { APPLICANT, createDashboardHistory } from '../support/stats-history.js';
import { useTestApp } from '../support/test-app.js';
import { createUser } from '../support/users.js';

// The municipality officer in a real browser (issue 13): log in → /konto → the dashboard → another period and a
// village → a chart's numbers as a table → the CSV export; and the open data at /statistik for everyone. axe
// checks every page on the way; no page may log a console error, and no person's name reaches any of it.

const LYCKSELE = '2481';

describe('Browser: the officer’s statistics and the open data', function () {
  this.timeout(BROWSER_TEST_TIMEOUT_MS);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);

  const accessible = async (page: Page) => expect(await accessibilityViolations(page), page.url()).to.deep.equal([]);

  it('when an officer of Lycksele follows the dashboard through its filters to an export, then every page is accessible and shows no person', async () => {
    const { small } = await createDashboardHistory(ctx.db);
    const officer = await createUser(ctx.db, { name: 'Olle Handläggare' });
    await ctx.db('officer_municipalities').insert({ user_id: officer.id, municipality_code: LYCKSELE });
    const problems: string[] = [];
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
    });
    const base = browser.baseUrl;

    await logInWithForm(page, base, officer.email);
    await page.goto(`${base}/konto`);
    await clickAndLoad(page.getByRole('link', { name: 'Statistik för din kommun' }));
    expect(new URL(page.url()).pathname).to.equal(`/statistik/kommun/${LYCKSELE}`);
    await page.getByRole('heading', { level: 1, name: /Lycksele/ }).waitFor();
    await accessible(page);

    // Last 30 days and the small village: its two assignments show as "<5", never as 2.
    await page.getByLabel('Period', { exact: true }).selectOption('last30');
    await page.getByLabel('By eller ort', { exact: true }).selectOption(String(small.id));
    await clickAndLoad(page.getByRole('button', { name: 'Visa' }));
    const url = new URL(page.url());
    expect(url.searchParams.get('period')).to.equal('last30');
    expect(url.searchParams.get('village')).to.equal(String(small.id));
    expect(await page.getByLabel('By eller ort', { exact: true }).inputValue()).to.equal(String(small.id));
    const main = (await page.textContent('main')) ?? '';
    expect(main).to.contain('<5');
    await accessible(page);

    // A chart's numbers as a table, opened by keyboard.
    const firstTable = page.locator('details.chart-data summary').first();
    await firstTable.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('details.chart-data').first().getAttribute('open')).to.not.equal(null);
    await accessible(page);

    // The CSV of what the page shows.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /CSV/ }).click()]);
    expect(download.suggestedFilename()).to.match(/^Statistik Lycksele kommun .*\.csv$/);
    const csv = await fs.readFile((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0), 'BOM for Swedish Excel').to.equal(0xfeff);
    expect(csv).to.contain(';');
    for (const text of [main, csv]) {
      expect(text).not.to.contain(APPLICANT.name);
      expect(text).not.to.contain(APPLICANT.email);
    }

    // The open data, for everyone, from the footer.
    await clickAndLoad(page.getByRole('contentinfo').getByRole('link', { name: /statistik/i }));
    expect(new URL(page.url()).pathname).to.equal('/statistik');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.textContent('main')).to.contain('CC0');
    await accessible(page);

    expect(problems).to.deep.equal([]);
  });
});
