import { expect } from 'chai';
import sharp from 'sharp';
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

describe('Browser: pages are accessible (WCAG 2.1 A/AA, axe in Chromium)', function () {
  this.timeout(BROWSER_TEST_TIMEOUT_MS);
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
    await runJobsUntilIndexed(ctx); // searched for below
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
    ['the sign-up form', () => '/registrera'],
    ['the login form', () => '/logga-in'],
    ['a verification link that is not valid', () => '/verifiera-epost?token=x'],
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
    await page.waitForFunction(() => document.activeElement?.id === 'main');
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

  it('when a resident signs up, verifies the e-mail from the mail store and logs in, then every page of the way is accessible', async () => {
    const page = await browser.newPage();
    const check = async () => expect(await accessibilityViolations(page), page.url()).to.deep.equal([]);
    await page.goto(browser.baseUrl + '/');
    await page.getByRole('link', { name: 'Skapa konto' }).click();
    await page.waitForURL(/\/registrera$/); // loaded: its form token is in the session before the form is sent
    await clickAndLoad(page.getByRole('button', { name: 'Skapa konto' })); // empty form: messages beside the fields
    expect(await page.locator('.field-error').count()).to.be.greaterThan(2);
    await check();
    await page.getByLabel('Namn').fill('Cecilia Holm');
    await page.getByLabel('E-postadress').fill('cecilia.holm@example.se');
    await page.getByLabel('Välj ett lösenord').fill('isfiske på Vormsjön');
    await page.getByLabel('Kommun där du bor').selectOption('2481');
    await page.getByLabel('By eller ort (valfritt)').fill('Björksele');
    await page.getByRole('button', { name: 'Skapa konto' }).click();
    await page.getByRole('heading', { name: 'Kolla din e-post' }).waitFor();
    await check();

    const mail = await ctx.db('mails').where('to_address', 'cecilia.holm@example.se').first();
    const link = /https?:\/\/\S+token=[A-Za-z0-9_-]{43}/.exec(mail.text_body)![0];
    await page.goto(link.replace(ctx.config.publicUrl, browser.baseUrl));
    await check();
    await page.getByRole('button', { name: 'Bekräfta e-postadressen' }).click();
    await page.getByText('Din e-postadress är bekräftad').waitFor();
    await check();

    await page.getByRole('link', { name: 'Logga in' }).first().click();
    await page.getByLabel('E-postadress').fill('cecilia.holm@example.se');
    await page.getByLabel('Lösenord').fill('isfiske på Vormsjön');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await clickAndLoad(page.getByRole('link', { name: 'Mitt konto' }));
    await page.getByRole('heading', { name: 'Mitt konto' }).waitFor();
    expect(await page.textContent('main')).to.contain('Cecilia Holm');
    await check();

    // Edit the profile: what she does and where; then her competence, and that organisations may see it.
    await page.goto(browser.baseUrl + '/konto/profil');
    await page.getByLabel('Kort om dig').fill('Van vid skoter och motorsåg.');
    await page.getByLabel('Snöröjning').check();
    await page.getByLabel('Björksele').check();
    await page.getByRole('button', { name: 'Spara profilen' }).click();
    await page.getByText('Profilen är sparad.').waitFor();
    expect(await page.getByLabel('Snöröjning').isChecked()).to.equal(true);
    await check();
    await page.goto(browser.baseUrl + '/konto/kompetens');
    await page.getByLabel('Motorsågskörkort', { exact: true }).check();
    await page.getByLabel('Bara organisationer').check();
    await page.getByRole('button', { name: 'Spara kompetens' }).click();
    await page.getByText('Din kompetens är sparad').waitFor();
    expect(await page.getByLabel('Motorsågskörkort', { exact: true }).isChecked()).to.equal(true);
    await check();
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('link', { name: 'Logga in' }).waitFor();
    await page.close();
  });

  it('when a signed-in admin opens the account, profile, my-data and admin pages, then axe finds no violations', async () => {
    const admin = await createUser(ctx.db, { isAdmin: true, name: 'Greta Granskare' });
    const page = await browser.newPage();
    await logInWithForm(page, browser.baseUrl, admin.email);
    for (const path of ['/konto', '/konto/profil', '/konto/mina-uppgifter', '/admin', '/admin/handlaggare']) {
      await page.goto(browser.baseUrl + path);
      expect(await accessibilityViolations(page), path).to.deep.equal([]);
    }
    // A form with errors, too.
    await page.goto(browser.baseUrl + '/konto/profil');
    // Past the field's maxlength, as an old browser would send it: the server's message beside the field.
    await page.locator('#bio').evaluate((field) => field.removeAttribute('maxlength'));
    await page.getByLabel('Kort om dig').fill('x'.repeat(2001));
    await page.getByRole('button', { name: 'Spara profilen' }).click();
    await page.locator('#bio-error').waitFor();
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    await page.close();
  });

  it('when an organisation admin uploads a logo and a CV in the browser, then the multipart forms work and every state is accessible', async () => {
    const admin = await createUser(ctx.db, { name: 'Lotta Logga' });
    const org = await createOrganisation(ctx.db, { name: 'Loggbyns förening' });
    await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: admin.id, role: 'admin' });
    const slug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug as string;
    const page = await browser.newPage();
    await logInWithForm(page, browser.baseUrl, admin.email);

    await page.goto(`${browser.baseUrl}/organisationer/${slug}/redigera`);
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    // A wrong type first: the message beside the field.
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    await page.getByLabel('Ladda upp en logotyp').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: gif });
    await page.getByRole('button', { name: 'Ladda upp logotypen' }).click();
    await page.locator('#logo-error').waitFor();
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#2a7' } })
      .png()
      .toBuffer();
    await page.getByLabel('Ladda upp en logotyp').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
    await page.getByRole('button', { name: 'Ladda upp logotypen' }).click();
    await page.getByText('Logotypen är sparad.').waitFor();
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    await page.goto(`${browser.baseUrl}/organisationer/${slug}`);
    await page.getByRole('img', { name: 'Logotyp för Loggbyns förening' }).waitFor();
    expect(await accessibilityViolations(page)).to.deep.equal([]);

    await page.goto(browser.baseUrl + '/konto/profil');
    await page.getByLabel('Ladda upp ditt CV').setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: png });
    await page.getByRole('button', { name: 'Ladda upp CV:t' }).click();
    await page.locator('#cv-error').waitFor();
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
    );
    await page.getByLabel('Ladda upp ditt CV').setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Ladda upp CV:t' }).click();
    await page.getByText('Ditt CV är sparat.').waitFor();
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    await page.close();
  });

  it('when an organisation member posts an assignment (errors, preview, publish, list), then every page is accessible', async () => {
    const member = await createUser(ctx.db, { name: 'Mats Medlem' });
    const org = await createOrganisation(ctx.db, { name: 'Bastuträsk bygdegårdsförening', municipality_code: '2417' });
    await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: member.id, role: 'admin' });
    const slug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug as string;
    const page = await browser.newPage();
    const check = async () => expect(await accessibilityViolations(page), page.url()).to.deep.equal([]);
    await logInWithForm(page, browser.baseUrl, member.email);

    await page.goto(`${browser.baseUrl}/organisationer/${slug}/uppdrag/nytt`);
    await check();
    await page.getByRole('button', { name: 'Spara utkast' }).click();
    await page.locator('.field-error').first().waitFor();
    await check();

    await page.locator('#title').fill('Skotta taket på bygdegården');
    await page.locator('#description').fill('Taket behöver skottas innan nästa snöfall.\n\n- stege finns\n- fika bjuds');
    await page.locator('#category').selectOption('snorojning');
    await page.locator('#municipality').selectOption('2417');
    await page.getByLabel('Ideellt, utan ersättning').check();
    await page.getByRole('button', { name: 'Förhandsgranska' }).click();
    await page.getByRole('button', { name: 'Publicera' }).waitFor();
    await check();
    await page.getByRole('button', { name: 'Publicera' }).click();
    await page.waitForLoadState();
    await page.goto(`${browser.baseUrl}/organisationer/${slug}/uppdrag`);
    expect(await page.textContent('main')).to.contain('Skotta taket på bygdegården');
    await check();
    // The edit page, with its attachment form.
    const { id } = await ctx.db('assignments').where('title', 'Skotta taket på bygdegården').first('id');
    await page.goto(`${browser.baseUrl}/organisationer/${slug}/uppdrag/${id}/redigera`);
    expect(await page.textContent('main')).to.contain('Bifoga fil');
    await check();
    await page.close();
  });
});
