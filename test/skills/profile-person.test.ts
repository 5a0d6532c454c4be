import { expect } from 'chai';
import request from 'supertest';
import { personPath, resolveTypedSkills } from '../../src/modules/skills/index.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, type LoggedIn } from '../support/users.js';

// The person page (issue 15, item 4): what the resident chose to show, to whom they chose. A hidden card is its
// owner's alone, an organisations-only card is for organisation members; everyone else gets the same 404 as for a
// card that does not exist. Never the e-mail.

describe('Person page (/kompetens/person/:publicId)', function () {
  this.timeout(120_000);
  const ctx = useTestApp();
  const XSS = '<script>alert("x")</script>';
  let person: { id: number; email: string; name: string };
  let publicId: string;
  const viewers = {} as Record<'owner' | 'resident' | 'member' | 'admin', LoggedIn>;
  let organisation: { id: number; name: string };

  before(async () => {
    person = await createUser(ctx.db, { email: 'hemlig.adress@example.se', name: `Anna ${XSS}` });
    const resident = await createUser(ctx.db);
    const member = await createUser(ctx.db);
    const admin = await createUser(ctx.db, { isAdmin: true });
    organisation = await createOrganisation(ctx.db, { name: 'Byaföreningen i Rusksele' });
    await ctx.db('organisation_members').insert({ organisation_id: organisation.id, user_id: member.id, role: 'member' });
    await ctx
      .db('users')
      .where('id', person.id)
      .update({ phone: '070-123 45 67' })
      .catch(() => undefined);

    const [profile] = await ctx
      .db('resident_profiles')
      .insert({ user_id: person.id, availability: 'Helger och kvällar', visibility: 'hidden' })
      .returning('public_id');
    publicId = profile.public_id as string;
    const locality = (await ctx.db('localities').where('municipality_code', '2481').first('id', 'name')) as {
      id: number;
      name: string;
    };
    await ctx.db('resident_localities').insert({ user_id: person.id, locality_id: locality.id });
    const free = (await resolveTypedSkills(ctx.db, [XSS], 'skill')).get(XSS)!;
    const slug = async (s: string) => ((await ctx.db('skills').where('slug', s).first('id')) as { id: number }).id;
    await ctx.db('resident_skills').insert([
      { user_id: person.id, skill_id: await slug('vedhuggning'), level: 'can_teach' },
      { user_id: person.id, skill_id: free.id, level: 'beginner' },
      { user_id: person.id, skill_id: await slug('motorsagskorkort'), expires_on: '2020-01-31' },
      { user_id: person.id, skill_id: await slug('b-korkort'), expires_on: '2090-01-31' },
      { user_id: person.id, skill_id: await slug('finska') },
    ]);
    await ctx.db('resident_offers').insert([
      { user_id: person.id, title: `Ved ${XSS}`, description: `<img src=x onerror=alert(1)>`, price_ore: 35000 },
      { user_id: person.id, title: 'Läxhjälp', volunteer: true },
    ]);
    const assignment = await createTestAssignment(ctx.db, { organisationId: organisation.id, title: 'Vedhuggning vid skolan' });
    const hiddenAssignment = await createTestAssignment(ctx.db, { organisationId: organisation.id, title: 'Dold bekräftelse' });
    await ctx.db('skill_confirmations').insert([
      { user_id: person.id, skill_id: await slug('vedhuggning'), assignment_id: assignment, organisation_id: organisation.id },
      {
        user_id: person.id,
        skill_id: await slug('vedhuggning'),
        assignment_id: hiddenAssignment,
        organisation_id: organisation.id,
        hidden: true,
      },
    ]);
    viewers.owner = await logInAs(ctx.app, person.email);
    viewers.resident = await logInAs(ctx.app, resident.email);
    viewers.member = await logInAs(ctx.app, member.email);
    viewers.admin = await logInAs(ctx.app, admin.email);
  });

  const visit = (viewer: keyof typeof viewers | 'visitor', path = personPath(publicId)) =>
    viewer === 'visitor' ? request(ctx.app).get(path) : viewers[viewer].agent.get(path);
  const setVisibility = (visibility: string, invitesAllowed = true) =>
    ctx.db('resident_profiles').where('user_id', person.id).update({ visibility, invites_allowed: invitesAllowed });

  const MATRIX: Record<string, Record<'owner' | 'visitor' | 'resident' | 'member' | 'admin', number>> = {
    hidden: { owner: 200, visitor: 404, resident: 404, member: 404, admin: 404 },
    organisations: { owner: 200, visitor: 404, resident: 404, member: 200, admin: 404 },
    public: { owner: 200, visitor: 200, resident: 200, member: 200, admin: 200 },
  };
  for (const [visibility, expected] of Object.entries(MATRIX))
    it(`when the card is ${visibility}, then each viewer gets what the visibility allows and never the e-mail`, async () => {
      await setVisibility(visibility);
      for (const [viewer, status] of Object.entries(expected)) {
        const res = await visit(viewer as keyof typeof expected);
        expect(res.status, `${visibility} as ${viewer}`).to.equal(status);
        expect(res.text, viewer).not.to.include(person.email);
        expect(res.text, viewer).not.to.include('070-123');
        if (status === 404) expect(res.text).not.to.include('Helger och kvällar');
        else expect(res.text).to.include('Helger och kvällar');
      }
    });

  it('when the owner views a hidden card, then a notice says only they see it', async () => {
    await setVisibility('hidden');
    const res = await visit('owner').expect(200);
    expect(res.text).to.include('Bara du ser det här');
    expect(res.text).not.to.include('/bjud-in'); // no invite to oneself
  });

  it('when the card is shown, then skills with levels, certificates with expiry (expired marked), languages, offers and visible confirmations are there, hostile text escaped', async () => {
    await setVisibility('public');
    const res = await visit('visitor').expect(200);
    expect(res.text).to.include('Vedhuggning');
    expect(res.text).to.include('Kan lära ut');
    expect(res.text).to.include('Motorsågskörkort');
    expect(res.text).to.include('Utgånget');
    expect(res.text).to.include('B-körkort');
    expect(res.text).to.include('Finska');
    expect(res.text).to.include('Läxhjälp');
    expect(res.text).to.include('Ideellt');
    expect(res.text).to.include('Cirka 350 kr');
    expect(res.text).to.include('Bekräftad av Byaföreningen i Rusksele efter');
    expect(res.text).to.include('Vedhuggning vid skolan');
    expect(res.text).not.to.include('Dold bekräftelse');
    expect(res.text).not.to.include('<script>alert');
    expect(res.text).not.to.include('<img src=x');
    expect(res.text).to.include('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;');
    expect(res.text).not.to.include('Bara du ser det här');
  });

  it('when an organisation member views a card that allows invites, then "Bjud in att söka" links to the invite page; not otherwise', async () => {
    await setVisibility('public', true);
    expect((await visit('member').expect(200)).text).to.include(`href="/kompetens/person/${publicId}/bjud-in"`);
    expect((await visit('resident').expect(200)).text).not.to.include('/bjud-in');
    expect((await visit('visitor').expect(200)).text).not.to.include('/bjud-in');
    await setVisibility('public', false);
    expect((await visit('member').expect(200)).text).not.to.include('/bjud-in');
  });

  it('when the public id is malformed or unknown, then it is a 404, never a 500', async () => {
    await setVisibility('public');
    for (const bad of [
      'abc',
      '1',
      '00000000-0000-0000-0000-000000000000',
      `${publicId}x`,
      '%00',
      "'%20OR%201=1--",
      'x'.repeat(500),
    ])
      expect((await visit('member', `/kompetens/person/${bad}`)).status, bad).to.equal(404);
    expect((await visit('visitor', `/kompetens/person/${publicId.toUpperCase()}`)).status).to.equal(200);
  });
});
