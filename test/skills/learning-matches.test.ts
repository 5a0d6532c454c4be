import { expect } from 'chai';
import request from 'supertest';
import { createOrganisationWithMember, createResident, type Resident } from '../support/skills-h3-factories.js';
import { useTestApp } from '../support/test-app.js';
import { logInAs, postForm, type LoggedIn } from '../support/users.js';

// Learn from each other (issue 15, item 6): "can teach" × "want to learn" among residents who both opted in, in the
// same municipality or with villages within 60 km, each allowed to see the other's card; contact only to a match,
// through the platform, rate limited.

describe('Skills: learning from each other', function () {
  this.timeout(90_000);
  const ctx = useTestApp();
  let me: Resident;
  let sameMunicipality: Resident;
  let nearby: Resident;
  let far: Resident;
  let optedOut: Resident;
  let hidden: Resident;
  let organisationsOnly: Resident;
  let client: LoggedIn;
  const PAGE = '/konto/lara-av-varandra';
  const CONTACT = '/konto/lara-av-varandra/kontakt';

  before(async () => {
    const { db } = ctx;
    const lycksele = (await db('localities').where({ municipality_code: '2481' }).orderBy('name').first('id', 'lat', 'lng')) as {
      id: number;
      lat: number;
      lng: number;
    };
    // A village in Norsjö within 60 km of that one, and one in Norrtälje (some 600 km south).
    const { rows: near } = (await db.raw(
      `SELECT id FROM localities WHERE municipality_code = '2417'
       ORDER BY (lat - ?) ^ 2 + ((lng - ?) * cos(radians(?))) ^ 2 LIMIT 1`,
      [lycksele.lat, lycksele.lng, lycksele.lat],
    )) as { rows: Array<{ id: number }> };
    const norrtalje = (await db('localities').where({ municipality_code: '0188' }).first('id')) as { id: number };
    const matching = { learningMatches: true, visibility: 'public' as const };
    me = await createResident(db, {
      ...matching,
      name: 'Mia Mig',
      villages: [lycksele.id],
      skills: [{ slug: 'vedhuggning', level: 'can_teach' }],
      wishes: ['snickeri'],
    });
    sameMunicipality = await createResident(db, {
      ...matching,
      name: 'Sam Samkommun',
      skills: [{ slug: 'snickeri', level: 'can_teach' }],
    });
    nearby = await createResident(db, {
      ...matching,
      name: 'Nora Nära',
      homeMunicipalityCode: '2417',
      villages: [near[0]!.id],
      wishes: ['vedhuggning'],
    });
    far = await createResident(db, {
      ...matching,
      name: 'Fredrik Fjärran',
      homeMunicipalityCode: '0188',
      homeLocalityId: norrtalje.id,
      skills: [{ slug: 'snickeri', level: 'can_teach' }],
    });
    optedOut = await createResident(db, {
      visibility: 'public',
      name: 'Otto Utan',
      skills: [{ slug: 'snickeri', level: 'can_teach' }],
    });
    hidden = await createResident(db, {
      learningMatches: true,
      visibility: 'hidden',
      name: 'Hilda Dold',
      skills: [{ slug: 'snickeri', level: 'can_teach' }],
    });
    organisationsOnly = await createResident(db, {
      learningMatches: true,
      visibility: 'organisations',
      name: 'Olga Orgsynlig',
      skills: [{ slug: 'snickeri', level: 'can_teach' }],
    });
    // A skill that is not "can teach" is no match either.
    await createResident(db, { ...matching, name: 'Erik Erfaren', skills: [{ slug: 'snickeri', level: 'experienced' }] });
    client = await logInAs(ctx.app, me.email);
  });

  it('when both opted in, then matches nearby are listed both ways with what the card shows, and no one else', async () => {
    const res = await client.agent.get(PAGE).expect(200);
    expect(res.text).to.include('Sam Samkommun').and.include('Nora Nära');
    expect(res.text).to.include(`/kompetens/person/${sameMunicipality.publicId}`);
    for (const other of [far, optedOut, hidden, organisationsOnly]) expect(res.text).not.to.include(other.name);
    expect(res.text).not.to.include('Erik Erfaren');
    for (const other of [sameMunicipality, nearby]) expect(res.text).not.to.include(other.email);
    expect(res.text).to.include('Kan lära dig').and.include('Vill lära sig av dig');
  });

  it('when the resident has not opted in, then the page explains and links to where it is switched on', async () => {
    const res = await (await logInAs(ctx.app, optedOut.email)).agent.get(PAGE).expect(200);
    expect(res.text).to.include('Du är inte med i Lära av varandra').and.include('href="/konto/kompetens"');
    expect(res.text).not.to.include('Mia Mig');
    const hiddenPage = await (await logInAs(ctx.app, hidden.email)).agent.get(PAGE).expect(200);
    expect(hiddenPage.text).to.include('Din kompetensprofil är dold').and.not.include('Mia Mig');
    await request(ctx.app).get(PAGE).expect(303);
  });

  it('when a match is written to, then the message is kept for them, they are told, and they can reply', async () => {
    const res = await postForm(client, CONTACT, {
      to: sameMunicipality.publicId,
      message: 'Hej! Kan du visa mig\nhur man fogar?',
    }).expect(303);
    expect(res.headers.location).to.equal(`${PAGE}?done=sent`);
    const rows = await ctx.db('learning_contacts');
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ from_user_id: me.id, to_user_id: sameMunicipality.id });
    const notices = await ctx.db('notifications').where({ type: 'learning_contact' });
    expect(notices.map((notice) => [notice.user_id, notice.link])).to.deep.equal([[sameMunicipality.id, `${PAGE}#meddelanden`]]);
    expect(JSON.stringify(notices[0].params)).not.to.include('fogar'); // the message stays out of the notice and its mail

    const them = await logInAs(ctx.app, sameMunicipality.email);
    const page = await them.agent.get(PAGE).expect(200);
    expect(page.text).to.include('hur man fogar?').and.include(`href="/kompetens/person/${me.publicId}"`);
    expect(page.text).not.to.include(me.email);
    await postForm(them, CONTACT, { to: me.publicId, message: 'Gärna! På lördag?' }).expect(303);
  });

  it('when someone who is no match is written to, then it is refused and nothing is sent', async () => {
    for (const other of [far, optedOut, hidden, organisationsOnly, me]) {
      const res = await postForm(client, CONTACT, { to: other.publicId, message: 'Hej!' }).expect(400);
      expect(res.text).to.include('Du kan bara skriva till någon bland dina träffar.');
    }
    await postForm(client, CONTACT, { to: '00000000-0000-0000-0000-000000000000', message: 'Hej!' }).expect(400);
    expect(await ctx.db('learning_contacts').where({ from_user_id: me.id }).count('* as n').first()).to.deep.equal({ n: 1 });
  });

  it('when the other switches matches off, then they are no longer listed nor reachable', async () => {
    await ctx.db('resident_profiles').where({ user_id: nearby.id }).update({ learning_matches: false });
    const res = await client.agent.get(PAGE).expect(200);
    expect(res.text).not.to.include('Nora Nära');
    await postForm(client, CONTACT, { to: nearby.publicId, message: 'Hej!' }).expect(400);
    await ctx.db('resident_profiles').where({ user_id: nearby.id }).update({ learning_matches: true });
  });

  it('when the fields are hostile, missing or too long, then the page comes back (400) with the message beside the field', async () => {
    const cases: Array<[Record<string, unknown> | string, string]> = [
      [{ to: nearby.publicId, message: '' }, 'Skriv ett meddelande.'],
      [{ to: nearby.publicId, message: '   ' }, 'Skriv ett meddelande.'],
      [{ to: nearby.publicId, message: 'a\u0000b' }, 'tecken som inte kan sparas'],
      [{ to: nearby.publicId, message: 'x'.repeat(1001) }, 'högst 1000 tecken'],
      [`to=${nearby.publicId}&message[a]=1`, 'Skriv ett meddelande.'],
      [{ to: '<script>alert(1)</script>', message: 'Hej' }, 'Du kan bara skriva till någon bland dina träffar.'],
      [{ to: "' OR 1=1 --", message: 'Hej' }, 'Du kan bara skriva till någon bland dina träffar.'],
      [{ message: 'Hej' }, 'Du kan bara skriva till någon bland dina träffar.'],
    ];
    for (const [body, message] of cases) {
      const res = await postForm(client, CONTACT, body).expect(400);
      expect(res.text, JSON.stringify(body).slice(0, 80)).to.include(message);
      expect(res.text).not.to.include('<script>alert(1)');
    }
    // Markup in an accepted message is shown as text.
    await postForm(client, CONTACT, { to: nearby.publicId, message: '<script>alert(1)</script>' }).expect(303);
    const page = await (await logInAs(ctx.app, nearby.email)).agent.get(PAGE).expect(200);
    expect(page.text).to.include('&lt;script&gt;alert(1)&lt;/script&gt;').and.not.include('<script>alert(1)');
  });

  it('when a sender writes a third time to one person in a day, or an eleventh time to anyone, then it is refused with 429', async () => {
    await postForm(client, CONTACT, { to: nearby.publicId, message: 'Två' }).expect(303);
    const third = await postForm(client, CONTACT, { to: nearby.publicId, message: 'Tre' }).expect(429);
    expect(third.text).to.include('två gånger det senaste dygnet');
    await ctx
      .db('learning_contacts')
      .insert(Array.from({ length: 10 }, () => ({ from_user_id: me.id, to_user_id: far.id, message: 'Gammalt' })));
    const res = await postForm(client, CONTACT, { to: sameMunicipality.publicId, message: 'Hej igen' }).expect(429);
    expect(res.text).to.include('senaste dygnet');
  });

  it('when the actor is an organisation member, then organisations-only profiles that may see theirs match too', async () => {
    const organisation = await createOrganisationWithMember(ctx.db);
    const memberResident = await createResident(ctx.db, {
      learningMatches: true,
      visibility: 'organisations',
      name: 'Maja Medlem',
      wishes: ['snickeri'],
    });
    await ctx.db('organisation_members').insert({ organisation_id: organisation.id, user_id: memberResident.id, role: 'member' });
    const res = await (await logInAs(ctx.app, memberResident.email)).agent.get(PAGE).expect(200);
    // Olga shows her card to organisations: Maja (a member) sees her, and Olga (no member) cannot see Maja's card, so
    // no match; Sam is public and Maja's card is shown to organisations, which Sam is not: no match either.
    expect(res.text).not.to.include('Olga Orgsynlig').and.not.include('Sam Samkommun');
    await ctx
      .db('organisation_members')
      .insert({ organisation_id: organisation.id, user_id: organisationsOnly.id, role: 'member' });
    const again = await (await logInAs(ctx.app, memberResident.email)).agent.get(PAGE).expect(200);
    expect(again.text).to.include('Olga Orgsynlig');
  });
});
