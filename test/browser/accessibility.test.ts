import { expect } from 'chai';
import { accessibilityViolations, useBrowser } from '../support/browser.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';

describe('Browser: pages are accessible (WCAG 2.1 A/AA, axe in Chromium)', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);
  let detailPath: string;

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Rusksele byaförening' });
    const id = await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Snöskottning vid bygdegården',
      description: 'Bygdegården behöver skottas efter varje snöfall.\n\nDet här ingår:\n- trappan\n- parkeringen',
      categorySlug: 'snorojning',
      localitySlug: 'rusksele-lycksele',
      estimatedHours: 3,
      requirements: 'Egen snöskyffel',
      workTraining: true,
      supervisorAvailable: true,
    });
    for (let i = 0; i < 25; i++) await createTestAssignment(ctx.db, { organisationId: org.id, categorySlug: 'tradgard' });
    await ctx.runJobs();
    detailPath = `/uppdrag/${id}`;
  });

  const pages: Array<[string, () => string]> = [
    ['the home page', () => '/'],
    ['the assignment list', () => '/uppdrag'],
    ['a search with a typo', () => '/uppdrag?q=sn%C3%B6skotning'],
    ['a search with bad input', () => '/uppdrag?municipality=abc'],
    ['an assignment page', () => detailPath],
    ['the English home page', () => '/?lang=en'],
    ['the not-found page', () => '/finns-inte'],
  ];
  for (const [name, path] of pages) {
    it(`when ${name} is opened, then axe finds no violations`, async () => {
      const page = await browser.newPage();
      await page.goto(browser.baseUrl + path());
      expect(await accessibilityViolations(page)).to.deep.equal([]);
      await page.close();
    });
  }

  it('when a keyboard user tabs into the page, then the skip link comes first and moves focus to the content', async () => {
    const page = await browser.newPage();
    await page.goto(browser.baseUrl + '/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).to.equal('#main');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('main');
    await page.close();
  });

  it('when JavaScript is off, then searching from the home page and opening a result works', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(browser.baseUrl + '/');
    await page.getByLabel('Vad vill du hjälpa till med?').fill('snöskotning');
    await page.getByRole('button', { name: 'Sök uppdrag' }).click();
    await page.waitForURL(/\/uppdrag\?q=/);
    await page.getByRole('link', { name: 'Snöskottning vid bygdegården' }).click();
    await page.waitForURL(/\/uppdrag\/\d+-snoskottning-vid-bygdegarden$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Snöskottning vid bygdegården');
    await page.close();
  });

  it('when the pages are loaded, then the browser reports no CSP violations or console errors', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    for (const path of ['/', '/uppdrag', detailPath]) await page.goto(browser.baseUrl + path);
    expect(problems).to.deep.equal([]);
    await page.close();
  });
});
