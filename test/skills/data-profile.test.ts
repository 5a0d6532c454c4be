import { expect } from 'chai';
import { createApplication, createOrganisation, createTestAssignment, isoDay } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, postForm } from '../support/users.js';

// What read the old free-text skills now read the competence tables: the profile page sums the competence profile up
// and links to it, an application's shared profile shows skills with level, certificates (expired marked),
// languages and confirmations (never while the resident keeps them hidden), and "Rekommenderat för dig" follows the
// resident's skills.

describe('Competence where the old skills were read (profile, applications, recommendations)', function () {
  this.timeout(60_000);
  const ctx = useTestApp();

  const skillId = async (slug: string) => (await ctx.db('skills').where('slug', slug).first('id')).id as number;
  const giveSkill = async (userId: number, slug: string, row: Record<string, unknown> = {}) =>
    ctx.db('resident_skills').insert({ user_id: userId, skill_id: await skillId(slug), ...row });

  describe('the profile page', () => {
    it('when the resident has a competence profile, then /konto/profil says what is there and who sees it, and links to /konto/kompetens', async () => {
      const user = await createUser(ctx.db);
      await ctx.db('resident_profiles').insert({ user_id: user.id, visibility: 'organisations' });
      for (const slug of ['vedhuggning', 'tradfallning', 'snickeri', 'motorsagskorkort', 'finska'])
        await giveSkill(user.id, slug);
      const me = await logInAs(ctx.app, user.email);
      const page = await me.agent.get('/konto/profil').expect(200);
      expect(page.text).to.include('Kompetens').and.include('3 färdigheter, 1 certifikat, 1 språk, synlig för organisationer.');
      expect(page.text).to.include('href="/konto/kompetens"');
      // The old free-text field and visibility radios are gone.
      expect(page.text).to.not.include('name="skillTags"').and.not.include('name="visibleToOrganisations"');
    });

    it('when the resident has nothing yet, then the summary says so and that it is hidden', async () => {
      const user = await createUser(ctx.db);
      const me = await logInAs(ctx.app, user.email);
      const page = await me.agent.get('/konto/profil').expect(200);
      expect(page.text).to.include('0 färdigheter, 0 certifikat, 0 språk, dold för alla utom dig.');
    });

    it('when an old form posts skillTags and visibleToOrganisations, then they are ignored and visibility is left as it was', async () => {
      const user = await createUser(ctx.db);
      await ctx.db('resident_profiles').insert({ user_id: user.id, visibility: 'public' });
      const me = await logInAs(ctx.app, user.email);
      await postForm(me, '/konto/profil', {
        bio: 'Hej',
        skillTags: '<script>alert(1)</script>',
        visibleToOrganisations: 'no',
      }).expect(303);
      expect(await ctx.db('resident_profiles').where('user_id', user.id).first('bio', 'visibility')).to.deep.equal({
        bio: 'Hej',
        visibility: 'public',
      });
      expect(await ctx.db('resident_skills').where('user_id', user.id)).to.deep.equal([]);
    });

    it('when the profile is saved, then the people index is told in the same transaction (villages and availability are on the card)', async () => {
      const user = await createUser(ctx.db);
      const me = await logInAs(ctx.app, user.email);
      await postForm(me, '/konto/profil', { availability: 'Helger' }).expect(303);
      const jobs = await ctx.db.raw(`SELECT key FROM graphile_worker.jobs WHERE key = ?`, [`index_person:${user.id}`]);
      expect(jobs.rows).to.have.length(1);
    });
  });

  describe("an application's shared profile", () => {
    let memberLogin: Awaited<ReturnType<typeof logInAs>>;
    let organisationId: number;

    before(async () => {
      const org = await createOrganisation(ctx.db, { name: 'Kompetensföreningen' });
      organisationId = org.id;
      const member = await createUser(ctx.db);
      await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: member.id, role: 'admin' });
      memberLogin = await logInAs(ctx.app, member.email);
    });

    async function applicationOf(visibility: 'hidden' | 'organisations' | 'public') {
      const applicant = await createUser(ctx.db);
      await ctx.db('resident_profiles').insert({ user_id: applicant.id, bio: 'Skogsvan', visibility });
      await giveSkill(applicant.id, 'tradfallning', { level: 'can_teach' });
      await giveSkill(applicant.id, 'vedhuggning', { level: 'beginner' });
      await giveSkill(applicant.id, 'motorsagskorkort', { expires_on: isoDay(-10) });
      await giveSkill(applicant.id, 'b-korkort', { expires_on: isoDay(400) });
      await giveSkill(applicant.id, 'samiska', { level: 'experienced' });
      const done = await createTestAssignment(ctx.db, { organisationId, title: 'Fälla granar vid skolan' });
      await ctx.db('assignments').where('id', done).update({ status: 'completed', completed_at: new Date() });
      await ctx.db('skill_confirmations').insert([
        { user_id: applicant.id, skill_id: await skillId('tradfallning'), assignment_id: done, organisation_id: organisationId },
        {
          user_id: applicant.id,
          skill_id: await skillId('vedhuggning'),
          assignment_id: done,
          organisation_id: organisationId,
          hidden: true,
        },
      ]);
      const assignmentId = await createTestAssignment(ctx.db, { organisationId });
      return createApplication(ctx.db, { assignmentId, applicantId: applicant.id, shareProfile: true });
    }

    it('when the applicant shares a visible profile, then members see skills with level, certificates (expired marked), languages and confirmations', async () => {
      const id = await applicationOf('organisations');
      const page = await memberLogin.agent.get(`/ansokningar/${id}`).expect(200);
      expect(page.text).to.include('Trädfällning: kan lära ut, bekräftad 1 gång');
      expect(page.text).to.match(/Vedhuggning: nybörjare\s*</); // its confirmation is hidden by the resident
      expect(page.text).to.match(/Motorsågskörkort: utgånget \d/);
      expect(page.text).to.match(/B-körkort: gäller till \d/);
      expect(page.text).to.include('Samiska: erfaren');
      expect(page.text).to.include('Certifikat').and.include('Språk');
    });

    it('when the applicant keeps the competence profile hidden, then the application shows none of it', async () => {
      const id = await applicationOf('hidden');
      const page = await memberLogin.agent.get(`/ansokningar/${id}`).expect(200);
      expect(page.text).to.include('Skogsvan');
      expect(page.text).to.not.include('Trädfällning').and.not.include('Motorsågskörkort').and.not.include('Samiska');
    });
  });

  describe('recommendations on /konto', () => {
    it('when the resident names no category but has skills, then assignments in their skills’ categories and asking for their skills are recommended', async () => {
      const org = await createOrganisation(ctx.db, { name: 'Rekommendationsföreningen' });
      const resident = await createUser(ctx.db); // home municipality Lycksele
      await giveSkill(resident.id, 'vedhuggning'); // category skog-och-mark
      await giveSkill(resident.id, 'hygienintyg');
      await createTestAssignment(ctx.db, {
        organisationId: org.id,
        title: 'Hugga ved i Rusksele',
        categorySlug: 'skog-och-mark',
      });
      const asking = await createTestAssignment(ctx.db, {
        organisationId: org.id,
        title: 'Koka kaffe på marknaden',
        categorySlug: 'ovrigt',
      });
      await ctx.db('assignment_skills').insert({ assignment_id: asking, skill_id: await skillId('hygienintyg') });
      await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Sortera papper', categorySlug: 'ovrigt' });
      const { agent } = await logInAs(ctx.app, resident.email);
      const page = await agent.get('/konto').expect(200);
      const section = /<section class="recommended"[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
      expect(section).to.include('Hugga ved i Rusksele').and.include('Koka kaffe på marknaden');
      expect(section).to.not.include('Sortera papper');
    });
  });
});
