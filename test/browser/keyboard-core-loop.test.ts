import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { BROWSER_TEST_TIMEOUT_MS, runJobsUntilIndexed, useBrowser } from '../support/browser.js';
import { createOrganisation } from '../support/factories.js';
import { KeyboardUser } from '../support/keyboard.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, TEST_PASSWORD } from '../support/users.js';

// Issue 14, "Done when": the core loop with the keyboard only. An association's member posts an assignment, a
// resident searches, opens it and applies, the association shortlists and accepts, both write in the thread, and
// the association marks the work completed through its confirmation step. Only Tab, Shift+Tab, Enter, Space and
// typing; no click and no address typed after each party's login page (logging in is by keyboard too). Every
// control that gets focus on the way must show it; no page may log a console error.

const TITLE = 'Skotta taket på bygdegården';

describe('Browser: the core loop by keyboard alone', function () {
  this.timeout(2.5 * BROWSER_TEST_TIMEOUT_MS);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);

  /** A new browser on the login page, logged in by keyboard; the page after the login is the home page. */
  const logInByKeyboard = async (email: string, problems: string[]): Promise<KeyboardUser> => {
    const page: Page = await browser.newPage();
    // This machine has no internet: the posting form's map asks a tile server that is answered here.
    await page.route('https://tile.openstreetmap.org/**', (route) => route.fulfill({ status: 204, body: '' }));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
    await page.goto(`${browser.baseUrl}/logga-in`);
    const user = new KeyboardUser(page);
    await user.typeInto(page.getByLabel('E-postadress', { exact: true }), email);
    await user.typeInto(page.getByLabel('Lösenord', { exact: true }), TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${browser.baseUrl}/`);
    await page.getByRole('button', { name: 'Logga ut' }).waitFor();
    return user;
  };

  it('when a member posts, a resident finds and applies, and the association accepts, writes and completes, then every step works by keyboard with visible focus', async () => {
    const problems: string[] = [];
    const member = await createUser(ctx.db, { name: 'Maja Ordförande' });
    const resident = await createUser(ctx.db, { name: 'Rasmus Boende' });
    const organisation = await createOrganisation(ctx.db, { name: 'Kusfors byaförening', municipality_code: '2481' });
    await ctx.db('organisation_members').insert({ organisation_id: organisation.id, user_id: member.id, role: 'admin' });

    // --- The member posts, from the menu's way in ----------------------------------------------------------
    const association = await logInByKeyboard(member.email, problems);
    const org = association.page;
    await association.activate(org.getByRole('link', { name: 'Lägg ut uppdrag' }).first(), /\/uppdrag\/nytt$/);
    await association.typeInto(org.getByLabel('Rubrik', { exact: true }), TITLE);
    await association.typeInto(
      org.getByLabel('Beskrivning', { exact: true }),
      'Snön på bygdegårdens tak behöver skottas ned innan helgen. Stege och skyffel finns i förrådet.',
    );
    await association.typeInto(org.getByLabel('Kategori', { exact: true }), 'Snö');
    expect(await org.getByLabel('Kategori', { exact: true }).inputValue()).to.equal('snorojning');
    expect(await org.getByRole('radio', { name: 'Fast pris' }).isChecked(), 'fixed price is the default').to.equal(true);
    await association.typeInto(org.getByLabel('Belopp i kronor', { exact: true }), '900');
    await association.activate(org.getByRole('button', { name: 'Förhandsgranska' }), /\/forhandsgranska$/);
    await association.activate(org.getByRole('button', { name: 'Publicera' }), /done=published/);
    const assignment = await ctx.db('assignments').where('title', TITLE).first<{ id: number; status: string }>('id', 'status');
    expect(assignment.status).to.equal('published');
    await runJobsUntilIndexed(ctx); // the resident searches for it next

    // --- The resident searches from the home page, opens it and applies ------------------------------------
    const person = await logInByKeyboard(resident.email, problems);
    const home = person.page;
    await person.typeInto(home.getByRole('searchbox', { name: 'Vad vill du hjälpa till med?' }), 'skotta taket');
    await home.keyboard.press('Enter');
    await home.waitForURL(/\/uppdrag\?q=skotta/);
    await person.activate(home.getByRole('link', { name: TITLE }).first(), new RegExp(`/uppdrag/${assignment.id}`));
    await person.typeInto(
      home.getByLabel('Meddelande till uppdragsgivaren', { exact: true }),
      'Hej! Jag bor i Kusfors och har gjort det förut.',
    );
    await person.activate(home.getByRole('button', { name: 'Skicka intresseanmälan' }), /\/ansokningar\/\d+\?done=sent$/);
    const applicationId = Number(/\/ansokningar\/(\d+)/.exec(home.url())![1]);

    // --- The association is told, shortlists, accepts and writes -------------------------------------------
    await association.activate(org.getByRole('link', { name: /^Notiser/ }).first(), /\/konto\/notiser$/);
    await association.activate(
      org.getByRole('button', { name: new RegExp(`Ny intresseanmälan till ${TITLE}`) }),
      new RegExp(`/uppdrag/${assignment.id}/ansokningar$`),
    );
    await association.activate(org.getByRole('button', { name: 'Lägg på kortlistan' }), /done=shortlisted/);
    await association.activate(org.getByRole('button', { name: 'Acceptera' }), /done=accepted/);
    expect((await ctx.db('applications').where('id', applicationId).first('status')).status).to.equal('accepted');
    await association.activate(org.getByRole('link', { name: /^Meddelanden/ }).first(), /\/meddelanden$/);
    await association.typeInto(org.getByLabel('Meddelande', { exact: true }), 'Välkommen! Nyckeln hänger i förrådet.');
    await association.activate(org.getByRole('button', { name: 'Skicka', exact: true }));
    await org.getByText('Nyckeln hänger i förrådet.').waitFor();

    // --- The resident reads it from the notices and answers ---------------------------------------------------
    await person.activate(home.getByRole('link', { name: /^Notiser/ }).first(), /\/konto\/notiser$/);
    await person.activate(
      home.getByRole('button', { name: new RegExp(`Nytt meddelande från .* om ${TITLE}`) }),
      new RegExp(`/ansokningar/${applicationId}/meddelanden$`),
    );
    await home.getByText('Nyckeln hänger i förrådet.').waitFor();
    await person.typeInto(home.getByLabel('Meddelande', { exact: true }), 'Tack, jag kommer på lördag förmiddag.');
    await person.activate(home.getByRole('button', { name: 'Skicka', exact: true }));
    await home.getByText('jag kommer på lördag').waitFor();
    const messages = await ctx
      .db('application_messages')
      .where('application_id', applicationId)
      .count<{ count: string }[]>('* as count');
    expect(Number(messages[0]!.count)).to.equal(2);

    // --- The association marks the work completed, through the confirmation step --------------------------------
    await association.activate(org.getByRole('link', { name: 'Till intresseanmälan' }), /\/ansokningar\/\d+$/);
    await association.activate(org.getByRole('link', { name: 'Alla intresseanmälningar till uppdraget' }), /\/ansokningar$/);
    await association.activate(org.getByRole('link', { name: 'Tillbaka till organisationens uppdrag' }), /\/uppdrag$/);
    await association.activate(org.getByRole('link', { name: new RegExp(`^Markera som utfört\\s*: ${TITLE}$`) }), /\/klar$/);
    await association.activate(org.getByRole('button', { name: 'Ja, markera som utfört' }), /done=completed/);
    expect((await ctx.db('assignments').where('id', assignment.id).first('status')).status).to.equal('completed');

    expect(association.invisibleFocus.concat(person.invisibleFocus), 'controls whose focus cannot be seen').to.deep.equal([]);
    expect(problems).to.deep.equal([]);
    await Promise.all([org.context().close(), home.context().close()]);
  });
});
