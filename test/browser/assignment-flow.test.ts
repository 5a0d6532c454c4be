import { expect } from 'chai';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { createOrganisation } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import {
  accessibilityViolations,
  BROWSER_TEST_TIMEOUT_MS,
  logInWithForm,
  runJobsUntilIndexed,
  useBrowser,
} from '../support/browser.js';
import { createUser } from '../support/users.js';

// The whole local loop of issue 4 in a real browser, as two people would do
// it: an organisation posts an assignment with a photo, a resident applies,
// the organisation accepts, they exchange a message, the work is marked done
// and both leave feedback. axe checks every page of the way; no page may log a
// console error or a CSP violation.

describe('Browser: post → apply → accept → message → complete → feedback', function () {
  this.timeout(2.5 * BROWSER_TEST_TIMEOUT_MS); // one test of over fifty steps
  const ctx = useTestApp();
  const browser = useBrowser(ctx);

  /** A page that fails the test on console errors; the map's tile server is answered here (no internet). */
  const openPage = async (problems: string[]): Promise<Page> => {
    const page = await browser.newPage();
    await page.route('https://tile.openstreetmap.org/**', (route) => route.fulfill({ status: 204, body: '' }));
    page.on('console', (message) => {
      // A form sent empty on purpose answers 400, which Chromium logs as a failed resource.
      if (message.type() === 'error' && !/status of 400/.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  };
  const accessible = async (page: Page) => expect(await accessibilityViolations(page), page.url()).to.deep.equal([]);

  it('when an organisation and a resident go through the whole flow, then every step works and every page is accessible', async () => {
    const problems: string[] = [];
    const member = await createUser(ctx.db, { name: 'Maja Medlem' });
    const resident = await createUser(ctx.db, { name: 'Rasmus Boende' });
    const org = await createOrganisation(ctx.db, { name: 'Kusfors byaförening', municipality_code: '2417' });
    await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: member.id, role: 'admin' });
    const slug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug as string;
    const base = browser.baseUrl;

    // --- The organisation posts, with a photo ----------------------------------
    const orgPage = await openPage(problems);
    await logInWithForm(orgPage, base, member.email);
    await orgPage.goto(`${base}/organisationer/${slug}/uppdrag/nytt`);
    await orgPage.locator('#title').fill('Skotta snö vid bygdegården');
    await orgPage.locator('#description').fill('Trappan och parkeringen behöver skottas.\n\n- skyffel finns\n- fika bjuds');
    await orgPage.locator('#category').selectOption('snorojning');
    await orgPage.locator('#municipality').selectOption('2417');
    await orgPage.getByLabel('Fast pris').check();
    await orgPage.locator('#amountSek').fill('600');
    await orgPage.locator('#peopleNeeded').fill('1');
    await orgPage.getByRole('button', { name: 'Spara utkast' }).click();
    await orgPage.waitForURL(/\/organisationer\/.+\/uppdrag\?done=saved/);
    const { id: assignmentId } = await ctx.db('assignments').where('title', 'Skotta snö vid bygdegården').first('id');
    await orgPage.goto(`${base}/organisationer/${slug}/uppdrag/${assignmentId}/redigera`);
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#dde' } })
      .jpeg()
      .toBuffer();
    await orgPage.getByLabel('Bifoga fil').setInputFiles({ name: 'trappan.jpg', mimeType: 'image/jpeg', buffer: photo });
    await orgPage.getByRole('button', { name: 'Ladda upp filen' }).click();
    await orgPage.getByText('Filen är bifogad.').waitFor();
    await accessible(orgPage);
    await orgPage.goto(`${base}/organisationer/${slug}/uppdrag/${assignmentId}/forhandsgranska`);
    await orgPage.getByRole('button', { name: 'Publicera' }).click();
    await orgPage.waitForURL(/done=published/);
    await accessible(orgPage);
    await runJobsUntilIndexed(ctx); // the resident searches for it next

    // --- The resident finds it and applies ---------------------------------------
    const residentPage = await openPage(problems);
    await logInWithForm(residentPage, base, resident.email);
    await residentPage.goto(`${base}/uppdrag?q=skotta`);
    await residentPage.getByRole('link', { name: 'Skotta snö vid bygdegården' }).first().click();
    await residentPage.getByRole('img', { name: /Bild 1 till uppdraget Skotta snö vid bygdegården/ }).waitFor();
    await accessible(residentPage);
    await residentPage.getByRole('button', { name: 'Skicka intresseanmälan' }).click();
    await residentPage.locator('#message-error').waitFor(); // an empty message: told beside the field
    await accessible(residentPage);
    await residentPage.getByLabel('Meddelande till uppdragsgivaren').fill('Hej! Jag bor i Kusfors och har egen skyffel.');
    await residentPage.getByRole('button', { name: 'Skicka intresseanmälan' }).click();
    await residentPage.waitForURL(/\/ansokningar\/\d+\?done=sent/);
    await accessible(residentPage);
    const applicationUrl = residentPage.url().replace(/\?.*$/, '');
    await residentPage.goto(`${base}/konto/ansokningar`);
    expect(await residentPage.textContent('main')).to.contain('Skotta snö vid bygdegården');
    await accessible(residentPage);

    // --- The organisation is told, and accepts ------------------------------------
    await orgPage.goto(`${base}/konto/notiser`);
    expect(await orgPage.textContent('main')).to.contain('Skotta snö vid bygdegården');
    await accessible(orgPage);
    await orgPage.goto(`${base}/organisationer/${slug}/uppdrag/${assignmentId}/ansokningar`);
    await accessible(orgPage);
    await orgPage.getByRole('link', { name: 'Rasmus Boende', exact: true }).click();
    await orgPage.waitForURL(/\/ansokningar\/\d+$/);
    await accessible(orgPage);
    await orgPage.getByRole('button', { name: 'Acceptera' }).click();
    await orgPage.waitForURL(/done=accepted/);
    await accessible(orgPage);
    expect((await ctx.db('assignments').where('id', assignmentId).first('status')).status).to.equal('assigned');

    // --- They exchange messages ------------------------------------------------------
    await orgPage
      .getByRole('link', { name: /^Meddelanden/ })
      .first()
      .click();
    await orgPage.waitForURL(/\/meddelanden$/);
    await orgPage.getByLabel('Meddelande', { exact: true }).fill('Välkommen! Nyckeln hänger i förrådet.');
    await orgPage.getByRole('button', { name: 'Skicka', exact: true }).click();
    await orgPage.getByText('Nyckeln hänger i förrådet.').waitFor();
    await accessible(orgPage);

    await residentPage.goto(applicationUrl);
    expect(await residentPage.textContent('main')).to.contain('1 oläst meddelande');
    await accessible(residentPage);
    await residentPage.getByRole('link', { name: /^Meddelanden/ }).click();
    await residentPage.waitForURL(/\/meddelanden$/);
    await residentPage.getByText('Nyckeln hänger i förrådet.').waitFor();
    await residentPage.getByLabel('Meddelande', { exact: true }).fill('Tack, jag kommer på lördag förmiddag.');
    await residentPage.getByRole('button', { name: 'Skicka', exact: true }).click();
    await residentPage.getByText('jag kommer på lördag').waitFor();
    await accessible(residentPage);

    // --- Done, and feedback both ways ---------------------------------------------
    await orgPage.goto(`${base}/organisationer/${slug}/uppdrag`);
    await orgPage.getByRole('link', { name: /^Markera som utfört/ }).click();
    await orgPage.waitForURL(/\/klar$/);
    await accessible(orgPage);
    await orgPage.getByRole('button', { name: 'Ja, markera som utfört' }).click();
    await orgPage.waitForURL(/done=completed/);
    await accessible(orgPage);
    await orgPage.getByRole('link', { name: /Lämna omdöme om Rasmus Boende/ }).click();
    await orgPage.waitForURL(/\/omdome$/);
    await accessible(orgPage);
    await orgPage.getByLabel('5 – Mycket bra').check();
    await orgPage.getByLabel('Kommentar (valfritt)').fill('Snabbt och noggrant.');
    await orgPage.getByRole('button', { name: 'Lämna omdöme' }).click();
    await orgPage.waitForURL(/done=saved/);
    await accessible(orgPage);

    await residentPage.goto(`${base}/konto/ansokningar`);
    await residentPage.getByRole('link', { name: /Lämna omdöme/ }).click();
    await residentPage.getByLabel('4 – Bra').check();
    await residentPage.getByRole('button', { name: 'Lämna omdöme' }).click();
    await residentPage.waitForURL(/done=saved/);
    await accessible(residentPage);
    await residentPage.goto(`${base}/organisationer/${slug}`);
    expect(await residentPage.textContent('main')).to.contain('Skotta snö vid bygdegården');
    await accessible(residentPage);

    expect((await ctx.db('assignments').where('id', assignmentId).first('status')).status).to.equal('completed');
    const feedback = await ctx.db('feedback').orderBy('direction').select('direction', 'rating');
    expect(feedback).to.deep.equal([
      { direction: 'about_organisation', rating: 4 },
      { direction: 'about_resident', rating: 5 },
    ]);
    expect(problems).to.deep.equal([]);
    await orgPage.close();
    await residentPage.close();
  });
});
