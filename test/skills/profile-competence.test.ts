import { expect } from 'chai';
import request from 'supertest';
import { parseKronor } from '../../src/modules/skills/profile-service.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, postForm, type LoggedIn } from '../support/users.js';

// The resident's competence profile (issue 15, item 2): skills with a level, certificates with an expiry, languages,
// typed free words, wishes, who sees it; offers; hiding confirmations. Through HTTP, against the real database.

describe('Competence profile (/konto/kompetens)', function () {
  this.timeout(120_000);
  const ctx = useTestApp();
  let resident: { id: number; email: string };
  let client: LoggedIn;

  const skillId = async (slug: string) => ((await ctx.db('skills').where('slug', slug).first('id')) as { id: number }).id;
  const residentSkills = async (userId: number) =>
    (await ctx
      .db('resident_skills as rs')
      .join('skills as s', 's.id', 'rs.skill_id')
      .where('rs.user_id', userId)
      .orderBy('s.slug')
      .select('s.slug', 's.curated', 'rs.level', 'rs.expires_on')) as Array<{
      slug: string;
      curated: boolean;
      level: string | null;
      expires_on: string | null;
    }>;
  const syncJobs = async (userId: number) =>
    Number(
      (
        (await ctx.db.raw(`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'index_person' AND key = ?`, [
          `index_person:${userId}`,
        ])) as { rows: Array<{ n: string }> }
      ).rows[0]!.n,
    );

  before(async () => {
    resident = await createUser(ctx.db, { email: 'kompetens.boende@example.se', name: 'Kompetens Boende' });
    client = await logInAs(ctx.app, resident.email);
  });

  it('when a visitor opens the page, then they are sent to log in; a visitor POST is refused', async () => {
    const res = await request(ctx.app).get('/konto/kompetens');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.match(/^\/logga-in/);
  });

  it('when the page opens, then the vocabulary is there to pick from without JavaScript, hidden is the default', async () => {
    const res = await client.agent.get('/konto/kompetens').expect(200);
    expect(res.text).to.include(`value="${await skillId('vedhuggning')}:can_teach"`);
    expect(res.text).to.include(`name="certificates" value="${await skillId('motorsagskorkort')}"`);
    expect(res.text).to.include(`name="languages" value="${await skillId('finska')}"`);
    expect(res.text).to.include('<datalist id="vocabulary-suggestions">');
    expect(res.text).to.match(/name="visibility" value="hidden"[^>]*checked/);
    expect(res.text).to.match(/name="invitesAllowed"[^>]*checked/);
    expect(res.text).not.to.match(/name="learningMatches"[^>]*checked/);
  });

  it('when every field is saved, then skills, levels, expiry, languages, free tags, wishes and switches are stored and the index is told', async () => {
    const [ved, motorsag, bkort, finska, svenska] = await Promise.all(
      ['vedhuggning', 'motorsagskorkort', 'b-korkort', 'finska', 'svenska'].map(skillId),
    );
    await ctx.db.raw('SELECT graphile_worker.remove_job(?)', [`index_person:${resident.id}`]);
    const body = [
      `skills=${ved}:can_teach`,
      'skills=',
      `certificates=${motorsag}`,
      `expires-${motorsag}=2020-05-31`,
      `certificates=${bkort}`,
      `expires-${bkort}=`,
      `languages=${finska}`,
      `languages=${svenska}`,
      `newSkills=${encodeURIComponent('Näverslöjd, snickare, ,  ')}`,
      'newSkillsLevel=beginner',
      `newCertificates=${encodeURIComponent('Sprängkort')}`,
      `newLanguages=${encodeURIComponent('Kvänska')}`,
      `wishes=${encodeURIComponent('Motorsåg, Fågelskådning')}`,
      'visibility=organisations',
      'learningMatches=on',
    ].join('&');
    const res = await postForm(client, '/konto/kompetens', body);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/konto/kompetens?done=saved');

    const skills = await residentSkills(resident.id);
    expect(skills).to.deep.include({ slug: 'vedhuggning', curated: true, level: 'can_teach', expires_on: null });
    expect(skills).to.deep.include({ slug: 'motorsagskorkort', curated: true, level: null, expires_on: '2020-05-31' });
    expect(skills).to.deep.include({ slug: 'b-korkort', curated: true, level: null, expires_on: null });
    expect(skills).to.deep.include({ slug: 'naverslojd', curated: false, level: 'beginner', expires_on: null });
    // "snickare" is a synonym of Snickeri: the curated skill, not a free tag.
    expect(skills).to.deep.include({ slug: 'snickeri', curated: true, level: 'beginner', expires_on: null });
    expect(skills.map((s) => s.slug)).to.include.members(['finska', 'svenska', 'sprangkort', 'kvanska']);
    expect(skills.find((s) => s.slug === 'sprangkort')).to.include({ curated: false });
    const wishes = (await ctx
      .db('resident_learning_wishes as w')
      .join('skills as s', 's.id', 'w.skill_id')
      .where('w.user_id', resident.id)
      .pluck('s.slug')) as string[];
    expect(wishes.sort()).to.deep.equal(['fagelskadning', 'motorsagskorkort']);
    const profile = await ctx.db('resident_profiles').where('user_id', resident.id).first();
    expect(profile).to.include({ visibility: 'organisations', invites_allowed: false, learning_matches: true });
    expect(await syncJobs(resident.id)).to.equal(1);

    const page = await client.agent.get('/konto/kompetens?done=saved').expect(200);
    expect(page.text).to.include('Din kompetens är sparad');
    expect(page.text).to.include('Näverslöjd'); // the free tag is a row of its own now
    expect(page.text).to.match(new RegExp(`value="${ved}:can_teach" selected`));
    expect(page.text).to.include('value="2020-05-31"');
    expect(page.text).to.include('Utgånget'); // 2020 has passed
    expect(page.text).to.include('value="Fågelskådning, Motorsågskörkort"');
  });

  it('when a skill is unselected and saved again, then it is gone and the rest stays', async () => {
    const ved = await skillId('vedhuggning');
    await postForm(client, '/konto/kompetens', `skills=${ved}:experienced&visibility=public&invitesAllowed=on`).expect(303);
    const skills = await residentSkills(resident.id);
    expect(skills).to.deep.equal([{ slug: 'vedhuggning', curated: true, level: 'experienced', expires_on: null }]);
    const profile = await ctx.db('resident_profiles').where('user_id', resident.id).first();
    expect(profile).to.include({ visibility: 'public', invites_allowed: true, learning_matches: false });
  });

  const refused = async (body: string, field: string, kept?: string) => {
    const res = await postForm(client, '/konto/kompetens', body);
    expect(res.status, `${body} → ${res.status}`).to.equal(400);
    expect(res.text).to.include(`id="${field}-error"`);
    if (kept) expect(res.text).to.include(kept);
    return res;
  };

  it('when fields get hostile, oversized, wrong-typed or unknown values, then each is refused beside its field with the input kept', async () => {
    const motorsag = await skillId('motorsagskorkort');
    const finska = await skillId('finska');
    const before = await residentSkills(resident.id);
    await refused('skills=999999:beginner&visibility=public', 'skills');
    await refused(`skills=${finska}:beginner&visibility=public`, 'skills'); // a language is no skill
    await refused('skills=abc&visibility=public', 'skills');
    await refused(`skills=${await skillId('vedhuggning')}:guru&visibility=public`, 'skills');
    await refused('certificates=999999&visibility=public', 'certificates');
    await refused(`certificates=${finska}&visibility=public`, 'certificates');
    await refused('languages=1%3B%20DROP%20TABLE%20skills&visibility=public', 'languages');
    await refused(
      `certificates=${motorsag}&expires-${motorsag}=2026-02-30&visibility=public`,
      `expires-${motorsag}`,
      'value="2026-02-30"',
    );
    await refused(`certificates=${motorsag}&expires-${motorsag}=1850-01-01&visibility=public`, `expires-${motorsag}`);
    await refused(`certificates=${motorsag}&expires-${motorsag}=9999-12-31&visibility=public`, `expires-${motorsag}`);
    await refused(`certificates=${motorsag}&expires-${motorsag}=imorgon&visibility=public`, `expires-${motorsag}`);
    await refused(`newSkills=${'x'.repeat(61)}&visibility=public`, 'newSkills', 'x'.repeat(61));
    await refused(`newSkills=${Array.from({ length: 41 }, (_, i) => `ord${i}`).join(',')}&visibility=public`, 'newSkills');
    await refused(`newSkills=${'a,'.repeat(800)}&visibility=public`, 'newSkills');
    await refused(`wishes=${Array.from({ length: 21 }, (_, i) => `önskan${i}`).join(',')}&visibility=public`, 'wishes');
    await refused('newLanguages=a%00b&visibility=public', 'newLanguages');
    await refused('newSkills=a&newSkills=b&visibility=public', 'newSkills');
    await refused('newSkillsLevel=master&visibility=public', 'newSkillsLevel');
    await refused('visibility=everyone', 'visibility');
    await refused('', 'visibility');
    await refused('visibility=public&invitesAllowed=yes%3Cscript%3E', 'invitesAllowed');
    const hostile = await refused(`newSkills=${encodeURIComponent('<script>alert(1)</script>')}&visibility=x`, 'visibility');
    expect(hostile.text).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile.text).not.to.include('<script>alert(1)</script>');
    // Nothing was saved by any refused form (free tags made on the way were rolled back too).
    expect(await residentSkills(resident.id)).to.deep.equal(before);
    expect(await ctx.db('skills').where('slug', 'ord0').first()).to.equal(undefined);
  });

  it('when more than 40 skills come from selects and typed words together, then the form is refused and nothing is kept', async () => {
    const curated = (await ctx.db('skills').where({ kind: 'skill', curated: true }).pluck('id')) as number[];
    const body = [
      ...curated.slice(0, 35).map((id) => `skills=${id}:beginner`),
      `newSkills=${Array.from({ length: 10 }, (_, i) => `fritt${i}`).join(',')}`,
      'visibility=public',
    ].join('&');
    await refused(body, 'skills');
    expect(await ctx.db('skills').where('slug', 'fritt0').first()).to.equal(undefined);
  });

  describe('offers', () => {
    it('when an offer is added, changed and removed (through its confirmation step), then the card follows', async () => {
      await client.agent.get('/konto/kompetens/erbjudanden/ny').expect(200);
      await postForm(client, '/konto/kompetens/erbjudanden/ny', {
        title: 'Vedhuggning',
        description: 'Jag hugger och staplar.',
        payment: 'price',
        price: '1 200,50 kr',
      }).expect(303);
      const [offer] = await ctx.db('resident_offers').where('user_id', resident.id).select('*');
      expect(offer).to.include({ title: 'Vedhuggning', price_ore: 120050, volunteer: false });
      let page = await client.agent.get('/konto/kompetens').expect(200);
      expect(page.text).to.match(/Cirka 1\s200,50 kr/u);

      await client.agent.get(`/konto/kompetens/erbjudanden/${offer.id}`).expect(200);
      await postForm(client, `/konto/kompetens/erbjudanden/${offer.id}`, {
        title: 'Snöskottning',
        payment: 'volunteer',
        price: '',
      }).expect(303);
      expect(await ctx.db('resident_offers').where('id', offer.id).first()).to.include({
        title: 'Snöskottning',
        price_ore: null,
        volunteer: true,
      });
      page = await client.agent.get('/konto/kompetens').expect(200);
      expect(page.text).to.include('Ideellt');

      const confirm = await client.agent.get(`/konto/kompetens/erbjudanden/${offer.id}/ta-bort`).expect(200);
      expect(confirm.text).to.include('Snöskottning');
      expect(await ctx.db('resident_offers').where('id', offer.id).first()).to.not.equal(undefined);
      await postForm(client, `/konto/kompetens/erbjudanden/${offer.id}/ta-bort`).expect(303);
      expect(await ctx.db('resident_offers').where('id', offer.id).first()).to.equal(undefined);
    });

    it('when prices are typed in the ways people write them, then they become öre exactly', () => {
      expect(parseKronor('350')).to.equal(35000);
      expect(parseKronor('350 kr')).to.equal(35000);
      expect(parseKronor('1 200,50')).to.equal(120050);
      expect(parseKronor('1\u00a0200,5')).to.equal(120050);
      expect(parseKronor('0,10')).to.equal(10);
      expect(parseKronor('19.99')).to.equal(1999);
      expect(parseKronor('350:-')).to.equal(35000);
      expect(parseKronor('1000000')).to.equal(100_000_000);
      for (const bad of ['', 'gratis', '-5', '1,234', '1e5', '10000001', '3,5,0', '0x10', 'NaN', 'Infinity'])
        expect(parseKronor(bad), bad).to.equal(undefined);
    });

    it('when an offer has bad input, then it is refused beside the field with the input kept', async () => {
      const bad = async (fields: Record<string, unknown>, field: string) => {
        const res = await postForm(client, '/konto/kompetens/erbjudanden/ny', fields);
        expect(res.status, JSON.stringify(fields)).to.equal(400);
        expect(res.text).to.include(`id="${field}-error"`);
        return res;
      };
      await bad({ title: '', payment: 'volunteer' }, 'title');
      await bad({ title: 'x'.repeat(81), payment: 'volunteer' }, 'title');
      await bad({ title: 'Hjälp', description: 'y'.repeat(501), payment: 'volunteer' }, 'description');
      await bad({ title: 'Hjälp', payment: 'price', price: 'gratis' }, 'price');
      await bad({ title: 'Hjälp', payment: 'price', price: '' }, 'price');
      await bad({ title: 'Hjälp', payment: 'price', price: '99999999' }, 'price');
      await bad({ title: 'Hjälp', payment: 'bitcoin' }, 'payment');
      await bad({ title: ['a', 'b'], payment: 'volunteer' }, 'title');
      const res = await bad({ title: '<img src=x onerror=alert(1)>', payment: 'price', price: 'mycket' }, 'price');
      expect(res.text).to.include('value="&lt;img src=x onerror=alert(1)&gt;"');
      expect(await ctx.db('resident_offers').where('user_id', resident.id).count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    });

    it('when the resident has 10 offers, then an eleventh is refused', async () => {
      for (let i = 0; i < 10; i++)
        await postForm(client, '/konto/kompetens/erbjudanden/ny', { title: `Tjänst ${i}`, payment: 'volunteer' }).expect(303);
      const res = await postForm(client, '/konto/kompetens/erbjudanden/ny', { title: 'En till', payment: 'volunteer' });
      expect(res.status).to.equal(409);
      expect(res.text).to.include('id="title-error"');
      await ctx.db('resident_offers').where('user_id', resident.id).delete();
    });

    it("when someone opens, changes or removes another resident's offer, then it is a 404 and the offer stays", async () => {
      const other = await createUser(ctx.db);
      const [offer] = await ctx
        .db('resident_offers')
        .insert({ user_id: other.id, title: 'Annans', volunteer: true })
        .returning('id');
      await client.agent.get(`/konto/kompetens/erbjudanden/${offer.id}`).expect(404);
      await postForm(client, `/konto/kompetens/erbjudanden/${offer.id}`, { title: 'Min nu', payment: 'volunteer' }).expect(404);
      await client.agent.get(`/konto/kompetens/erbjudanden/${offer.id}/ta-bort`).expect(404);
      await postForm(client, `/konto/kompetens/erbjudanden/${offer.id}/ta-bort`).expect(404);
      await client.agent.get('/konto/kompetens/erbjudanden/abc').expect(404);
      await client.agent.get('/konto/kompetens/erbjudanden/99999999999999999999').expect(404);
      expect(await ctx.db('resident_offers').where('id', offer.id).first()).to.include({ title: 'Annans' });
    });
  });

  describe('confirmations', () => {
    it('when the resident hides and shows a confirmation, then it changes; another resident gets a 404 and changes nothing', async () => {
      const organisation = await createOrganisation(ctx.db, { name: 'Byaföreningen i Rusksele' });
      const assignment = await createTestAssignment(ctx.db, {
        organisationId: organisation.id,
        title: 'Vedhuggning vid bygdegården',
      });
      const [confirmation] = await ctx
        .db('skill_confirmations')
        .insert({
          user_id: resident.id,
          skill_id: await skillId('vedhuggning'),
          assignment_id: assignment,
          organisation_id: organisation.id,
          confirmed_at: new Date('2026-03-15T12:00:00Z'),
        })
        .returning('id');
      const page = await client.agent.get('/konto/kompetens').expect(200);
      expect(page.text).to.include('Bekräftad av Byaföreningen i Rusksele efter');
      expect(page.text).to.include(`<a href="/uppdrag/${assignment}">Vedhuggning vid bygdegården</a>, mars 2026`);

      await postForm(client, `/konto/kompetens/bekraftelser/${confirmation.id}`, { hidden: 'yes' }).expect(303);
      expect(await ctx.db('skill_confirmations').where('id', confirmation.id).first()).to.include({ hidden: true });
      await postForm(client, `/konto/kompetens/bekraftelser/${confirmation.id}`, { hidden: 'no' }).expect(303);
      expect(await ctx.db('skill_confirmations').where('id', confirmation.id).first()).to.include({ hidden: false });
      await postForm(client, `/konto/kompetens/bekraftelser/${confirmation.id}`, { hidden: 'kanske' }).expect(400);

      const other = await createUser(ctx.db);
      const otherClient = await logInAs(ctx.app, other.email);
      await postForm(otherClient, `/konto/kompetens/bekraftelser/${confirmation.id}`, { hidden: 'yes' }).expect(404);
      await postForm(otherClient, '/konto/kompetens/bekraftelser/abc', { hidden: 'yes' }).expect(404);
      expect(await ctx.db('skill_confirmations').where('id', confirmation.id).first()).to.include({ hidden: false });
    });
  });
});
