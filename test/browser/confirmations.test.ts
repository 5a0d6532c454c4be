import { mkdir } from 'node:fs/promises';
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { createApplication, createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { accessibilityViolations, BROWSER_TEST_TIMEOUT_MS, clickAndLoad, logInWithForm, useBrowser } from '../support/browser.js';
import { createUser } from '../support/users.js';

// Issue 14, finding 5 (and 4 for the accepted applicant): cancelling an assignment, marking it completed,
// withdrawing an application and removing a member were one click on a button styled like the page's main
// action. Now each is a quiet, outlined link to a page that says what will happen and what cannot be undone,
// with a warning-styled button that does it and a way back that changes nothing; all without JavaScript.

const SCREENS = 'test-results/screens';
const PRIMARY_GREEN = 'rgb(29, 79, 58)';

describe('Browser: confirmation steps for destructive actions', function () {
  this.timeout(2 * BROWSER_TEST_TIMEOUT_MS);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);

  const accessible = async (page: Page) => expect(await accessibilityViolations(page), page.url()).to.deep.equal([]);

  /** The confirmation page at a phone's and a laptop's width, for the reviewer. */
  const screenshots = async (page: Page, name: string) => {
    await mkdir(SCREENS, { recursive: true });
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SCREENS}/confirm-${name}-${width}.png`, fullPage: true });
    }
  };

  /** The way to a confirmation step: a link, not a form that acts, and not painted as the primary action. */
  const expectQuietLink = async (link: Locator) => {
    expect(await link.evaluate((element) => element.tagName)).to.equal('A');
    const style = await link.evaluate((element) => {
      const computed = getComputedStyle(element);
      return { background: computed.backgroundColor, color: computed.color };
    });
    expect(style.background).not.to.equal(PRIMARY_GREEN);
    expect(style.background).to.equal('rgb(255, 255, 255)');
  };

  /** A confirmation page: says it cannot be undone, offers "Nej, gå tillbaka", its button is the warning one. */
  const expectConfirmation = async (page: Page, confirmLabel: string, name: string) => {
    await accessible(page);
    const main = (await page.textContent('main')) ?? '';
    expect(main).to.contain('Det går inte att ångra.');
    const confirm = page.getByRole('button', { name: confirmLabel });
    expect(await confirm.getAttribute('class')).to.equal('danger');
    expect(await page.getByRole('link', { name: 'Nej, gå tillbaka' }).count()).to.equal(1);
    await screenshots(page, name);
    return confirm;
  };

  const statusOf = async (table: string, id: number) => (await ctx.db(table).where('id', id).first('status')).status as string;

  let slug: string;
  let member: { id: number; email: string };
  let colleague: { id: number; email: string };
  let resident: { id: number; email: string };
  let organisationId: number;

  beforeEach(async () => {
    member = await createUser(ctx.db, { name: 'Maja Medlem' });
    colleague = await createUser(ctx.db, { name: 'Kalle Kollega' });
    resident = await createUser(ctx.db, { name: 'Rasmus Boende' });
    const org = await createOrganisation(ctx.db, { name: 'Kusfors byaförening' });
    organisationId = org.id;
    await ctx.db('organisation_members').insert([
      { organisation_id: org.id, user_id: member.id, role: 'admin' },
      { organisation_id: org.id, user_id: colleague.id, role: 'member' },
    ]);
    slug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug as string;
  });

  it('when a member cancels an assignment, then a warning page comes first, going back changes nothing, and confirming cancels it', async () => {
    const assignment = await createTestAssignment(ctx.db, { organisationId, title: 'Måla staketet' });
    await createApplication(ctx.db, { assignmentId: assignment, applicantId: resident.id });
    const page = await browser.newPage();
    await logInWithForm(page, browser.baseUrl, member.email);
    const listUrl = `${browser.baseUrl}/organisationer/${slug}/uppdrag`;
    await page.goto(listUrl);
    expect(await page.locator('form[action$="/avbryt"]').count(), 'no one-click cancel form').to.equal(0);
    const cancel = page.getByRole('link', { name: /^Avbryt uppdraget\s*: Måla staketet$/ });
    await expectQuietLink(cancel);

    await clickAndLoad(cancel);
    expect(page.url()).to.equal(`${listUrl}/${assignment}/avbryt`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Vill du avbryta uppdraget Måla staketet?');
    expect(await page.textContent('main')).to.contain('1 person har anmält intresse');
    await expectConfirmation(page, 'Ja, avbryt uppdraget', 'cancel-assignment');
    await clickAndLoad(page.getByRole('link', { name: 'Nej, gå tillbaka' }));
    expect(page.url()).to.equal(listUrl);
    expect(await statusOf('assignments', assignment)).to.equal('published');

    // By keyboard: Tab to the link, Enter; then Tab to the warning button, Enter.
    await page.goto(listUrl);
    await cancel.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/avbryt$/);
    await page.getByRole('button', { name: 'Ja, avbryt uppdraget' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=cancelled/);
    await accessible(page);
    expect(await statusOf('assignments', assignment)).to.equal('cancelled');
  });

  it('when a member deletes a draft, then a warning page comes first and confirming deletes it', async () => {
    const draft = await createTestAssignment(ctx.db, { organisationId, title: 'Rensa diket', status: 'draft' });
    const page = await browser.newPage();
    await logInWithForm(page, browser.baseUrl, member.email);
    const listUrl = `${browser.baseUrl}/organisationer/${slug}/uppdrag`;
    await page.goto(listUrl);
    expect(await page.locator('form[action$="/ta-bort"]').count(), 'no one-click delete form').to.equal(0);
    const remove = page.getByRole('link', { name: /^Ta bort utkastet\s*: Rensa diket$/ });
    await expectQuietLink(remove);
    await clickAndLoad(remove);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Vill du ta bort utkastet Rensa diket?');
    await clickAndLoad(await expectConfirmation(page, 'Ja, ta bort utkastet', 'delete-draft'));
    await page.getByText('Utkastet är borttaget.').waitFor();
    expect(await ctx.db('assignments').where('id', draft).first()).to.equal(undefined);
  });

  it('when a member marks an assignment completed, then the confirmation names who did the work before it is done', async () => {
    const assignment = await createTestAssignment(ctx.db, { organisationId, title: 'Klippa gräset' });
    await ctx.db('assignments').where('id', assignment).update({ status: 'assigned' });
    await createApplication(ctx.db, { assignmentId: assignment, applicantId: resident.id, status: 'accepted' });
    const page = await browser.newPage();
    await logInWithForm(page, browser.baseUrl, member.email);
    await page.goto(`${browser.baseUrl}/organisationer/${slug}/uppdrag`);
    expect(await page.locator('form[action$="/klar"]').count(), 'no one-click completion form').to.equal(0);
    const complete = page.getByRole('link', { name: /^Markera som utfört\s*: Klippa gräset$/ });
    await expectQuietLink(complete);
    await clickAndLoad(complete);
    expect(await page.textContent('main')).to.contain('Rasmus Boende');
    const confirm = await expectConfirmation(page, 'Ja, markera som utfört', 'complete-assignment');
    expect(await statusOf('assignments', assignment)).to.equal('assigned');
    await clickAndLoad(confirm);
    expect(page.url()).to.contain('done=completed');
    expect(await statusOf('assignments', assignment)).to.equal('completed');
  });

  it('when an admin removes a member, then a confirmation says what they lose, and only the confirm button removes them', async () => {
    const page = await browser.newPage();
    await logInWithForm(page, browser.baseUrl, member.email);
    const membersUrl = `${browser.baseUrl}/organisationer/${slug}/medlemmar`;
    await page.goto(membersUrl);
    expect(await page.locator('form[action$="/ta-bort"]').count(), 'no one-click removal form').to.equal(0);
    const remove = page.getByRole('link', { name: 'Ta bort Kalle Kollega' });
    await expectQuietLink(remove);
    await clickAndLoad(remove);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal(
      'Vill du ta bort Kalle Kollega ur Kusfors byaförening?',
    );
    const confirm = await expectConfirmation(page, 'Ja, ta bort Kalle Kollega', 'remove-member');
    const memberRow = () =>
      ctx.db('organisation_members').where({ organisation_id: organisationId, user_id: colleague.id }).first();
    expect(await memberRow()).to.not.equal(undefined);
    await clickAndLoad(confirm);
    expect(page.url()).to.equal(`${membersUrl}?done=removed`);
    await accessible(page);
    expect(await memberRow()).to.equal(undefined);
  });

  it('when the resident is accepted, then the page says what happens next before the withdrawal, which asks first', async () => {
    const assignment = await createTestAssignment(ctx.db, {
      organisationId,
      title: 'Skotta trappan',
      compensationType: 'fixed',
      amountSek: 600,
      startsOn: '2027-01-16',
    });
    await ctx.db('assignments').where('id', assignment).update({ status: 'assigned' });
    const applicationId = await createApplication(ctx.db, {
      assignmentId: assignment,
      applicantId: resident.id,
      status: 'accepted',
    });
    const page = await browser.newPage();
    await logInWithForm(page, browser.baseUrl, resident.email);
    const applicationUrl = `${browser.baseUrl}/ansokningar/${applicationId}`;
    await page.goto(applicationUrl);
    await accessible(page);
    await screenshots(page, 'application-accepted');

    const next = page.getByRole('region', { name: 'Vad händer nu?' });
    const text = (await next.textContent()) ?? '';
    expect(text).to.contain('Kusfors byaförening har accepterat dig');
    expect(text).to.contain('Arbetet börjar 16 januari 2027.');
    expect(text).to.contain('förenklat företagande');
    expect(await next.getByRole('link', { name: 'Skriv till Kusfors byaförening' }).getAttribute('href')).to.equal(
      `/ansokningar/${applicationId}/meddelanden`,
    );
    expect(await next.getByRole('link', { name: 'Ditt konto för förenklat företagande' }).getAttribute('href')).to.equal(
      '/konto/egenanstallning',
    );
    expect(await next.getByRole('link', { name: 'Räkna ut vad du får ut efter skatt' }).getAttribute('href')).to.equal(
      '/egenanstallning/rakna',
    );

    // The withdrawal is there, after what happens next, and quiet.
    expect(await page.locator('form[action$="/aterkalla"]').count(), 'no one-click withdrawal form').to.equal(0);
    const withdraw = page.getByRole('link', { name: 'Återkalla intresseanmälan' });
    await expectQuietLink(withdraw);
    const nextComesFirst = await page.evaluate(() => {
      const steps = document.querySelector('.next-steps');
      const link = document.querySelector('a[href$="/aterkalla"]');
      return Boolean(steps && link && steps.compareDocumentPosition(link) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(nextComesFirst).to.equal(true);

    await clickAndLoad(withdraw);
    expect(await page.textContent('main')).to.contain('Du får inte tillbaka din plats');
    const confirm = await expectConfirmation(page, 'Ja, återkalla intresseanmälan', 'withdraw-application');
    await clickAndLoad(page.getByRole('link', { name: 'Nej, gå tillbaka' }));
    expect(page.url()).to.equal(applicationUrl);
    expect(await statusOf('applications', applicationId)).to.equal('accepted');

    await page.goto(`${applicationUrl}/aterkalla`);
    await clickAndLoad(confirm);
    expect(page.url()).to.equal(`${applicationUrl}?done=withdrawn`);
    await accessible(page);
    expect(await statusOf('applications', applicationId)).to.equal('withdrawn');
  });
});
