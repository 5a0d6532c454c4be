import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { accessibilityViolations, BROWSER_TEST_TIMEOUT_MS, logInWithForm, useBrowser } from '../support/browser.js';
import { createUser } from '../support/users.js';

// Issue 15's flow in a real browser, as the two people would do it: a resident in Rusksele says what they can do
// (a chainsaw licence, tree felling) and shows it to organisations; a member of the village association searches for
// it near the village, typing it wrong ("motrsåg"), opens the card and invites the resident to an open assignment;
// the resident reads the notice and applies; the association accepts, marks the work done, leaves feedback and
// confirms the skill; the skill then shows as confirmed on the resident's card. axe checks every page on the way;
// no page may log a console error or a CSP violation.

describe('Browser: find a resident by skill near a village → invite → apply → complete → confirmed skill', function () {
  this.timeout(2.5 * BROWSER_TEST_TIMEOUT_MS);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);

  const openPage = async (problems: string[]): Promise<Page> => {
    const page = await browser.newPage();
    await page.route('https://tile.openstreetmap.org/**', (route) => route.fulfill({ status: 204, body: '' }));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  };
  const accessible = async (page: Page) => expect(await accessibilityViolations(page), page.url()).to.deep.equal([]);

  it('when an association member finds, invites and later confirms a resident, then every step works and is accessible', async () => {
    const problems: string[] = [];
    const base = browser.baseUrl;
    const member = await createUser(ctx.db, { name: 'Maja Medlem' });
    const resident = await createUser(ctx.db, { name: 'Tove Trädfällare' });
    const org = await createOrganisation(ctx.db, { name: 'Byaföreningen i Rusksele', municipality_code: '2481' });
    await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: member.id, role: 'admin' });
    const slug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug as string;
    const assignmentId = await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Fälla björkar vid bygdegården',
      categorySlug: 'skog-och-mark',
    });
    // The villages the resident can work in are set on /konto/profil (tested elsewhere); here: Rusksele.
    const rusksele = ctx.deps.reference.localitiesOf('2481').find((locality) => locality.name === 'Rusksele')!;
    await ctx.db('resident_profiles').insert({ user_id: resident.id, availability: 'Helger' });
    await ctx.db('resident_localities').insert({ user_id: resident.id, locality_id: rusksele.id });

    // --- The resident says what they can do, and shows it to organisations ------------------------------------
    const residentPage = await openPage(problems);
    await logInWithForm(residentPage, base, resident.email);
    await residentPage.goto(`${base}/konto/kompetens`);
    await accessible(residentPage);
    await residentPage.getByLabel('Motorsågskörkort', { exact: true }).check();
    await residentPage.locator('summary', { hasText: 'Skog och mark' }).click(); // the area's disclosure
    await residentPage.getByLabel('Trädfällning', { exact: true }).selectOption({ label: 'Erfaren' });
    await residentPage.getByLabel('Bara organisationer').check();
    await residentPage.getByRole('button', { name: 'Spara kompetens' }).click();
    await residentPage.getByText('Din kompetens är sparad').waitFor();
    await accessible(residentPage);

    // --- The association's member searches near the village, with a typo ---------------------------------------
    const orgPage = await openPage(problems);
    await logInWithForm(orgPage, base, member.email);
    const searchUrl = `${base}/kompetens?q=${encodeURIComponent('motrsåg')}&from=Rusksele&radiusKm=20`;
    for (let attempt = 0; ; attempt++) {
      await ctx.runJobs(); // the resident's index job
      await orgPage.goto(searchUrl);
      if ((await orgPage.getByRole('link', { name: 'Tove Trädfällare' }).count()) > 0) break;
      if (attempt === 50) throw new Error('The resident never appeared in the people search');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await accessible(orgPage);
    await orgPage.getByRole('link', { name: 'Tove Trädfällare' }).click();
    await orgPage.waitForURL(/\/kompetens\/person\/[0-9a-f-]{36}$/);
    expect(await orgPage.textContent('main')).to.contain('Motorsågskörkort');
    expect(await orgPage.textContent('main')).not.to.contain(resident.email);
    await accessible(orgPage);
    const cardUrl = orgPage.url();

    await orgPage.getByRole('link', { name: 'Bjud in att söka' }).click();
    await orgPage.waitForURL(/\/bjud-in$/);
    await accessible(orgPage);
    await orgPage.getByLabel('Fälla björkar vid bygdegården').check();
    await orgPage.getByRole('button', { name: 'Skicka inbjudan' }).click();
    await orgPage.waitForURL(/\/bjud-in\?done=/);
    await accessible(orgPage);
    expect(
      await ctx.db('skill_invites').where({ user_id: resident.id, assignment_id: assignmentId }).count('* as n'),
    ).to.deep.equal([{ n: 1 }]);

    // --- The resident reads the invitation and applies ---------------------------------------------------------
    await residentPage.goto(`${base}/konto/kompetens/inbjudningar`);
    await accessible(residentPage);
    expect(await residentPage.textContent('main')).to.contain('Fälla björkar vid bygdegården');
    await residentPage.goto(`${base}/konto/notiser`);
    await accessible(residentPage);
    // A notice opens as a button (it is marked read on the way to its link).
    await residentPage.getByRole('button', { name: /bjuder in dig .*Fälla björkar vid bygdegården/ }).click();
    await residentPage.waitForURL(new RegExp(`/uppdrag/${assignmentId}`));
    await residentPage.getByLabel('Meddelande till uppdragsgivaren').fill('Hej! Jag har motorsågskörkort och egen såg.');
    await residentPage.getByRole('button', { name: 'Skicka intresseanmälan' }).click();
    await residentPage.waitForURL(/\/ansokningar\/\d+\?done=sent/);
    await accessible(residentPage);

    // --- The association accepts, marks it done and leaves feedback ---------------------------------------------
    await orgPage.goto(`${base}/organisationer/${slug}/uppdrag/${assignmentId}/ansokningar`);
    await orgPage.getByRole('link', { name: 'Tove Trädfällare', exact: true }).click();
    await orgPage.waitForURL(/\/ansokningar\/\d+$/);
    await orgPage.getByRole('button', { name: 'Acceptera' }).click();
    await orgPage.waitForURL(/done=accepted/);
    await orgPage.goto(`${base}/organisationer/${slug}/uppdrag`);
    await orgPage.getByRole('link', { name: /^Markera som utfört/ }).click();
    await orgPage.getByRole('button', { name: 'Ja, markera som utfört' }).click();
    await orgPage.waitForURL(/done=completed/);
    await orgPage.getByRole('link', { name: /Lämna omdöme om Tove Trädfällare/ }).click();
    await orgPage.getByLabel('5 – Mycket bra').check();
    await orgPage.getByRole('button', { name: 'Lämna omdöme' }).click();
    await orgPage.waitForURL(/done=saved/);

    // --- … and confirms the skill used -------------------------------------------------------------------------
    await orgPage.goto(`${base}/organisationer/${slug}/uppdrag`);
    await orgPage.getByRole('link', { name: /^Bekräfta kompetens/ }).click();
    await orgPage.waitForURL(new RegExp(`/kompetens/bekrafta/${assignmentId}$`));
    await accessible(orgPage);
    await orgPage.getByLabel('Motorsågskörkort').check();
    await orgPage.getByRole('button', { name: 'Bekräfta valda färdigheter' }).click();
    await orgPage.waitForURL(/done=/);
    await accessible(orgPage);

    // --- The skill shows as confirmed, to the association and to the resident ----------------------------------
    await orgPage.goto(cardUrl);
    const card = (await orgPage.textContent('main')) ?? '';
    expect(card).to.contain('Bekräftad av Byaföreningen i Rusksele');
    expect(card).to.contain('Fälla björkar vid bygdegården');
    await accessible(orgPage);
    await residentPage.goto(`${base}/konto/kompetens`);
    expect(await residentPage.textContent('main')).to.contain('Bekräftad av Byaföreningen i Rusksele');
    await accessible(residentPage);

    expect(problems).to.deep.equal([]);
    await orgPage.close();
    await residentPage.close();
  });
});
