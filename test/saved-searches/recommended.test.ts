import { expect } from 'chai';
import { createApplication, createOrganisation, createTestAssignment, isoDay } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs } from '../support/users.js';

// "Rekommenderat för dig" on /konto: open assignments in the resident's skill
// categories and in their villages, their villages' municipalities or their
// home municipality; their own villages first, then the newest; at most six;
// nothing that is not open, nothing already applied to, nothing of their own
// organisations. Without skills in the profile: a hint to fill it in.

describe('Recommended for you', function () {
  this.timeout(60_000);
  const ctx = useTestApp();

  /** The titles in the recommendations section of /konto, in order. */
  async function recommendedTitles(email: string): Promise<{ titles: string[]; section: string }> {
    const { agent } = await logInAs(ctx.app, email);
    const page = await agent.get('/konto').expect(200);
    const section = /<section class="recommended"[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
    const titles = [...section.matchAll(/<h3 class="card-title"><a href="[^"]+">([^<]+)<\/a>/g)].map((match) => match[1]!);
    return { titles, section };
  }

  async function withProfile(categories: string[], localities: string[]) {
    const user = await createUser(ctx.db); // home municipality Lycksele (2481)
    const categoryIds = await ctx.db('categories').whereIn('slug', categories).pluck('id');
    const localityIds = await ctx.db('localities').whereIn('slug', localities).pluck('id');
    if (categoryIds.length)
      await ctx.db('resident_categories').insert(categoryIds.map((id) => ({ user_id: user.id, category_id: id })));
    if (localityIds.length)
      await ctx.db('resident_localities').insert(localityIds.map((id) => ({ user_id: user.id, locality_id: id })));
    return user;
  }

  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000);

  it('when the profile names skills and villages, then open matching assignments show, own villages first, then the newest', async () => {
    const org = await createOrganisation(ctx.db, { name: 'Lycksele byaförening' });
    const ownOrg = await createOrganisation(ctx.db, { name: 'Residentens egen förening' });
    const resident = await withProfile(['snorojning', 'transport'], ['rusksele-lycksele', 'bastutrask-norsjo']);
    await ctx.db('organisation_members').insert({ organisation_id: ownOrg.id, user_id: resident.id, role: 'admin' });
    const make = (title: string, overrides: Record<string, unknown> = {}) =>
      createTestAssignment(ctx.db, { organisationId: org.id, title, categorySlug: 'snorojning', ...overrides });

    await make('Skotta i Rusksele', { localitySlug: 'rusksele-lycksele', publishedAt: hoursAgo(5) });
    await make('Skotta i Lycksele', { publishedAt: hoursAgo(1) });
    await make('Köra i Lycksele', { categorySlug: 'transport', publishedAt: hoursAgo(2) });
    await make('Skotta i Norsjö', { municipalityCode: '2417', publishedAt: hoursAgo(3) });
    await make('Klippa gräs i Lycksele', { categorySlug: 'tradgard' });
    await make('Skotta i Norrtälje', { municipalityCode: '0188' });
    await make('Utkast om snö', { status: 'draft' });
    const hidden = await make('Dolt snöuppdrag');
    await ctx.db('assignments').where('id', hidden).update({ hidden_at: new Date() });
    const expired = await make('Utgånget snöuppdrag');
    await ctx
      .db('assignments')
      .where('id', expired)
      .update({ apply_by: isoDay(-1) });
    const closed = await make('Stängt snöuppdrag');
    await ctx.db('assignments').where('id', closed).update({ status: 'closed' });
    const applied = await make('Redan sökt snöuppdrag');
    await createApplication(ctx.db, { assignmentId: applied, applicantId: resident.id });
    await createTestAssignment(ctx.db, {
      organisationId: ownOrg.id,
      title: 'Egna föreningens snöuppdrag',
      categorySlug: 'snorojning',
    });

    const { titles, section } = await recommendedTitles(resident.email);
    expect(titles).to.deep.equal(['Skotta i Rusksele', 'Skotta i Lycksele', 'Köra i Lycksele', 'Skotta i Norsjö']);
    expect(section).to.include('<h2 id="recommended-heading">Rekommenderat för dig</h2>');
  });

  it('when many assignments match, then at most six show, the newest first', async () => {
    const org = await createOrganisation(ctx.db);
    const resident = await withProfile(['vatten-och-fiske'], []);
    for (let i = 1; i <= 8; i++)
      await createTestAssignment(ctx.db, {
        organisationId: org.id,
        title: `Fiskevård ${i}`,
        categorySlug: 'vatten-och-fiske',
        publishedAt: hoursAgo(10 - i),
      });
    const { titles } = await recommendedTitles(resident.email);
    expect(titles).to.deep.equal(['Fiskevård 8', 'Fiskevård 7', 'Fiskevård 6', 'Fiskevård 5', 'Fiskevård 4', 'Fiskevård 3']);
  });

  it('when the profile names no skills, then a friendly hint links to the profile instead', async () => {
    const resident = await withProfile([], ['rusksele-lycksele']);
    const { titles, section } = await recommendedTitles(resident.email);
    expect(titles).to.deep.equal([]);
    expect(section).to.include('Berätta i din profil vad du kan').and.include('href="/konto/profil"');
  });

  it('when skills are given but nothing open matches, then it says so and links to the search', async () => {
    const resident = await withProfile(['kultur'], []);
    const { titles, section } = await recommendedTitles(resident.email);
    expect(titles).to.deep.equal([]);
    expect(section).to.include('Just nu finns inga öppna uppdrag som matchar din profil.').and.include('href="/uppdrag"');
  });

  it('when a title holds markup, then the card shows it escaped', async () => {
    const org = await createOrganisation(ctx.db);
    const resident = await withProfile(['administration'], []);
    await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Bokföring <script>alert(1)</script>',
      categorySlug: 'administration',
    });
    const { section } = await recommendedTitles(resident.email);
    expect(section).to.include('Bokföring &lt;script&gt;alert(1)&lt;/script&gt;').and.not.include('<script>alert(1)');
  });
});
