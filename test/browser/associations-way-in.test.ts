import { expect } from 'chai';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { formatOrganisationNumber, luhnCheckDigit } from '../../src/modules/organisations/organisation-number.js';
import { accessibilityViolations, BROWSER_TEST_TIMEOUT_MS, clickAndLoad, logInWithForm, useBrowser } from '../support/browser.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, TEST_PASSWORD } from '../support/users.js';

// Issue 14, finding "there is no way in for associations", in Chromium: the
// header and the home page say "Lägg ut uppdrag", the guide explains the three
// steps and the review and brings a login back to it, and the association
// learns from its notices that it was verified and its assignment approved.
// Every page on the way: zero axe violations; screenshots at 390 and 1280 px.

const SCREENS = 'test-results/screens';

async function screenshots(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENS, { recursive: true });
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SCREENS}/${name}-${width}.png`, fullPage: true });
  }
}

describe('Browser: the associations’ way in', function () {
  this.timeout(BROWSER_TEST_TIMEOUT_MS);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);

  const mainMenu = (page: Page) => page.getByRole('navigation', { name: 'Huvudmeny' });

  it('when a visitor follows "Lägg ut uppdrag" by keyboard, logs in and registers the organisation, then each step leads to the next', async () => {
    const person = await createUser(ctx.db, { name: 'Karin Bygdeson' });
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(browser.baseUrl + '/');
    await page.getByRole('heading', { name: 'För föreningar', level: 2 }).waitFor();
    expect(await page.getByRole('link', { name: 'Lägg ut ett uppdrag' }).getAttribute('href')).to.equal('/lagg-ut-uppdrag');
    expect(await accessibilityViolations(page), 'the home page').to.deep.equal([]);
    await screenshots(page, 'associations-home');

    // The header's link, by keyboard alone.
    await mainMenu(page).getByRole('link', { name: 'Lägg ut uppdrag' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(browser.baseUrl + '/lagg-ut-uppdrag');
    await page.getByRole('heading', { name: 'Lägg ut uppdrag', level: 1 }).waitFor();
    const steps = await page.locator('ol.timeline .timeline-label').allTextContents();
    expect(steps).to.deep.equal(['Skapa ett konto', 'Registrera organisationen', 'Lägg ut det första uppdraget']);
    await page.getByRole('heading', { name: 'Så går granskningen till' }).waitFor();
    expect(await page.getByText('Granskningen görs oftast inom en arbetsdag.').count()).to.equal(1);
    expect(await page.getByRole('main').getByRole('link', { name: 'Skapa konto' }).getAttribute('href')).to.equal(
      '/registrera?next=%2Flagg-ut-uppdrag',
    );
    expect(await accessibilityViolations(page), 'the guide for a visitor').to.deep.equal([]);
    await screenshots(page, 'associations-way-in-visitor');

    // Logging in from the guide comes back to it, one step further.
    await clickAndLoad(page.getByRole('main').getByRole('link', { name: 'Logga in' }));
    await page.getByLabel('E-postadress', { exact: true }).fill(person.email);
    await page.getByLabel('Lösenord', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).press('Enter');
    await page.waitForURL(browser.baseUrl + '/lagg-ut-uppdrag');
    await page.getByRole('button', { name: 'Logga ut' }).waitFor();
    expect(await page.locator('li[aria-current="step"] .timeline-label').textContent()).to.equal('Registrera organisationen');
    expect(await accessibilityViolations(page), 'the guide, logged in').to.deep.equal([]);
    await screenshots(page, 'associations-way-in-no-organisation');

    await clickAndLoad(page.getByRole('link', { name: 'Registrera organisationen' }));
    await page.getByRole('heading', { name: 'Skapa organisation', level: 1 }).waitFor();
    const digits = `802${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    await page.getByLabel('Organisationens namn').fill('Byaföreningen i Rusksele');
    await page.getByLabel('Typ av organisation').selectOption('forening');
    await page
      .getByLabel('Organisationsnummer', { exact: true })
      .fill(formatOrganisationNumber(`${digits}${luhnCheckDigit(digits)}`));
    await page.getByLabel('Kommun', { exact: true }).selectOption('2481');
    await page.getByLabel('Postadress', { exact: true }).fill('Byavägen 1\n921 94 Rusksele');
    await page.getByLabel('E-postadress för fakturor').fill('kassor@rusksele.example.se');
    await page.getByLabel('Beskrivning', { exact: true }).fill('Vi sköter bygdegården och skidspåren.');
    await clickAndLoad(page.getByRole('button', { name: 'Skapa organisationen' }));
    await page.getByRole('heading', { name: 'Byaföreningen i Rusksele', level: 1 }).waitFor();

    // With one organisation, the same link opens its new-assignment form.
    await clickAndLoad(mainMenu(page).getByRole('link', { name: 'Lägg ut uppdrag' }));
    await page.waitForURL(/\/organisationer\/byaforeningen-i-rusksele(-\d+)?\/uppdrag\/nytt$/);
    await page.getByRole('heading', { name: 'Lägg ut uppdrag', level: 1 }).waitFor();
    await page.close();
  });

  it('when a platform admin verifies the organisation and approves its assignment, then its member finds both in the notices', async () => {
    const adminUser = await createUser(ctx.db, { isAdmin: true });
    const member = await createUser(ctx.db);
    const organisation = await createOrganisation(ctx.db, { name: 'Nya byalaget i Norsjö', verified_at: null });
    await ctx.db('organisation_members').insert({ organisation_id: organisation.id, user_id: member.id, role: 'admin' });
    const assignmentId = await createTestAssignment(ctx.db, {
      organisationId: organisation.id,
      title: 'Klippa gräset vid badplatsen',
      status: 'draft',
    });
    await ctx.db('assignments').where({ id: assignmentId }).update({ status: 'pending_review' });

    const adminPage = await browser.newPage();
    await logInWithForm(adminPage, browser.baseUrl, adminUser.email);
    await adminPage.goto(browser.baseUrl + '/admin');
    await clickAndLoad(adminPage.getByRole('button', { name: 'Verifiera Nya byalaget i Norsjö' }));
    await clickAndLoad(adminPage.getByRole('link', { name: 'Granska Klippa gräset vid badplatsen' }));
    expect(await accessibilityViolations(adminPage), 'the review page').to.deep.equal([]);
    await clickAndLoad(adminPage.getByRole('button', { name: 'Godkänn och publicera' }));
    await adminPage.getByText('Uppdraget är publicerat.').waitFor();
    await adminPage.close();

    const page = await browser.newPage();
    await logInWithForm(page, browser.baseUrl, member.email);
    await clickAndLoad(mainMenu(page).getByRole('link', { name: 'Notiser (2 olästa)' }));
    await page.getByText('Er organisation Nya byalaget i Norsjö är verifierad – nya uppdrag publiceras nu direkt').waitFor();
    await page.getByText('Uppdraget Klippa gräset vid badplatsen är godkänt och publicerat').waitFor();
    expect(await accessibilityViolations(page), 'the notices').to.deep.equal([]);
    await screenshots(page, 'associations-notices-after-review');

    // The approval's notice opens the published assignment.
    await clickAndLoad(page.getByRole('button', { name: /Klippa gräset vid badplatsen är godkänt/ }));
    await page.getByRole('heading', { name: 'Klippa gräset vid badplatsen', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).to.match(new RegExp(`^/uppdrag/${assignmentId}-`));
    await page.close();

    await ctx.runJobs();
    const mails = await ctx.db('mails').where({ to_address: member.email, template: 'notifications' }).select('text_body');
    expect(mails.map((mail) => mail.text_body).join('\n')).to.include('Er organisation Nya byalaget i Norsjö är verifierad');
  });
});
