import { expect } from 'chai';
import { unsubscribeToken } from '../../src/modules/saved-searches/tokens.js';
import {
  accessibilityViolations,
  BROWSER_TEST_TIMEOUT_MS,
  clickAndLoad,
  logInWithForm,
  runJobsUntilIndexed,
  useBrowser,
} from '../support/browser.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { createSavedSearch } from '../support/saved-search-factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser } from '../support/users.js';

// Saved searches and "Rekommenderat för dig" in Chromium: saving a search from
// the search page and the pages around it, each with axe (WCAG 2.1 A/AA).

describe('Browser: saved searches and recommendations', function () {
  this.timeout(BROWSER_TEST_TIMEOUT_MS);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);
  let resident: { id: number; email: string };

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Rusksele byaförening' });
    await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Snöskottning vid bygdegården',
      categorySlug: 'snorojning',
      localitySlug: 'rusksele-lycksele',
    });
    await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Skotta taket på skolan', categorySlug: 'snorojning' });
    await runJobsUntilIndexed(ctx); // the first test searches for them
    resident = await createUser(ctx.db, { name: 'Rut Resident' });
    const category = await ctx.db('categories').where('slug', 'snorojning').first('id');
    await ctx.db('resident_categories').insert({ user_id: resident.id, category_id: category.id });
  });

  it('when a resident saves a search from the search page, then the pages on the way have no axe violations', async () => {
    const page = await browser.newPage();
    await logInWithForm(page, browser.baseUrl, resident.email);
    await page.goto(`${browser.baseUrl}/uppdrag?q=sn%C3%B6skottning&category=snorojning`);
    await page.getByRole('link', { name: 'Spara sökningen' }).click();
    await page.getByRole('heading', { name: 'Spara sökningen', level: 1 }).waitFor();
    expect(await page.getByLabel('Namn', { exact: true }).inputValue()).to.equal('snöskottning');
    expect(await accessibilityViolations(page), 'the save form').to.deep.equal([]);

    await page.getByLabel('Namn', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Spara bevakningen' }).click();
    await page.getByText('Skriv ett namn på bevakningen.').waitFor();
    expect(await accessibilityViolations(page), 'the form with an error').to.deep.equal([]);

    await page.getByLabel('Namn', { exact: true }).fill('Snö nära mig');
    await page.getByLabel('Direkt när ett nytt uppdrag publiceras').check();
    await clickAndLoad(page.getByRole('button', { name: 'Spara bevakningen' }));
    await page.getByText('Bevakningen är sparad.').waitFor();
    expect(await page.getByRole('heading', { name: 'Snö nära mig' }).count()).to.equal(1);
    expect(await accessibilityViolations(page), 'the list').to.deep.equal([]);

    await page.getByRole('link', { name: /^Ändra\W+Snö nära mig$/ }).click();
    await page.waitForURL(/\/konto\/bevakningar\/\d+\/redigera$/); // axe judges the edit form, not the list it leaves
    expect(await accessibilityViolations(page), 'the edit form').to.deep.equal([]);
    await page.close();
  });

  it('when the resident opens the account page, then the recommendations show without axe violations', async () => {
    const page = await browser.newPage();
    await logInWithForm(page, browser.baseUrl, resident.email);
    await page.goto(`${browser.baseUrl}/konto`);
    await page.getByRole('heading', { name: 'Rekommenderat för dig' }).waitFor();
    expect(await page.getByRole('link', { name: 'Snöskottning vid bygdegården' }).count()).to.equal(1);
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    await page.close();
  });

  it('when the unsubscribe link is opened without a login, then the page and its answer have no axe violations', async () => {
    const savedId = await createSavedSearch(ctx.db, { userId: resident.id, name: 'Ved', frequency: 'daily' });
    const page = await browser.newPage();
    await page.goto(`${browser.baseUrl}/bevakningar/avsluta?token=${unsubscribeToken(ctx.deps.sessionSecret, savedId)}`);
    expect(await accessibilityViolations(page), 'the question').to.deep.equal([]);
    await page.getByRole('button', { name: 'Ja, sluta skicka e-post' }).click();
    await page.getByText('Du får ingen mer e-post för bevakningen ”Ved”.').waitFor();
    expect(await accessibilityViolations(page), 'the answer').to.deep.equal([]);
    expect((await ctx.db('saved_searches').where('id', savedId).first('frequency')).frequency).to.equal('off');
    await page.goto(`${browser.baseUrl}/bevakningar/avsluta?token=1.x`);
    expect(await accessibilityViolations(page), 'a broken link').to.deep.equal([]);
    await page.close();
  });
});
