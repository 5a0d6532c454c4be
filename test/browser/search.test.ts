import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { accessibilityViolations, BROWSER_TEST_TIMEOUT_MS, useBrowser } from '../support/browser.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';

// The search page in Chromium, with JavaScript (htmx updates the results in
// place and the URL follows) and without (an ordinary GET form): search with a
// typo, pick facets, change the sort, page, open a result; zero axe violations
// at each step. Tile requests are answered here (this machine has no internet).

const TILES = 'https://tile.openstreetmap.org/**';
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('Browser: the search page', function () {
  this.timeout(BROWSER_TEST_TIMEOUT_MS);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Rusksele byaförening', municipality_code: '2481' });
    await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Snöskottning vid bygdegården',
      categorySlug: 'snorojning',
      localitySlug: 'rusksele-lycksele',
      publishedAt: new Date(Date.now() - 86_400_000),
    });
    for (let n = 0; n < 22; n++) {
      await createTestAssignment(ctx.db, {
        organisationId: org.id,
        title: `Vedhuggning till bastun, omgång ${n + 1}`,
        categorySlug: n % 2 ? 'skog-och-mark' : 'ovrigt',
        localitySlug: 'lycksele-lycksele',
        amountSek: 100 + n * 10,
        publishedAt: new Date(Date.now() - (2 + n) * 86_400_000),
      });
    }
    await ctx.syncIndex();
  });

  async function openSearch(javaScriptEnabled: boolean): Promise<Page> {
    const page = await browser.newPage({ javaScriptEnabled });
    await page.route(TILES, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PNG_1X1 }));
    await page.goto(`${browser.baseUrl}/uppdrag`);
    return page;
  }

  /**
   * axe runs as a script, so it cannot run in a page without JavaScript: the
   * same URL is checked in a page whose own scripts are refused, which renders as without JavaScript.
   */
  async function expectNoViolationsWithoutScripts(url: string, step: string) {
    const page = await browser.newPage();
    await page.route(/\.js(\?|$)/, (route) => route.abort());
    await page.goto(url);
    expect(await accessibilityViolations(page), step).to.deep.equal([]);
    await page.close();
  }

  const heading = (page: Page) => page.locator('#results-heading').textContent();
  const expectNoViolations = async (page: Page, step: string) =>
    expect(await accessibilityViolations(page), step).to.deep.equal([]);

  it('with JavaScript: typing updates the results in place, the URL and the live region follow, facets, sort, paging and a result work', async () => {
    const page = await openSearch(true);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await expectNoViolations(page, 'opened');
    // A page load would lose this mark: the update must happen in place.
    await page.evaluate(() => Object.assign(window, { stayedOnPage: true }));

    await page.getByLabel('Sökord').pressSequentially('snoskotning', { delay: 20 });
    await page.waitForURL(/q=snoskotning/);
    await page.waitForFunction(() => document.querySelector('#results-heading')?.textContent?.trim() === '1 uppdrag');
    expect((await page.locator('#search-status').textContent())?.trim()).to.equal('1 uppdrag');
    expect(await page.evaluate(() => (window as unknown as { stayedOnPage?: boolean }).stayedOnPage)).to.equal(true);
    await expect(await page.getByLabel('Sökord').evaluate((field) => field === document.activeElement)).to.equal(true);
    await expectNoViolations(page, 'after typing');

    await page.getByLabel('Sökord').fill('');
    await page.waitForFunction(() => document.querySelector('#results-heading')?.textContent?.trim() === '23 uppdrag');
    await page.getByLabel(/^Skog och mark/).check();
    await page.waitForURL(/category=skog-och-mark/);
    await page.waitForFunction(() => document.querySelector('#results-heading')?.textContent?.trim() === '11 uppdrag');
    expect(
      await page.getByLabel(/^Skog och mark/).evaluate((box) => box === document.activeElement),
      'focus stays on the box',
    ).to.equal(true);
    await page.getByLabel(/^Skog och mark/).uncheck();
    await page.waitForFunction(() => document.querySelector('#results-heading')?.textContent?.trim() === '23 uppdrag');

    await page.getByLabel('Sortera').selectOption('pay');
    await page.waitForURL(/sort=pay/);
    await page.waitForFunction(() => document.querySelector('.card-title')?.textContent?.includes('omgång 22'));
    expect(await page.evaluate(() => (window as unknown as { stayedOnPage?: boolean }).stayedOnPage)).to.equal(true);
    await expectNoViolations(page, 'sorted');

    // The map of this page's results, with markers that open their assignment.
    await page.getByRole('button', { name: 'Visa karta' }).click();
    await page.locator('#results-map .leaflet-marker-icon').first().waitFor();
    expect(await page.getByRole('button', { name: 'Dölj karta' }).getAttribute('aria-expanded')).to.equal('true');
    await expectNoViolations(page, 'map shown');

    await page.getByRole('link', { name: 'Nästa sida' }).click();
    await page.waitForURL(/page=2/);
    expect(page.url()).to.match(/sort=pay/);
    expect(await page.locator('.card-title').count()).to.equal(3);
    await expectNoViolations(page, 'page 2');

    await page.locator('.card-title a').first().click();
    await page.waitForURL(/\/uppdrag\/\d+-/);
    expect(await page.locator('h1').textContent()).to.match(/^Vedhuggning till bastun/);
    expect(problems, 'console errors (CSP included)').to.deep.equal([]);
  });

  it('without JavaScript: the same steps through an ordinary GET form', async () => {
    const page = await openSearch(false);
    expect(await page.getByRole('button', { name: 'Visa karta' }).isVisible()).to.equal(false);
    expect(await page.getByRole('button', { name: 'Använd min position' }).isVisible()).to.equal(false);
    await expectNoViolationsWithoutScripts(page.url(), 'opened');

    await page.getByLabel('Sökord').fill('snoskotning');
    await page.getByRole('button', { name: 'Sök', exact: true }).click();
    await page.waitForURL(/q=snoskotning/);
    expect((await heading(page))?.trim()).to.equal('1 uppdrag');
    await expectNoViolationsWithoutScripts(page.url(), 'searched with a typo');

    await page.getByLabel('Sökord').fill('');
    await page.getByLabel(/^Snöröjning/).check();
    await page.getByLabel('Nära by eller ort').fill('Rusksele');
    await page.getByLabel('Inom').selectOption('10');
    await page.getByRole('button', { name: 'Visa uppdrag' }).click();
    await page.waitForURL(/category=snorojning/);
    expect((await heading(page))?.trim()).to.equal('1 uppdrag');
    expect(await page.locator('.card-distance').textContent()).to.equal('0 km bort');
    await expectNoViolationsWithoutScripts(page.url(), 'facet and place');

    await page.getByLabel(/^Snöröjning/).uncheck();
    await page.getByLabel('Nära by eller ort').fill('');
    await page.getByLabel('Inom').selectOption('');
    await page.getByLabel('Sortera').selectOption('pay');
    await page.getByRole('button', { name: 'Visa uppdrag' }).click();
    await page.waitForURL(/sort=pay/);
    expect((await heading(page))?.trim()).to.equal('23 uppdrag');

    await page.getByRole('link', { name: 'Nästa sida' }).click();
    await page.waitForURL(/page=2/);
    expect(await page.locator('.card-title').count()).to.equal(3);
    await expectNoViolationsWithoutScripts(page.url(), 'page 2');

    await page.locator('.card-title a').first().click();
    await page.waitForURL(/\/uppdrag\/\d+-vedhuggning/);
    await expectNoViolationsWithoutScripts(page.url(), 'a result');
  });

  it('with JavaScript: "use my position" asks the browser only when pressed, and the position lands in the URL', async () => {
    const context = await browser.browser.newContext({
      locale: 'sv-SE',
      geolocation: { latitude: 64.8151, longitude: 18.8993 },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    await page.goto(`${browser.baseUrl}/uppdrag`);
    expect(page.url()).not.to.match(/near=/);
    await page.getByLabel('Inom').selectOption('5');
    await page.getByRole('button', { name: 'Använd min position' }).click();
    await page.waitForURL(/near=64\.815%2C18\.899/);
    await page.waitForFunction(() => document.querySelector('#results-heading')?.textContent?.trim() === '1 uppdrag');
    expect(await page.getByText('Avståndet räknas från din position.').isVisible()).to.equal(true);
    expect(await page.locator('#sort option[value="distance"]').isDisabled()).to.equal(false);
    await expectNoViolations(page, 'position used');
    await context.close();
  });

  it('with a bad village, then the message is beside the field and axe finds nothing', async () => {
    const page = await openSearch(true);
    await page.goto(`${browser.baseUrl}/uppdrag?from=Atlantis&radiusKm=10`);
    expect(await page.locator('#from-error').textContent()).to.match(/^Vi hittar ingen by/);
    await expectNoViolations(page, 'bad village');
  });
});
