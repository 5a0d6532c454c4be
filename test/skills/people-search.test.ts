import { expect } from 'chai';
import request from 'supertest';
import { checkPeopleIndex } from '../../src/modules/skills/index.js';
import { createOrganisation } from '../support/factories.js';
import { createUser, logInAs } from '../support/users.js';
import { useTestApp } from '../support/test-app.js';
import { createResident, villageSlug, type Resident } from './people-fixture.js';

// GET /kompetens, the people search page: server-rendered, a GET form that works without JavaScript; visitors and
// residents see public profiles, organisation members also the organisations-only ones, nobody a hidden one; bad
// input gives the page with a message beside the field, never a 500.

describe('Find people: /kompetens', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  let open: Resident;
  let hidden: Resident;
  let member: Awaited<ReturnType<typeof logInAs>>;
  let resident: Awaited<ReturnType<typeof logInAs>>;

  before(async () => {
    const { reference } = ctx.deps;
    const rusksele = villageSlug(reference, '2481', 'Rusksele');
    open = await createResident(ctx.db, reference, {
      name: 'Olle Öppen',
      visibility: 'public',
      villages: [rusksele],
      skills: [{ slug: 'motorsagskorkort' }, { slug: 'vedhuggning', level: 'can_teach' }, { slug: 'finska' }],
      confirmed: [{ slug: 'vedhuggning' }],
      offers: ['Fällning av riskträd'],
    });
    await createResident(ctx.db, reference, {
      name: 'Maja Medlemssynlig',
      visibility: 'organisations',
      villages: [rusksele],
      skills: [{ slug: 'motorsagskorkort', level: 'experienced' }],
    });
    hidden = await createResident(ctx.db, reference, {
      name: 'Hanna Hemlig',
      visibility: 'hidden',
      villages: [rusksele],
      skills: [{ slug: 'motorsagskorkort' }],
    });
    await ctx.runJobs();
    const organisation = await createOrganisation(ctx.db);
    const memberUser = await createUser(ctx.db);
    await ctx.db('organisation_members').insert({ organisation_id: organisation.id, user_id: memberUser.id, role: 'member' });
    member = await logInAs(ctx.app, memberUser.email);
    resident = await logInAs(ctx.app, (await createUser(ctx.db)).email);
  });

  it('when a visitor searches "motrsåg", then the public profile is found with its card and link, the others not', async () => {
    const res = await request(ctx.app).get('/kompetens').query({ q: 'motrsåg' }).expect(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.text).to.include('Olle Öppen');
    expect(res.text).to.include(`href="/kompetens/person/${open.publicId}"`);
    expect(res.text).to.include('Rusksele');
    expect(res.text).to.include('Vedhuggning (Kan lära ut)');
    expect(res.text).to.include('Bekräftad');
    expect(res.text).to.include('Motorsågskörkort');
    expect(res.text).to.include('Finska');
    expect(res.text).to.include('Fällning av riskträd');
    expect(res.text).not.to.include('Maja Medlemssynlig');
    expect(res.text).not.to.include('Hanna Hemlig');
    expect(res.text).not.to.include(open.email);
  });

  it('when a resident without organisation searches, then only public profiles; an organisation member also sees organisations-only ones', async () => {
    const asResident = await resident.agent.get('/kompetens').query({ q: 'motorsag' }).expect(200);
    expect(asResident.text).to.include('Olle Öppen');
    expect(asResident.text).not.to.include('Maja Medlemssynlig');
    const asMember = await member.agent.get('/kompetens').query({ q: 'motorsag' }).expect(200);
    expect(asMember.text).to.include('Olle Öppen');
    expect(asMember.text).to.include('Maja Medlemssynlig');
    expect(asMember.text).not.to.include('Hanna Hemlig');
    expect(asMember.text).not.to.include(`/kompetens/person/${hidden.publicId}`);
  });

  it('when someone asks for a visibility in the query, then it is ignored: the scope comes from who they are', async () => {
    for (const query of [
      { visibility: 'organisations' },
      { visibility: ['hidden', 'organisations'] },
      { visibilities: 'hidden' },
    ]) {
      const res = await request(ctx.app).get('/kompetens').query(query).expect(200);
      expect(res.text).not.to.include('Maja Medlemssynlig');
      expect(res.text).not.to.include('Hanna Hemlig');
    }
  });

  it('when the page opens, then facets show counts and a ticked facet narrows the results', async () => {
    const all = await member.agent.get('/kompetens').expect(200);
    expect(all.text).to.match(
      /id="kind-certificate"[^>]*>\s*<label for="kind-certificate">Certifikat och körkort <span class="facet-count">\(2\)/,
    );
    expect(all.text).to.match(/<label for="level-can_teach">Kan lära ut <span class="facet-count">\(1\)/);
    expect(all.text).to.match(/<label for="confirmed-true">Bekräftad av en organisation <span class="facet-count">\(1\)/);
    expect(all.text).to.match(/<label for="municipality-2481">Lycksele <span class="facet-count">\(2\)/);
    const teachers = await member.agent.get('/kompetens').query({ level: 'can_teach' }).expect(200);
    expect(teachers.text).to.include('Olle Öppen');
    expect(teachers.text).not.to.include('Maja Medlemssynlig');
    expect(teachers.text).to.match(/id="level-can_teach" name="level" value="can_teach" checked/);
    const nearby = await member.agent
      .get('/kompetens')
      .query({ from: 'Rusksele', radiusKm: '10', skill: 'motorsagskorkort' })
      .expect(200);
    expect(nearby.text).to.include('Maja Medlemssynlig');
    expect(nearby.text).to.include('2 personer');
  });

  it('when the input is hostile, malformed or unknown, then the page answers with a message, never a 500', async () => {
    const cases: Array<[Record<string, unknown> | string, string]> = [
      [{ q: 'a'.repeat(5000) }, 'Texten är för lång'],
      [{ skill: 'finns-inte' }, 'Okänt val'],
      [{ skill: '"] OR visibility = "hidden' }, 'Okänt val'],
      [{ category: 'nope' }, 'Okänt val'],
      [{ municipality: '9999' }, 'Okänt val'],
      [{ level: 'expert' }, 'Okänt val'],
      [{ kind: 'x' }, 'Okänt val'],
      [{ confirmed: 'maybe' }, 'Okänt val'],
      [{ from: 'Ingenstansby' }, 'Vi hittar ingen by'],
      [{ from: 'Rusksele', radiusKm: '100000' }, 'Välj ett avstånd'],
      [{ page: '99999999999' }, 'Sidan finns inte'],
      [{ page: '-1' }, 'Sidan finns inte'],
      ['q=a&q=b', 'Får bara anges en gång'],
      ['from=a&from=b', 'Får bara anges en gång'],
      ['q=%00', 'otillåtna tecken'],
    ];
    for (const [query, message] of cases) {
      const res = await request(ctx.app).get('/kompetens').query(query);
      expect(res.status, JSON.stringify(query)).to.equal(400);
      expect(res.text, JSON.stringify(query)).to.include(message);
    }
    const xss = await request(ctx.app)
      .get('/kompetens')
      .query({ q: '<script>alert(1)</script>', from: '<img src=x onerror=alert(1)>' });
    expect(xss.status).to.equal(400);
    expect(xss.text).not.to.include('<script>alert(1)</script>');
    expect(xss.text).not.to.include('<img src=x');
    expect(xss.text).to.include('&lt;script&gt;');
    const many = await request(ctx.app)
      .get('/kompetens')
      .query(`${Array.from({ length: 60 }, () => 'skill=vedhuggning').join('&')}`);
    expect(many.status).to.equal(400);
    expect(many.text).to.include('För många val');
  });

  it('when there are more people than fit a page, then the pagination links on with the search kept', async () => {
    const { reference } = ctx.deps;
    for (let i = 0; i < 21; i++)
      await createResident(ctx.db, reference, { visibility: 'public', skills: [{ slug: 'truckkort' }] });
    // One batch rather than 21 indexing tasks; the jobs then find nothing left to do.
    await checkPeopleIndex(
      { db: ctx.db, search: ctx.search, indexPrefix: ctx.config.meili.indexPrefix, log: ctx.deps.log },
      { fix: true },
    );
    await ctx.runJobs();
    const first = await request(ctx.app).get('/kompetens').query({ skill: 'truckkort' }).expect(200);
    expect(first.text).to.include('21 personer');
    expect(first.text).to.include('href="/kompetens?skill=truckkort&amp;page=2"');
    const second = await request(ctx.app).get('/kompetens').query({ skill: 'truckkort', page: '2' }).expect(200);
    expect(second.text.match(/class="card-title"/g)).to.have.length(1);
    const beyond = await request(ctx.app).get('/kompetens').query({ skill: 'truckkort', page: '9' }).expect(200);
    expect(beyond.text).to.include('Ingen matchar sökningen');
  });
});
