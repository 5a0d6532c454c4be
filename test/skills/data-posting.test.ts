import { expect } from 'chai';
import request from 'supertest';
import { createOrganisation, isoDay } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, postForm, type LoggedIn } from '../support/users.js';

// The skills an assignment asks for (issue 15, demand): typed on the posting form, matched to the vocabulary (free
// tags for the rest), saved with the assignment in one transaction, and shown as tags on the assignment's page.

const form = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: 'Fälla träd vid bygdegården',
  description: 'Tre granar lutar mot bygdegården och behöver fällas säkert och kapas till ved.',
  category: 'skog-och-mark',
  municipality: '2481',
  locality: 'Rusksele',
  compensationType: 'hourly',
  amountSek: '250',
  startsOn: isoDay(10),
  endsOn: isoDay(11),
  applyBy: isoDay(5),
  peopleNeeded: '1',
  intent: 'draft',
  ...overrides,
});

describe('Skills asked for on the posting form', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  let member: LoggedIn;
  let slug: string;

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Efterfrågeföreningen' });
    slug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug as string;
    const user = await createUser(ctx.db);
    await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: user.id, role: 'admin' });
    member = await logInAs(ctx.app, user.email);
  });

  const askedSlugs = async (assignmentId: number) =>
    ctx
      .db('assignment_skills as ask')
      .join('skills as s', 's.id', 'ask.skill_id')
      .where('ask.assignment_id', assignmentId)
      .orderBy('s.slug')
      .pluck('s.slug');
  const newest = async () => (await ctx.db('assignments').orderBy('id', 'desc').first('id')).id as number;
  const count = async (table: string) => Number((await ctx.db(table).count({ n: '*' }))[0]!.n);

  it('when the form is opened, then it has the optional field with a hint', async () => {
    const page = await member.agent.get(`/organisationer/${slug}/uppdrag/nytt`).expect(200);
    expect(page.text)
      .to.include('Efterfrågade färdigheter')
      .and.include('id="skills"')
      .and.include('aria-describedby="skills-hint"');
  });

  it('when skills are typed in any spelling, then each is saved once, matched to the vocabulary or kept as a free tag, and shown on the edit form and the page', async () => {
    await postForm(
      member,
      `/organisationer/${slug}/uppdrag/nytt`,
      form({ skills: 'motorsåg, Trädfällning ,motorsag, Näverslöjd, ,' }),
    ).expect(303);
    const id = await newest();
    expect(await askedSlugs(id)).to.deep.equal(['motorsagskorkort', 'naverslojd', 'tradfallning']);
    expect(await ctx.db('skills').where('slug', 'naverslojd').first('curated', 'kind')).to.deep.equal({
      curated: false,
      kind: 'skill',
    });

    const edit = await member.agent.get(`/organisationer/${slug}/uppdrag/${id}/redigera`).expect(200);
    expect(edit.text).to.match(/id="skills"[^>]*value="Motorsågskörkort, Näverslöjd, Trädfällning"/);

    // Editing replaces them.
    await postForm(member, `/organisationer/${slug}/uppdrag/${id}/redigera`, form({ skills: 'vedhuggning' })).expect(303);
    expect(await askedSlugs(id)).to.deep.equal(['vedhuggning']);

    // Published (the organisation is verified): the assignment's page shows them as tags, also in the preview.
    await postForm(
      member,
      `/organisationer/${slug}/uppdrag/${id}/redigera`,
      form({ skills: "Trädfällning, ' OR 1=1 --" }),
    ).expect(303);
    const preview = await member.agent.get(`/organisationer/${slug}/uppdrag/${id}/forhandsgranska`).expect(200);
    expect(preview.text).to.include('<li class="tag">Trädfällning</li>');
    await postForm(member, `/organisationer/${slug}/uppdrag/${id}/publicera`, {}).expect(303);
    const page = await request(ctx.app).get(`/uppdrag/${id}`).redirects(1).expect(200);
    expect(page.text).to.include('Efterfrågade färdigheter').and.include('<li class="tag">Trädfällning</li>');
    expect(page.text).to.include('<li class="tag">&#39; OR 1=1 --</li>');
  });

  it('when no skills are typed, then none are saved and the page shows no such heading', async () => {
    await postForm(member, `/organisationer/${slug}/uppdrag/nytt`, form({ skills: '' })).expect(303);
    const id = await newest();
    expect(await askedSlugs(id)).to.deep.equal([]);
    await postForm(member, `/organisationer/${slug}/uppdrag/${id}/publicera`, {}).expect(303);
    const page = await request(ctx.app).get(`/uppdrag/${id}`).redirects(1).expect(200);
    expect(page.text).to.not.include('Efterfrågade färdigheter');
  });

  const refused: Array<[string, unknown, string]> = [
    ['eleven skills', Array.from({ length: 11 }, (_, i) => `färdighet${i}`).join(', '), 'högst 10'],
    ['a skill of 61 characters', `${'a'.repeat(61)}, motorsåg`, 'högst 60 tecken'],
    ['markup', 'motorsåg, <script>alert(1)</script>', 'utan tecknen'],
    ['a control character', 'motor\u0007såg', 'tecken som inte kan sparas'],
    ['a NUL character', 'motor\u0000såg', 'tecken som inte kan sparas'],
    ['an array', ['motorsåg', 'ved'], ''],
  ];
  for (const [what, skills, message] of refused) {
    it(`when the skills hold ${what}, then 400 beside the field, the input kept and nothing stored`, async () => {
      const before = [await count('assignments'), await count('assignment_skills'), await count('skills')];
      const res = await postForm(
        member,
        `/organisationer/${slug}/uppdrag/nytt`,
        form({ skills, title: 'Behåll den här titeln' }),
      );
      expect(res.status).to.equal(400);
      expect(res.text).to.include('id="skills-error"').and.include(message);
      expect(res.text).to.include('value="Behåll den här titeln"');
      if (typeof skills === 'string' && !skills.includes('\u0000') && !skills.includes('\u0007'))
        expect(res.text).to.include('value="' + skills.replaceAll('<', '&lt;').replaceAll('>', '&gt;') + '"');
      expect(res.text).to.not.include('<script>alert(1)</script>');
      expect([await count('assignments'), await count('assignment_skills'), await count('skills')]).to.deep.equal(before);
    });
  }
});
