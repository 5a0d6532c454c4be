import { expect } from 'chai';
import request from 'supertest';
import { createOrganisation, isoDay } from '../support/factories.js';
import { fileOptions, filesUnder, png } from '../support/files.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, type LoggedIn, logInAs, postForm } from '../support/users.js';

// Posting and the lifecycle through HTTP: the form with every field, each bad
// input beside its field with the input kept, every transition allowed and
// forbidden, review of unverified organisations' assignments, and the roles.

const XSS = '"><script>alert(1)</script>';
const XSS_ESCAPED = '&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';

const validForm = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: 'Skotta snö vid bygdegården',
  description: 'Vi behöver hjälp att skotta.\n\n- Trappan\n- Parkeringen',
  category: 'snorojning',
  municipality: '2481',
  locality: 'Rusksele',
  point: '64.8151, 18.8993',
  compensationType: 'hourly',
  amountSek: '180',
  estimatedHours: '4,5',
  startsOn: isoDay(3),
  endsOn: isoDay(5),
  applyBy: isoDay(2),
  peopleNeeded: '2',
  requirements: 'Egen skyffel',
  workTraining: 'on',
  supervisorAvailable: 'on',
  intent: 'draft',
  ...overrides,
});

describe('Posting assignments', () => {
  const ctx = useTestApp();
  let member: LoggedIn;
  let unverifiedMember: LoggedIn;
  let otherMember: LoggedIn;
  let resident: LoggedIn;
  let admin: LoggedIn;
  let slug: string;
  let unverifiedSlug: string;
  let unverifiedMemberId: number;

  const post = postForm;

  const slugOf = async (id: number) => (await ctx.db('organisations').where('id', id).first('slug')).slug as string;

  /** Creates through the form; returns the new id. */
  async function createDraft(client = member, orgSlug = slug, overrides: Record<string, unknown> = {}): Promise<number> {
    const res = await post(client, `/organisationer/${orgSlug}/uppdrag/nytt`, validForm(overrides));
    expect(res.status, res.text).to.equal(303);
    const row = await ctx.db('assignments').orderBy('id', 'desc').first('id');
    return row.id as number;
  }

  const searchIds = async () =>
    ((await request(ctx.app).get('/api/v1/assignments').expect(200)).body.hits as Array<{ id: number }>).map((h) => h.id);

  const statusOf = async (id: number) => (await ctx.db('assignments').where('id', id).first('status')).status as string;

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Rusksele byaförening' });
    const unverified = await createOrganisation(ctx.db, { name: 'Ny förening', verified_at: null });
    const other = await createOrganisation(ctx.db, { name: 'Annan förening' });
    slug = await slugOf(org.id);
    unverifiedSlug = await slugOf(unverified.id);
    const users = {
      member: await createUser(ctx.db),
      unverifiedMember: await createUser(ctx.db),
      otherMember: await createUser(ctx.db),
      resident: await createUser(ctx.db),
      admin: await createUser(ctx.db, { isAdmin: true }),
    };
    await ctx.db('organisation_members').insert([
      { organisation_id: org.id, user_id: users.member.id, role: 'member' },
      { organisation_id: unverified.id, user_id: users.unverifiedMember.id, role: 'admin' },
      { organisation_id: other.id, user_id: users.otherMember.id, role: 'admin' },
    ]);
    member = await logInAs(ctx.app, users.member.email);
    unverifiedMember = await logInAs(ctx.app, users.unverifiedMember.email);
    unverifiedMemberId = users.unverifiedMember.id;
    otherMember = await logInAs(ctx.app, users.otherMember.email);
    resident = await logInAs(ctx.app, users.resident.email);
    admin = await logInAs(ctx.app, users.admin.email);
  });

  it('when a member opens the organisation page, then it links to posting and the form has every field', async () => {
    const page = await member.agent.get(`/organisationer/${slug}`).expect(200);
    expect(page.text).to.include(`/organisationer/${slug}/uppdrag/nytt`);
    const form = await member.agent.get(`/organisationer/${slug}/uppdrag/nytt`).expect(200);
    for (const field of Object.keys(validForm()).filter((f) => f !== 'intent')) expect(form.text).to.include(`name="${field}"`);
    expect(form.text).to.include('Spara utkast').and.include('Förhandsgranska');
  });

  it('when a member saves every field, then it is a draft in the database, not public, and published it is searchable', async () => {
    const id = await createDraft();
    const row = await ctx.db('assignments').where('id', id).first();
    expect(row).to.include({
      title: 'Skotta snö vid bygdegården',
      municipality_code: '2481',
      compensation_type: 'hourly',
      amount_sek: 180,
      estimated_hours: '4.5', // NUMERIC(6,1), read as its exact text (src/platform/db.ts)
      starts_on: isoDay(3),
      ends_on: isoDay(5),
      apply_by: isoDay(2),
      people_needed: 2,
      requirements: 'Egen skyffel',
      work_training: true,
      supervisor_available: true,
      status: 'draft',
      lat: 64.8151,
      lng: 18.8993,
    });
    expect(row.locality_id).to.be.a('number');
    await ctx.runJobs();
    await request(ctx.app).get(`/uppdrag/${id}`).expect(404);
    expect(await searchIds()).to.not.include(id);

    const preview = await member.agent.get(`/organisationer/${slug}/uppdrag/${id}/forhandsgranska`).expect(200);
    expect(preview.text).to.include('Publicera').and.include('<li>Trappan</li>');
    const res = await post(member, `/organisationer/${slug}/uppdrag/${id}/publicera`).expect(303);
    expect(res.headers.location).to.equal(`/organisationer/${slug}/uppdrag?done=published`);
    expect(await statusOf(id)).to.equal('published');
    await ctx.runJobs();
    expect(await searchIds()).to.include(id);
    await request(ctx.app).get(`/uppdrag/${id}`).redirects(1).expect(200);
    const list = await member.agent.get(`/organisationer/${slug}/uppdrag`).expect(200);
    expect(list.text).to.include('Skotta snö vid bygdegården');
  });

  it('when "Förhandsgranska" is pressed, then the draft is saved and the preview opens', async () => {
    const res = await post(member, `/organisationer/${slug}/uppdrag/nytt`, validForm({ intent: 'preview' })).expect(303);
    expect(res.headers.location).to.match(new RegExp(`^/organisationer/${slug}/uppdrag/\\d+/forhandsgranska$`));
  });

  it('when an unverified organisation publishes, then it waits for review, is not searchable, and an admin approves it', async () => {
    const id = await createDraft(unverifiedMember, unverifiedSlug);
    await post(unverifiedMember, `/organisationer/${unverifiedSlug}/uppdrag/${id}/publicera`).expect(303);
    expect(await statusOf(id)).to.equal('pending_review');
    await ctx.runJobs();
    expect(await searchIds()).to.not.include(id);
    await request(ctx.app).get(`/uppdrag/${id}`).expect(404);

    await post(resident, `/admin/uppdrag/${id}/godkann`).expect(404);
    await post(unverifiedMember, `/admin/uppdrag/${id}/godkann`).expect(404);
    const overview = await admin.agent.get('/admin').expect(200);
    expect(overview.text).to.include(`/admin/uppdrag/${id}/granska`);
    await resident.agent.get(`/admin/uppdrag/${id}/granska`).expect(404);
    const review = await admin.agent.get(`/admin/uppdrag/${id}/granska`).expect(200);
    expect(review.text).to.include('Skotta snö vid bygdegården').and.include(`/admin/uppdrag/${id}/godkann`);
    const approved = await post(admin, `/admin/uppdrag/${id}/godkann`).expect(303);
    expect(approved.headers.location).to.equal('/admin?done=published');
    expect(await statusOf(id)).to.equal('published');
    await ctx.runJobs();
    expect(await searchIds()).to.include(id);
    // Approved once: a second approval is a conflict.
    await post(admin, `/admin/uppdrag/${id}/godkann`).expect(409);
  });

  describe('when review sends an assignment back', () => {
    const noticesFor = async (userId: number) =>
      (await ctx.db('notifications').where({ user_id: userId, type: 'assignment_refused' })) as Array<{ link: string }>;
    let id: number;
    beforeEach(async () => {
      id = await createDraft(unverifiedMember, unverifiedSlug);
      await post(unverifiedMember, `/organisationer/${unverifiedSlug}/uppdrag/${id}/publicera`).expect(303);
      await ctx.db('notifications').where({ user_id: unverifiedMemberId }).delete();
    });

    it('then it is a draft again with the reason, the members are told, and publishing sends it to review anew', async () => {
      const refused = await post(admin, `/admin/uppdrag/${id}/skicka-tillbaka`, {
        reviewNote: `  Ange ett ungefärligt arvode.${XSS}  `,
      });
      expect(refused.status, refused.text).to.equal(303);
      expect(refused.headers.location).to.equal('/admin?done=refused');
      expect(await statusOf(id)).to.equal('draft');
      expect(await noticesFor(unverifiedMemberId)).to.have.length(1);
      expect((await noticesFor(unverifiedMemberId))[0]!.link).to.equal(`/organisationer/${unverifiedSlug}/uppdrag`);
      const list = await unverifiedMember.agent.get(`/organisationer/${unverifiedSlug}/uppdrag`).expect(200);
      expect(list.text).to.include('Tillbakaskickat från granskningen').and.include(`Ange ett ungefärligt arvode.${XSS_ESCAPED}`);
      expect(list.text).to.not.include('<script>alert(1)');
      // A second refusal finds nothing waiting.
      await post(admin, `/admin/uppdrag/${id}/skicka-tillbaka`, { reviewNote: 'Igen' }).expect(409);
      await post(unverifiedMember, `/organisationer/${unverifiedSlug}/uppdrag/${id}/publicera`).expect(303);
      expect(await statusOf(id)).to.equal('pending_review');
      expect((await ctx.db('assignments').where({ id }).first('review_note')).review_note).to.equal(null);
    });

    for (const [label, reviewNote, message] of [
      ['no reason', '', 'Skriv vad organisationen behöver ändra.'],
      ['only spaces', '   \n ', 'Skriv vad organisationen behöver ändra.'],
      ['a reason over 2 000 characters', `${XSS}${'å'.repeat(2001)}`, 'högst 2 000 tecken'],
      ['a list instead of text', ['a', 'b'], 'Skriv vad organisationen behöver ändra.'],
    ] as const) {
      it(`with ${label}, then 400 beside the field with the text kept, and nothing changes`, async () => {
        const res = await post(admin, `/admin/uppdrag/${id}/skicka-tillbaka`, { reviewNote });
        expect(res.status, res.text).to.equal(400);
        expect(res.text).to.include(message).and.include('id="reviewNote-error"');
        if (typeof reviewNote === 'string' && reviewNote.startsWith(XSS)) {
          expect(res.text).to.include(XSS_ESCAPED).and.not.include('<script>alert(1)');
        }
        expect(await statusOf(id)).to.equal('pending_review');
        expect(await noticesFor(unverifiedMemberId)).to.have.length(0);
      });
    }

    it('then only platform admins may send it back', async () => {
      await post(unverifiedMember, `/admin/uppdrag/${id}/skicka-tillbaka`, { reviewNote: 'Nej' }).expect(404);
      await post(resident, `/admin/uppdrag/${id}/skicka-tillbaka`, { reviewNote: 'Nej' }).expect(404);
      expect(await statusOf(id)).to.equal('pending_review');
    });
  });

  describe('bad input → 400 beside the field, input kept', () => {
    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      ['missing title', { title: '' }, 'title', 'Skriv en rubrik.'],
      ['amount for volunteer', { compensationType: 'volunteer', amountSek: '100' }, 'amountSek', 'Lämna beloppet tomt'],
      ['decimal amount', { amountSek: '150.50' }, 'amountSek', 'hela kronor'],
      ['0 people', { peopleNeeded: '0' }, 'peopleNeeded', 'mellan 1 och 100'],
      ['end before start', { startsOn: isoDay(5), endsOn: isoDay(3) }, 'endsOn', 'före startdatumet'],
      ['apply-by in the past', { applyBy: isoDay(-1) }, 'applyBy', 'kan inte ha passerat'],
      ['unknown category', { category: 'raketbygge' }, 'category', 'Välj en kategori'],
      ['village of another municipality', { locality: 'Bastuträsk' }, 'locality', 'Vi hittar ingen by'],
      ['bad point', { point: '91, 200' }, 'point', 'latitud, longitud'],
      ['an array', { title: ['a', 'b'] }, 'title', 'Värdet kunde inte läsas.'],
      ['oversized description', { description: 'x'.repeat(10_001) }, 'description', 'högst 10 000 tecken'],
    ];
    for (const [name, overrides, field, message] of cases) {
      it(`when ${name}, then 400 with the message beside ${field}`, async () => {
        const before = Number((await ctx.db('assignments').count<{ count: string }[]>({ count: '*' }))[0]!.count);
        const res = await post(member, `/organisationer/${slug}/uppdrag/nytt`, validForm(overrides));
        expect(res.status).to.equal(400);
        expect(res.text).to.include(`id="${field}-error"`).and.include(message);
        expect(res.text).to.include('Egen skyffel'); // kept
        expect(res.text).to.match(/name="workTraining" value="on" checked/);
        const after = Number((await ctx.db('assignments').count<{ count: string }[]>({ count: '*' }))[0]!.count);
        expect(after).to.equal(before);
      });
    }

    const countAssignments = async () =>
      Number((await ctx.db('assignments').count<{ count: string }[]>({ count: '*' }))[0]!.count);

    // Issue 9: "0000-00-00" threw in the date check (a 500) before it could say anything.
    for (const field of ['startsOn', 'endsOn', 'applyBy']) {
      for (const [value, message] of [
        ['0000-00-00', 'Datumet finns inte i kalendern'],
        ['2026-02-30', 'Datumet finns inte i kalendern'],
        ['9999-12-31', 'mellan 2000-01-01 och 2100-12-31'],
      ]) {
        it(`when ${field} is ${value}, then 400 with the message beside it, the date kept and nothing stored`, async () => {
          const before = await countAssignments();
          const res = await post(member, `/organisationer/${slug}/uppdrag/nytt`, validForm({ [field]: value }));
          expect(res.status).to.equal(400);
          expect(res.text).to.include(`id="${field}-error"`).and.include(message);
          expect(res.text).to.match(new RegExp(`name="${field}"[^>]*value="${value}"`));
          expect(await countAssignments()).to.equal(before);
        });
      }
    }

    // Issue 9: NUL went through to PostgreSQL, which refuses it with an error (a 500).
    it('when the requirements hold a NUL character, then 400 with the message beside them, the text kept and nothing stored', async () => {
      const before = await countAssignments();
      const res = await post(member, `/organisationer/${slug}/uppdrag/nytt`, validForm({ requirements: 'Egen\u0000skyffel' }));
      expect(res.status).to.equal(400);
      expect(res.text).to.include('id="requirements-error"').and.include('tecken som inte kan sparas');
      expect(res.text).to.include('Egen\u0000skyffel');
      expect(await countAssignments()).to.equal(before);
      const id = await createDraft();
      const edit = await post(member, `/organisationer/${slug}/uppdrag/${id}/redigera`, validForm({ requirements: 'a\u0000b' }));
      expect(edit.status).to.equal(400);
      expect((await ctx.db('assignments').where('id', id).first('requirements')).requirements).to.equal('Egen skyffel');
    });

    it('when a line break or a control character is in a one-line field, then 400 beside it; line breaks in the description are kept', async () => {
      const cases: Array<[string, string]> = [
        ['title', 'Skotta\nsnö vid bygdegården'],
        ['title', 'Skotta\u0085snö vid bygdegården'],
        ['locality', 'Rusksele\u0007'],
      ];
      for (const [field, value] of cases) {
        const res = await post(member, `/organisationer/${slug}/uppdrag/nytt`, validForm({ [field]: value }));
        expect(res.status, `${field} ${JSON.stringify(value)}`).to.equal(400);
        expect(res.text).to.include(`id="${field}-error"`).and.include('tecken som inte kan sparas');
      }
      const id = await createDraft(member, slug, { description: 'Vi behöver hjälp att skotta.\r\n\tTrappan och parkeringen.' });
      expect((await ctx.db('assignments').where('id', id).first('description')).description).to.include('\n\tTrappan');
    });

    it('when editing with bad input, then 400 and the assignment is unchanged', async () => {
      const id = await createDraft();
      const res = await post(member, `/organisationer/${slug}/uppdrag/${id}/redigera`, validForm({ title: 'x' }));
      expect(res.status).to.equal(400);
      expect((await ctx.db('assignments').where('id', id).first('title')).title).to.equal('Skotta snö vid bygdegården');
    });
  });

  it('when every text field holds markup, then the form, the preview and the public page show it escaped', async () => {
    const id = await createDraft(member, slug, {
      title: `Titel ${XSS}`,
      description: `Beskrivning ${XSS}\n\n- ${XSS}`,
      requirements: XSS,
    });
    const edit = await member.agent.get(`/organisationer/${slug}/uppdrag/${id}/redigera`).expect(200);
    const preview = await member.agent.get(`/organisationer/${slug}/uppdrag/${id}/forhandsgranska`).expect(200);
    await post(member, `/organisationer/${slug}/uppdrag/${id}/publicera`).expect(303);
    const page = await request(ctx.app).get(`/uppdrag/${id}`).redirects(1).expect(200);
    for (const html of [edit.text, preview.text, page.text]) {
      expect(html).to.not.include('<script>alert(1)');
      expect(html).to.include(XSS_ESCAPED);
    }
    // A bad form echoes the markup escaped, too.
    const bad = await post(member, `/organisationer/${slug}/uppdrag/nytt`, validForm({ title: '', locality: XSS, point: XSS }));
    expect(bad.status).to.equal(400);
    expect(bad.text).to.not.include('<script>alert(1)');
  });

  describe('transitions', () => {
    const act = (id: number, action: string) => post(member, `/organisationer/${slug}/uppdrag/${id}/${action}`);

    it('when a published assignment is edited, then it stays published and the index follows', async () => {
      const id = await createDraft();
      await act(id, 'publicera').expect(303);
      await post(
        member,
        `/organisationer/${slug}/uppdrag/${id}/redigera`,
        validForm({ title: 'Skotta taket på bygdegården' }),
      ).expect(303);
      expect(await ctx.db('assignments').where('id', id).first('title', 'status')).to.deep.equal({
        title: 'Skotta taket på bygdegården',
        status: 'published',
      });
      await ctx.runJobs();
      const hits = (await request(ctx.app).get('/api/v1/assignments').expect(200)).body.hits as Array<{
        id: number;
        title: string;
      }>;
      expect(hits.find((hit) => hit.id === id)?.title).to.equal('Skotta taket på bygdegården');
    });

    it('when published then closed, then it leaves the index and cannot be closed or published again', async () => {
      const id = await createDraft();
      await act(id, 'publicera').expect(303);
      await act(id, 'publicera').expect(409);
      await act(id, 'stang').expect(303);
      expect(await statusOf(id)).to.equal('closed');
      await ctx.runJobs();
      expect(await searchIds()).to.not.include(id);
      await act(id, 'stang').expect(409);
      await act(id, 'publicera').expect(409);
      await member.agent.get(`/organisationer/${slug}/uppdrag/${id}/redigera`).expect(409);
      await act(id, 'avbryt').expect(303);
      expect(await statusOf(id)).to.equal('cancelled');
    });

    it('when a draft is cancelled, then it cannot be published, closed, edited or cancelled again (409 with a message)', async () => {
      const id = await createDraft();
      await act(id, 'stang').expect(409); // a draft is not open
      await act(id, 'avbryt').expect(303);
      const res = await act(id, 'publicera').expect(409);
      expect(res.text).to.include('avbrutet uppdrag');
      await act(id, 'stang').expect(409);
      await act(id, 'avbryt').expect(409);
      await post(member, `/organisationer/${slug}/uppdrag/${id}/redigera`, validForm()).expect(409);
      await request(ctx.app).get(`/uppdrag/${id}`).expect(404);
    });

    it('when a published assignment is cancelled, then it leaves the index and its page', async () => {
      const id = await createDraft();
      await act(id, 'publicera').expect(303);
      await ctx.runJobs();
      expect(await searchIds()).to.include(id);
      await act(id, 'avbryt').expect(303);
      await ctx.runJobs();
      expect(await searchIds()).to.not.include(id);
      await request(ctx.app).get(`/uppdrag/${id}`).expect(404);
    });

    it('when a draft with an attachment is deleted, then the row and its files are gone; anything else is 409', async () => {
      const id = await createDraft();
      const filesBefore = await filesUnder(ctx.uploadsDir);
      await member.agent
        .post(`/organisationer/${slug}/uppdrag/${id}/bilagor?_csrf=${encodeURIComponent(member.csrf)}`)
        .attach('attachment', await png(), fileOptions('trappan.png', 'image/png'))
        .expect(303);
      expect(await filesUnder(ctx.uploadsDir)).to.have.length(filesBefore.length + 2); // the image and its thumbnail
      await otherMember.agent.get(`/organisationer/${slug}/uppdrag/${id}/ta-bort`).expect(403);
      const confirmation = await member.agent.get(`/organisationer/${slug}/uppdrag/${id}/ta-bort`).expect(200);
      expect(confirmation.text)
        .to.include('Vill du ta bort utkastet Skotta snö vid bygdegården?')
        .and.include('Ja, ta bort utkastet');
      expect(await ctx.db('assignments').where('id', id).first()).to.not.equal(undefined); // asking deletes nothing
      await post(otherMember, `/organisationer/${slug}/uppdrag/${id}/ta-bort`).expect(403);
      await request(ctx.app).post(`/organisationer/${slug}/uppdrag/${id}/ta-bort`).type('form').send({}).expect(403); // no CSRF
      const res = await act(id, 'ta-bort').expect(303);
      expect(res.headers.location).to.equal(`/organisationer/${slug}/uppdrag?done=deleted`);
      expect(await ctx.db('assignments').where('id', id).first()).to.equal(undefined);
      expect(await ctx.db('assignment_attachments').where('assignment_id', id).first()).to.equal(undefined);
      expect(await filesUnder(ctx.uploadsDir)).to.deep.equal(filesBefore);
      await act(id, 'ta-bort').expect(404);
      await ctx.runJobs(); // the index job of a deleted row is a harmless delete

      const published = await createDraft();
      await act(published, 'publicera').expect(303);
      await act(published, 'ta-bort').expect(409);
      await member.agent.get(`/organisationer/${slug}/uppdrag/${published}/ta-bort`).expect(409);
      expect(await statusOf(published)).to.equal('published');
      await post(member, `/organisationer/${slug}/uppdrag/x/ta-bort`).expect(404);
    });

    it('when an assignment of another organisation is named under this one, then 404', async () => {
      const id = await createDraft(unverifiedMember, unverifiedSlug);
      await act(id, 'avbryt').expect(404);
      await member.agent.get(`/organisationer/${slug}/uppdrag/${id}/forhandsgranska`).expect(404);
      expect(await statusOf(id)).to.equal('draft');
    });
  });

  describe('roles', () => {
    it('when a visitor opens the form, then login; when a visitor posts, then 401', async () => {
      const res = await request(ctx.app).get(`/organisationer/${slug}/uppdrag/nytt`).expect(303);
      expect(res.headers.location).to.match(/^\/logga-in\?next=/);
      await request(ctx.app).get(`/organisationer/${slug}/uppdrag`).expect(303);
      const visitor = request.agent(ctx.app);
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await visitor.get('/logga-in').expect(200)).text)![1];
      await visitor
        .post(`/organisationer/${slug}/uppdrag/nytt`)
        .type('form')
        .send({ ...validForm(), _csrf: csrf })
        .expect(401);
    });

    it('when a resident or a member of another organisation tries, then 403 and nothing changes', async () => {
      const id = await createDraft();
      for (const client of [resident, otherMember]) {
        await client.agent.get(`/organisationer/${slug}/uppdrag/nytt`).expect(403);
        await post(client, `/organisationer/${slug}/uppdrag/nytt`, validForm()).expect(403);
        await client.agent.get(`/organisationer/${slug}/uppdrag/${id}/forhandsgranska`).expect(403);
        await post(client, `/organisationer/${slug}/uppdrag/${id}/redigera`, validForm({ title: 'Kapat uppdrag' })).expect(403);
        for (const action of ['publicera', 'avbryt', 'stang'])
          await post(client, `/organisationer/${slug}/uppdrag/${id}/${action}`).expect(403);
      }
      expect(await ctx.db('assignments').where('id', id).first('status', 'title')).to.deep.equal({
        status: 'draft',
        title: 'Skotta snö vid bygdegården',
      });
      const page = await resident.agent.get(`/organisationer/${slug}`).expect(200);
      expect(page.text).to.not.include('/uppdrag/nytt');
    });

    it('when a form comes without a CSRF token, then 403 and nothing is saved', async () => {
      const id = await createDraft();
      await member.agent.post(`/organisationer/${slug}/uppdrag/nytt`).type('form').send(validForm()).expect(403);
      await member.agent.post(`/organisationer/${slug}/uppdrag/${id}/publicera`).type('form').send({}).expect(403);
      expect(await statusOf(id)).to.equal('draft');
    });
  });
});
