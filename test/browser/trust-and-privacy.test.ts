import { expect } from 'chai';
import { formatOrganisationNumber, luhnCheckDigit } from '../../src/modules/organisations/organisation-number.js';
import {
  accessibilityViolations,
  BROWSER_TEST_TIMEOUT_MS,
  clickAndLoad,
  logInWithForm,
  runJobsUntilIndexed,
  useBrowser,
} from '../support/browser.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser } from '../support/users.js';

// Issue 14, findings 6, 7 (excerpts) and 9, in Chromium, each page with axe (WCAG 2.1 A/AA); every step is a
// link or a plain form post (no script involved), the confirmation step taken by keyboard:
// - sharing the profile and CV is a choice, not ticked by default, and the form says what it means;
// - the organisation's name links to its page from the assignment page and the search cards, verified
//   organisations carry a "Verifierad" badge (in words) there and on their page;
// - card excerpts are plain text, without the list markers of the description;
// - a second organisation with an existing name is a warning on a confirmation step, not silent, and the
//   admin's list tells namesakes apart by organisation number and municipality.

describe('Browser: trust signals, plain excerpts and privacy by default', function () {
  this.timeout(BROWSER_TEST_TIMEOUT_MS);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);
  let resident: { id: number; email: string };
  let member: { id: number; email: string };
  let admin: { id: number; email: string };
  let verifiedSlug: string;
  let unverifiedAssignment: number;
  let verifiedAssignment: number;

  const noViolations = async (page: Parameters<typeof accessibilityViolations>[0], what: string) =>
    expect(await accessibilityViolations(page), what).to.deep.equal([]);

  before(async () => {
    const verified = await createOrganisation(ctx.db, { name: 'Kusfors byaförening' });
    verifiedSlug = (await ctx.db('organisations').where('id', verified.id).first('slug')).slug;
    const unverified = await createOrganisation(ctx.db, { name: 'Nya snöklubben', verified_at: null });
    verifiedAssignment = await createTestAssignment(ctx.db, {
      organisationId: verified.id,
      title: 'Skotta trappan vid bygdegården',
      description: 'Det här ingår:\n- Skotta trappan vid entrén\n- Sanda vid behov\n\nRing Kerstin om du undrar.',
    });
    unverifiedAssignment = await createTestAssignment(ctx.db, { organisationId: unverified.id, title: 'Skotta taket på skolan' });
    await runJobsUntilIndexed(ctx);
    resident = await createUser(ctx.db, { name: 'Rut Resident' });
    member = await createUser(ctx.db, { name: 'Mats Medlem' });
    await ctx.db('organisation_members').insert({ organisation_id: verified.id, user_id: member.id, role: 'admin' });
    admin = await createUser(ctx.db, { name: 'Ada Admin', isAdmin: true });
  });

  it('when a resident searches, then cards link the organisation, show "Verifierad" in words and a plain excerpt', async () => {
    const page = await browser.newPage();
    await page.goto(`${browser.baseUrl}/uppdrag?q=skotta`);
    const card = page.locator('article.card', { hasText: 'Skotta trappan vid bygdegården' });
    expect(await card.locator('.card-excerpt').innerText()).to.equal(
      'Det här ingår: Skotta trappan vid entrén, Sanda vid behov. Ring Kerstin om du undrar.',
    );
    expect(await card.locator('.tag-verified').innerText()).to.equal('Verifierad');
    const unverifiedCard = page.locator('article.card', { hasText: 'Skotta taket på skolan' });
    expect(await unverifiedCard.getByText('Verifierad').count()).to.equal(0);
    expect(await unverifiedCard.getByRole('link', { name: 'Nya snöklubben' }).count()).to.equal(1);
    await noViolations(page, 'the search page');

    await clickAndLoad(card.getByRole('link', { name: 'Kusfors byaförening' }));
    expect(new URL(page.url()).pathname).to.equal(`/organisationer/${verifiedSlug}`);
    await page.getByRole('heading', { name: 'Kusfors byaförening', level: 1 }).waitFor();
    expect(await page.locator('.page-header .badge-success').innerText()).to.equal('Verifierad');
    expect(await page.getByText('Ej verifierad').count()).to.equal(0);
    await noViolations(page, 'the organisation page');

    // The home page's cards are made elsewhere (summaryCard) and say the same.
    await page.goto(`${browser.baseUrl}/`);
    const homeCard = page.locator('article.card', { hasText: 'Skotta trappan vid bygdegården' });
    expect(await homeCard.locator('.card-excerpt').innerText()).not.to.match(/(^|\s)-\s/);
    expect(await homeCard.getByRole('link', { name: 'Kusfors byaförening' }).getAttribute('href')).to.equal(
      `/organisationer/${verifiedSlug}`,
    );
  });

  it('when the assignment page opens, then the organisation links to its page with its badge, and unverified ones say so', async () => {
    const page = await browser.newPage();
    await page.goto(`${browser.baseUrl}/uppdrag/${verifiedAssignment}`);
    const org = page.locator('.assignment-org');
    expect(await org.getByRole('link', { name: 'Kusfors byaförening' }).getAttribute('href')).to.equal(
      `/organisationer/${verifiedSlug}`,
    );
    expect(await org.innerText())
      .to.contain('Verifierad')
      .and.not.contain('Ej verifierad');
    await noViolations(page, 'a verified organisation’s assignment');

    await page.goto(`${browser.baseUrl}/uppdrag/${unverifiedAssignment}`);
    expect(await page.locator('.assignment-org').innerText()).to.contain('Ej verifierad organisation');
    expect(await page.locator('.assignment-org .tag-verified').count()).to.equal(0);
    await noViolations(page, 'an unverified organisation’s assignment');
  });

  it('when a resident applies, then sharing the profile is explained and not ticked, and an untouched box shares nothing', async () => {
    const page = await browser.newPage();
    await logInWithForm(page, browser.baseUrl, resident.email);
    await page.goto(`${browser.baseUrl}/uppdrag/${verifiedAssignment}`);
    const share = page.getByLabel('Dela min profil och mitt CV med uppdragsgivaren');
    expect(await share.isChecked()).to.equal(false);
    await page.getByRole('group', { name: 'Din profil och ditt CV' }).waitFor();
    expect(await page.locator('#shareProfile-hint').innerText()).to.contain('bara ditt namn och ditt meddelande');
    await noViolations(page, 'the application form');

    await page.getByLabel('Meddelande till uppdragsgivaren').fill('Hej! Jag bor i Kusfors och har egen skyffel.');
    await clickAndLoad(page.getByRole('button', { name: 'Skicka intresseanmälan' }));
    await page.waitForURL(/\/ansokningar\/\d+\?done=sent/);
    const application = await ctx
      .db('applications')
      .where({ assignment_id: verifiedAssignment, applicant_id: resident.id })
      .first('id', 'share_profile');
    expect(application.share_profile).to.equal(false);

    const orgPage = await browser.newPage();
    await logInWithForm(orgPage, browser.baseUrl, member.email);
    await orgPage.goto(`${browser.baseUrl}/ansokningar/${application.id}`);
    await orgPage.getByText('Den sökande har valt att inte dela sin profil och sitt CV med er.').waitFor();
    await noViolations(orgPage, 'the application, not shared');
  });

  it('when someone creates an organisation with a name taken in the municipality, then a warning step, and they may go on', async () => {
    const page = await browser.newPage();
    const creator = await createUser(ctx.db, { name: 'Kim Skapare' });
    await logInWithForm(page, browser.baseUrl, creator.email);
    const base = `802${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    const number = formatOrganisationNumber(`${base}${luhnCheckDigit(base)}`);
    await page.goto(`${browser.baseUrl}/organisationer/ny`);
    await page.getByLabel('Organisationens namn', { exact: true }).fill('kusfors  byaförening');
    await page.getByLabel('Typ av organisation').selectOption('forening');
    await page.getByLabel('Organisationsnummer', { exact: true }).fill(number);
    await page.getByLabel('Kommun', { exact: true }).selectOption('2481');
    await page.getByLabel('Postadress', { exact: true }).fill('Byavägen 3\n921 94 Kusfors');
    await page.getByLabel('E-postadress för fakturor').fill('kassor@kusfors.example.se');
    await page.getByLabel('Beskrivning', { exact: true }).fill('En ny förening i byn.');
    await clickAndLoad(page.getByRole('button', { name: 'Skapa organisationen' }));

    await page.getByRole('heading', { name: 'Finns organisationen redan?', level: 1 }).waitFor();
    expect(await page.locator('main').innerText()).to.contain(
      'Det finns redan en organisation med namnet Kusfors byaförening i Lycksele. Är det din? Be då dess administratör om en inbjudan.',
    );
    expect(await page.getByRole('link', { name: 'Gå till Kusfors byaförening i Lycksele' }).getAttribute('href')).to.equal(
      `/organisationer/${verifiedSlug}`,
    );
    expect(await ctx.db('organisations').whereILike('name', 'kusfors%byaförening').count({ count: '*' })).to.deep.equal([
      { count: 1 },
    ]);
    await noViolations(page, 'the namesake warning');

    // By keyboard: the first button is the one that goes on.
    await page.getByRole('button', { name: 'Skapa en ny organisation ändå' }).focus();
    await Promise.all([page.waitForURL(/\/organisationer\/kusfors-byaforening(-\d+)?$/), page.keyboard.press('Enter')]);
    await page.getByText('Organisationen är skapad').waitFor();
    expect(await ctx.db('organisations').whereILike('name', 'kusfors%byaförening').count({ count: '*' })).to.deep.equal([
      { count: 2 },
    ]);

    const adminPage = await browser.newPage();
    await logInWithForm(adminPage, browser.baseUrl, admin.email);
    await adminPage.goto(`${browser.baseUrl}/admin`);
    const entry = adminPage.locator('tr', { hasText: 'kusfors  byaförening' });
    expect(await entry.locator('td').allInnerTexts()).to.include.members(['Lycksele', `org.nr ${number}`]);
    await noViolations(adminPage, 'the admin overview');
  });
});
