import { expect } from 'chai';
import { runOnce } from 'graphile-worker';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { enqueueJob, workerLogger } from '../../src/platform/jobs.js';
import { mailSender, mailTasks } from '../../src/platform/mail.js';
import { DAILY_ALERTS_TASK, sendInstantAlerts } from '../../src/modules/saved-searches/alerts.js';
import { unsubscribeToken } from '../../src/modules/saved-searches/tokens.js';
import { createOrganisation, createTestAssignment, isoDay } from '../support/factories.js';
import { createSavedSearch } from '../support/saved-search-factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, logInAs, postForm, type LoggedIn } from '../support/users.js';

// Saved searches (bevakningar) through HTTP: saving the search one looks at,
// every bad input beside its field, the limit also under concurrent saves,
// list/edit/delete by the owner only; the alert mails: at once when an
// assignment is published and as a daily digest, each assignment once and
// only new ones, nothing hidden or expired; and the unsubscribe link that works
// without a login.

const XSS = '"><script>alert(1)</script>';
const XSS_ESCAPED = '&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';
const PUBLIC_URL = 'http://uppdragsbanken.test';

describe('Saved searches', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  let resident: LoggedIn;
  let other: LoggedIn;
  let member: LoggedIn;
  let residentId: number;
  let otherId: number;
  let residentEmail: string;
  let orgId: number;
  let slug: string;

  const post = postForm;

  const savedOf = (userId: number) => ctx.db('saved_searches').where('user_id', userId).orderBy('id');
  const alertMails = (to: string) => ctx.db('mails').where({ to_address: to, template: 'saved-search' }).orderBy('id');
  const deliveries = (savedSearchId: number) =>
    ctx.db('saved_search_deliveries').where('saved_search_id', savedSearchId).orderBy('assignment_id').pluck('assignment_id');

  /** A draft of the organisation, published through the form as its member would. */
  async function publish(overrides: Omit<Parameters<typeof createTestAssignment>[1], 'organisationId'> = {}): Promise<number> {
    const id = await createTestAssignment(ctx.db, { ...overrides, organisationId: orgId, status: 'draft' });
    await post(member, `/organisationer/${slug}/uppdrag/${id}/publicera`).expect(303);
    return id;
  }

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Rusksele byaförening' });
    orgId = org.id;
    slug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug;
    const users = { resident: await createUser(ctx.db), other: await createUser(ctx.db), member: await createUser(ctx.db) };
    residentId = users.resident.id;
    otherId = users.other.id;
    residentEmail = users.resident.email;
    await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: users.member.id, role: 'admin' });
    resident = await logInAs(ctx.app, users.resident.email);
    other = await logInAs(ctx.app, users.other.email);
    member = await logInAs(ctx.app, users.member.email);
  });

  beforeEach(async () => {
    await ctx.db('saved_searches').delete();
    await ctx.db('mails').delete();
  });

  describe('saving a search', () => {
    it('when a resident opens the save form from a search, then the name is the words and the search is shown in words', async () => {
      const res = await resident.agent
        .get('/konto/bevakningar/ny?q=sn%C3%B6skottning&category=snorojning&municipality=2481&page=3&perPage=5')
        .expect(200);
      expect(res.text).to.include('value="snöskottning"');
      expect(res.text).to.include('Kategori: Snöröjning').and.include('Kommun: Lycksele');
      // Paging is not part of a saved search.
      expect(res.text).to.include('name="query" value="q=sn%C3%B6skottning&amp;category=snorojning&amp;municipality=2481"');
    });

    it('when a search is shown, then "Spara sökningen" leads to the save form with its parameters', async () => {
      const page = await request(ctx.app)
        .get('/uppdrag?q=sn%C3%B6&category=snorojning&municipality=2481&compensation=hourly&workTraining=true&page=1')
        .expect(200);
      const href = /<a href="(\/konto\/bevakningar\/ny\?[^"]*)">Spara sökningen<\/a>/.exec(page.text)?.[1];
      expect(href, 'the save link').to.be.a('string');
      const form = await resident.agent.get(href!.replace(/&amp;/g, '&')).expect(200);
      expect(form.text).to.include(
        'name="query" value="q=sn%C3%B6&amp;category=snorojning&amp;municipality=2481&amp;compensation=hourly&amp;workTraining=true"',
      );
      expect(form.text).to.include('Ersättning: timlön').and.include('Passar för arbetsträning');
    });

    it('when the search named a village for a radius, then the saved search keeps its point', async () => {
      const res = await resident.agent.get('/konto/bevakningar/ny?from=Rusksele&radiusKm=10').expect(200);
      expect(res.text).to.match(/name="query" value="near=64\.8150\d*%2C18\.8992\d*&amp;radiusKm=10"/);
      expect(res.text).to.include('Inom 10 km från en vald plats');
    });

    it('when a visitor asks for the save form, then they log in first and come back to it', async () => {
      const res = await request(ctx.app).get('/konto/bevakningar/ny?q=gr%C3%A4s').expect(303);
      expect(res.headers.location).to.equal(`/logga-in?next=${encodeURIComponent('/konto/bevakningar/ny?q=gr%C3%A4s')}`);
    });

    it('when the search parameters are not valid, then the save form says so with 400', async () => {
      for (const query of [
        'category=finns-inte',
        'municipality=9999',
        'sort=nonsense',
        'q=a&q=b',
        `q=${'x'.repeat(201)}`,
        'from=Ingenstans&radiusKm=5',
      ])
        expect((await resident.agent.get(`/konto/bevakningar/ny?${query}`)).status, query).to.equal(400);
    });

    it('when a resident saves with a name and a frequency, then it is stored with the search parameters and listed with a link that runs it', async () => {
      const res = await post(resident, '/konto/bevakningar/ny', {
        name: '  Snö   i Lycksele ',
        frequency: 'instant',
        query: 'q=sn%C3%B6&municipality=2481',
      }).expect(303);
      expect(res.headers.location).to.equal('/konto/bevakningar?done=saved');
      const [row] = await savedOf(residentId);
      expect(row).to.include({ name: 'Snö i Lycksele', frequency: 'instant', query: 'q=sn%C3%B6&municipality=2481' });
      const list = await resident.agent.get('/konto/bevakningar?done=saved').expect(200);
      expect(list.text).to.include('Bevakningen är sparad.').and.include('Snö i Lycksele').and.include('Sökord: ”snö”');
      expect(list.text).to.include('href="/uppdrag?q=sn%C3%B6&amp;municipality=2481"');
      expect(list.text).to.include(`/konto/bevakningar/${row.id}/redigera`);
    });

    it('when the name is missing, too long, or not text, then 400 beside the field with the input kept and nothing saved', async () => {
      const cases: Array<[Record<string, unknown> | string, string, string]> = [
        [{ name: '   ', frequency: 'daily', query: 'q=sn%C3%B6' }, 'name-error', 'Skriv ett namn på bevakningen.'],
        [{ name: 'å'.repeat(101), frequency: 'daily', query: 'q=sn%C3%B6' }, 'name-error', 'Namnet får vara högst 100 tecken.'],
        ['name=a&name=b&frequency=daily&query=q%3Dx', 'name-error', 'Skriv ett namn på bevakningen.'],
        [{ name: 'Snö', frequency: 'weekly', query: 'q=sn%C3%B6' }, 'frequency-error', 'Välj hur ofta du vill få e-post.'],
        ['name=Sn%C3%B6&frequency=daily&frequency=instant&query=q%3Dx', 'frequency-error', 'Välj hur ofta du vill få e-post.'],
        [{ name: 'Snö', frequency: 'daily', query: 'category=finns-inte' }, 'query-error', 'Sökningen går inte att spara'],
        ['name=Sn%C3%B6&frequency=daily&query=a&query=b', 'query-error', 'Sökningen går inte att spara'],
        [{ name: 'Snö', frequency: 'daily', query: `q=${'x'.repeat(5000)}` }, 'query-error', 'Sökningen går inte att spara'],
        [{ name: 'Snö', frequency: 'daily' }, 'query-error', 'Sökningen går inte att spara'],
      ];
      for (const [fields, errorId, message] of cases) {
        const res = await post(resident, '/konto/bevakningar/ny', fields);
        expect(res.status, JSON.stringify(fields).slice(0, 80)).to.equal(400);
        expect(res.text).to.include(`id="${errorId}"`).and.include(message);
      }
      const kept = await post(resident, '/konto/bevakningar/ny', {
        name: 'Min bevakning',
        frequency: 'weekly',
        query: 'q=sn%C3%B6',
      });
      expect(kept.text).to.include('value="Min bevakning"').and.include('aria-describedby="frequency-error"');
      expect(await savedOf(residentId)).to.have.length(0);
    });

    // Issue 9: NUL reached PostgreSQL, which refuses it with an error (a 500).
    it('when the name or the search holds a NUL character, then 400 beside the field with the input kept and nothing saved', async () => {
      const res = await post(resident, '/konto/bevakningar/ny', { name: 'Snö\u0000ig', frequency: 'daily', query: 'q=sn%C3%B6' });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('id="name-error"').and.include('tecken som inte kan sparas');
      expect(res.text).to.include('value="Snö\u0000ig"');
      const query = await post(resident, '/konto/bevakningar/ny', { name: 'Snö', frequency: 'daily', query: 'q=sn%00' });
      expect(query.status).to.equal(400);
      expect(query.text).to.include('id="query-error"');
      expect(await savedOf(residentId)).to.have.length(0);
      const id = await createSavedSearch(ctx.db, { userId: residentId, name: 'Före' });
      const edit = await post(resident, `/konto/bevakningar/${id}/redigera`, { name: 'a\u0000b', frequency: 'daily' });
      expect(edit.status).to.equal(400);
      expect((await ctx.db('saved_searches').where('id', id).first('name')).name).to.equal('Före');
      await ctx.db('saved_searches').where('id', id).delete();
    });

    it('when the name holds markup, then it is stored as typed and shown escaped', async () => {
      await post(resident, '/konto/bevakningar/ny', { name: XSS, frequency: 'daily', query: '' }).expect(303);
      const list = await resident.agent.get('/konto/bevakningar').expect(200);
      expect(list.text).to.include(XSS_ESCAPED).and.not.include(XSS);
      expect(list.text).to.include('Alla öppna uppdrag, utan filter.');
    });

    it('when a resident has 20 saved searches, then the 21st is refused with a clear message', async () => {
      for (let i = 0; i < 20; i++) await createSavedSearch(ctx.db, { userId: residentId });
      const res = await post(resident, '/konto/bevakningar/ny', { name: 'En till', frequency: 'daily', query: '' });
      expect(res.status).to.equal(409);
      expect(res.text).to.include('Du har redan 20 bevakningar').and.include('value="En till"');
      expect(await savedOf(residentId)).to.have.length(20);
    });

    it('when many saves arrive at once near the limit, then never more than 20 are stored', async () => {
      for (let i = 0; i < 17; i++) await createSavedSearch(ctx.db, { userId: residentId });
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          post(resident, '/konto/bevakningar/ny', { name: `Samtidig ${i}`, frequency: 'off', query: '' }),
        ),
      );
      expect(results.map((res) => res.status).sort()).to.deep.equal([303, 303, 303, 409, 409, 409]);
      expect(await savedOf(residentId)).to.have.length(20);
    });
  });

  describe('the list, editing and deleting', () => {
    it('when the owner edits the name and frequency, then they change; bad input keeps what was typed', async () => {
      const id = await createSavedSearch(ctx.db, {
        userId: residentId,
        name: 'Gammalt namn',
        query: 'q=gr%C3%A4s',
        frequency: 'daily',
      });
      const form = await resident.agent.get(`/konto/bevakningar/${id}/redigera`).expect(200);
      expect(form.text).to.include('value="Gammalt namn"').and.include('Sökord: ”gräs”');
      const bad = await post(resident, `/konto/bevakningar/${id}/redigera`, { name: '', frequency: 'instant' }).expect(400);
      expect(bad.text).to.include('id="name-error"').and.include('aria-invalid="true"');
      await post(resident, `/konto/bevakningar/${id}/redigera`, { name: 'Nytt namn', frequency: 'instant' }).expect(303);
      const row = await ctx.db('saved_searches').where('id', id).first();
      expect(row).to.include({ name: 'Nytt namn', frequency: 'instant', query: 'q=gr%C3%A4s' });
    });

    it('when someone else asks for a saved search, then it does not exist for them and nothing changes', async () => {
      const id = await createSavedSearch(ctx.db, { userId: residentId, name: 'Min egen' });
      const list = await other.agent.get('/konto/bevakningar').expect(200);
      expect(list.text).to.not.include('Min egen');
      await other.agent.get(`/konto/bevakningar/${id}/redigera`).expect(404);
      await post(other, `/konto/bevakningar/${id}/redigera`, { name: 'Kapad', frequency: 'off' }).expect(404);
      await other.agent.get(`/konto/bevakningar/${id}/ta-bort`).expect(404);
      await post(other, `/konto/bevakningar/${id}/ta-bort`).expect(404);
      await member.agent.get(`/konto/bevakningar/${id}/redigera`).expect(404);
      expect(await ctx.db('saved_searches').where('id', id).first('name', 'frequency')).to.deep.equal({
        name: 'Min egen',
        frequency: 'instant',
      });
    });

    it('when the id is not a number or is huge, then 404', async () => {
      for (const id of ['abc', '1e3', '99999999999999999999', '-1', '0'])
        expect((await resident.agent.get(`/konto/bevakningar/${id}/redigera`)).status, id).to.equal(404);
      await post(resident, '/konto/bevakningar/abc/ta-bort').expect(404);
    });

    it("when the owner downloads their data, then their saved searches are in it and nobody else's", async () => {
      await createSavedSearch(ctx.db, { userId: residentId, name: 'Min export', query: 'q=ved', frequency: 'daily' });
      await createSavedSearch(ctx.db, { userId: otherId, name: 'Någon annans' });
      const res = await resident.agent.get('/konto/mina-uppgifter.json').expect(200);
      const rows = JSON.parse(res.text)['saved_searches.user_id'] as Array<Record<string, unknown>>;
      expect(rows.map((row) => [row.name, row.query, row.frequency])).to.deep.equal([['Min export', 'q=ved', 'daily']]);
    });

    it('when the owner deletes a saved search, then a confirmation step names it first, and then it is gone', async () => {
      const id = await createSavedSearch(ctx.db, { userId: residentId, name: 'Ved <b>och</b> skog' });
      const list = await resident.agent.get('/konto/bevakningar').expect(200);
      expect(list.text)
        .to.include(`href="/konto/bevakningar/${id}/ta-bort"`)
        .and.not.include(`action="/konto/bevakningar/${id}/ta-bort"`);
      const confirmation = await resident.agent.get(`/konto/bevakningar/${id}/ta-bort`).expect(200);
      expect(confirmation.text)
        .to.include('Vill du ta bort bevakningen Ved &lt;b&gt;och&lt;/b&gt; skog?')
        .and.include(`action="/konto/bevakningar/${id}/ta-bort"`);
      expect(await savedOf(residentId)).to.have.length(1); // asking deletes nothing
      const res = await post(resident, `/konto/bevakningar/${id}/ta-bort`).expect(303);
      expect(res.headers.location).to.equal('/konto/bevakningar?done=deleted');
      expect(await savedOf(residentId)).to.have.length(0);
      await post(resident, `/konto/bevakningar/${id}/ta-bort`).expect(404);
    });
  });

  describe('alerts at once', () => {
    it('when a matching assignment is published, then one mail with its title, place and links, however often the job runs', async () => {
      const savedId = await createSavedSearch(ctx.db, {
        userId: residentId,
        name: 'Snö i Rusksele',
        query: 'q=sn%C3%B6skottning',
      });
      const id = await publish({ title: 'Snöskottning vid bygdegården', localitySlug: 'rusksele-lycksele' });
      await ctx.runJobs();
      const mails = await alertMails(residentEmail);
      expect(mails).to.have.length(1);
      const [mail] = mails;
      expect(mail.subject).to.equal('Ett nytt uppdrag som matchar din bevakning');
      expect(mail.text_body).to.include('Snöskottning vid bygdegården (Rusksele, Lycksele)');
      expect(mail.text_body).to.include(`${PUBLIC_URL}/uppdrag/${id}-snoskottning-vid-bygdegarden`);
      expect(mail.text_body).to.include('Bevakningen ”Snö i Rusksele”').and.include(`${PUBLIC_URL}/konto/bevakningar`);
      expect(mail.text_body).to.include(`${PUBLIC_URL}/uppdrag?q=sn%C3%B6skottning`);
      expect(mail.text_body).to.include(
        `${PUBLIC_URL}/bevakningar/avsluta?token=${unsubscribeToken(ctx.deps.sessionSecret, savedId)}`,
      );
      expect(await deliveries(savedId)).to.deep.equal([id]);

      // The job again, an edit of the assignment (index job), the daily run: still one.
      await enqueueJob(ctx.db, 'assignment_published', { id });
      await ctx.runJobs();
      await ctx.db('assignments').where('id', id).update({ title: 'Snöskottning vid bygdegården, ändrad' });
      await enqueueJob(ctx.db, 'index_assignment', { id });
      await enqueueJob(ctx.db, 'assignment_published', { id });
      await ctx.runJobs();
      expect(await alertMails(residentEmail)).to.have.length(1);
      expect(await deliveries(savedId)).to.deep.equal([id]);
    });

    const alertDeps = () => ({
      db: ctx.db,
      search: ctx.search,
      indexPrefix: ctx.config.meili.indexPrefix,
      publicUrl: PUBLIC_URL,
      secret: ctx.deps.sessionSecret,
      log: ctx.deps.log,
      reference: async () => ctx.deps.reference,
    });

    it('when the alert job runs before the assignment is searchable, then it fails (to be retried) without sending or moving the mark', async () => {
      await ctx.syncIndex(); // the index exists (a missing one would make the fallback answer: also a retry)
      const savedId = await createSavedSearch(ctx.db, { userId: residentId, query: 'q=stenmur' });
      const before = (await ctx.db('saved_searches').where('id', savedId).first('checked_until')).checked_until;
      const id = await publish({ title: 'Laga stenmuren' });
      let failure: unknown;
      await sendInstantAlerts(alertDeps(), id).catch((error: unknown) => (failure = error));
      expect(String(failure)).to.include('not searchable yet');
      expect(await deliveries(savedId)).to.deep.equal([]);
      expect((await ctx.db('saved_searches').where('id', savedId).first('checked_until')).checked_until).to.deep.equal(before);
      await ctx.runJobs();
      expect(await deliveries(savedId)).to.deep.equal([id]);
    });

    it('when two alert jobs for the same assignment run at once, then it is still mailed once', async () => {
      const savedId = await createSavedSearch(ctx.db, { userId: residentId, query: 'q=h%C3%B6bal' });
      const id = await createTestAssignment(ctx.db, { organisationId: orgId, title: 'Plasta in höbalar' });
      await ctx.runJobs(); // indexed; no alert job for an assignment created as published
      const deps = alertDeps();
      const counts = await Promise.all([sendInstantAlerts(deps, id), sendInstantAlerts(deps, id), sendInstantAlerts(deps, id)]);
      expect(counts.sort()).to.deep.equal([0, 0, 1]);
      expect(await deliveries(savedId)).to.deep.equal([id]);
      expect(await alertMails(residentEmail)).to.have.length(1);
    });

    it('when the search has a typo, then the alert finds what the search page finds', async () => {
      const savedId = await createSavedSearch(ctx.db, { userId: residentId, query: 'q=snoskotning' });
      const id = await publish({ title: 'Snöskottning av taket' });
      await ctx.runJobs();
      const search = await request(ctx.app).get('/api/v1/assignments?q=snoskotning&sort=newest').expect(200);
      expect(search.body.hits.map((hit: { id: number }) => hit.id)).to.include(id);
      expect(await deliveries(savedId)).to.deep.equal([id]);
    });

    it('when an assignment does not match, then no mail; daily and switched-off searches wait; another match is mailed on its own', async () => {
      const instant = await createSavedSearch(ctx.db, { userId: residentId, query: 'category=tradgard' });
      const daily = await createSavedSearch(ctx.db, { userId: residentId, query: 'category=snorojning', frequency: 'daily' });
      const off = await createSavedSearch(ctx.db, { userId: residentId, query: 'category=snorojning', frequency: 'off' });
      await publish({ title: 'Skotta trappan', categorySlug: 'snorojning' });
      await ctx.runJobs();
      expect(await alertMails(residentEmail)).to.have.length(0);
      const garden = await publish({ title: 'Klippa gräset', categorySlug: 'tradgard' });
      await ctx.runJobs();
      expect(await deliveries(instant)).to.deep.equal([garden]);
      expect(await deliveries(daily)).to.deep.equal([]);
      expect(await deliveries(off)).to.deep.equal([]);
      expect(await alertMails(residentEmail)).to.have.length(1);
    });

    it('when assignments were published before the search was saved, then only the new one is mailed (high-water mark)', async () => {
      const old = await createTestAssignment(ctx.db, {
        organisationId: orgId,
        title: 'Gammal vedhuggning',
        publishedAt: new Date(Date.now() - 3600_000),
      });
      await ctx.runJobs();
      const savedId = await createSavedSearch(ctx.db, { userId: residentId, query: 'q=vedhuggning' });
      const fresh = await publish({ title: 'Ny vedhuggning' });
      await ctx.runJobs();
      expect(await deliveries(savedId)).to.deep.equal([fresh]);
      const [mail] = await alertMails(residentEmail);
      expect(mail.text_body).to.include('Ny vedhuggning').and.not.include('Gammal vedhuggning');
      expect(old).to.be.a('number');
    });

    it('when the assignment is hidden or its last day has passed before the job runs, then nothing is mailed', async () => {
      const savedId = await createSavedSearch(ctx.db, { userId: residentId, query: 'q=takrensning' });
      const hidden = await publish({ title: 'Takrensning som döljs' });
      await ctx.db('assignments').where('id', hidden).update({ hidden_at: new Date() });
      const expired = await publish({ title: 'Takrensning som gått ut', applyBy: isoDay(3) });
      await ctx
        .db('assignments')
        .where('id', expired)
        .update({ apply_by: isoDay(-1) });
      await ctx.runJobs();
      expect(await deliveries(savedId)).to.deep.equal([]);
      expect(await alertMails(residentEmail)).to.have.length(0);
    });

    it('when the owner has not confirmed their e-mail, then no alert is mailed', async () => {
      const unverified = await createUser(ctx.db, { verified: false });
      const savedId = await createSavedSearch(ctx.db, { userId: unverified.id, query: 'q=ved' });
      await publish({ title: 'Ved att stapla' });
      await ctx.runJobs();
      expect(await deliveries(savedId)).to.deep.equal([]);
      expect(await alertMails(unverified.email)).to.have.length(0);
    });
  });

  describe('the daily digest', () => {
    it('when several searches have new matches, then one mail per person groups them, and a second run sends nothing', async () => {
      const snow = await createSavedSearch(ctx.db, {
        userId: residentId,
        name: 'Snö',
        query: 'category=snorojning',
        frequency: 'daily',
      });
      const garden = await createSavedSearch(ctx.db, {
        userId: residentId,
        name: 'Trädgård',
        query: 'category=tradgard',
        frequency: 'daily',
      });
      const others = await createSavedSearch(ctx.db, { userId: otherId, name: 'Allt', query: '', frequency: 'daily' });
      const a = await createTestAssignment(ctx.db, { organisationId: orgId, title: 'Skotta gården', categorySlug: 'snorojning' });
      const b = await createTestAssignment(ctx.db, { organisationId: orgId, title: 'Skotta taket', categorySlug: 'snorojning' });
      const c = await createTestAssignment(ctx.db, { organisationId: orgId, title: 'Rensa ogräs', categorySlug: 'tradgard' });
      await ctx.runJobs();
      await enqueueJob(ctx.db, DAILY_ALERTS_TASK, {});
      await ctx.runJobs();

      const mails = await alertMails(residentEmail);
      expect(mails).to.have.length(1);
      expect(mails[0].subject).to.equal('3 nya uppdrag som matchar dina bevakningar');
      expect(mails[0].text_body).to.include('Bevakningen ”Snö”').and.include('Bevakningen ”Trädgård”');
      expect(mails[0].text_body).to.include('Skotta gården').and.include('Skotta taket').and.include('Rensa ogräs');
      expect(await deliveries(snow)).to.deep.equal([a, b].sort((x, y) => x - y));
      expect(await deliveries(garden)).to.deep.equal([c]);
      expect(await deliveries(others)).to.deep.equal([a, b, c].sort((x, y) => x - y));
      const otherEmail = (await ctx.db('users').where('id', otherId).first('email')).email;
      expect(await alertMails(otherEmail)).to.have.length(1);

      await enqueueJob(ctx.db, DAILY_ALERTS_TASK, {});
      await ctx.runJobs();
      expect(await alertMails(residentEmail)).to.have.length(1);
      const d = await createTestAssignment(ctx.db, { organisationId: orgId, title: 'Skotta bron', categorySlug: 'snorojning' });
      await ctx.runJobs();
      await enqueueJob(ctx.db, DAILY_ALERTS_TASK, {});
      await ctx.runJobs();
      const after = await alertMails(residentEmail);
      expect(after).to.have.length(2);
      expect(after[1].text_body).to.include('Skotta bron').and.not.include('Skotta gården');
      expect(await deliveries(snow)).to.include(d);
    });

    it('when the saved name holds markup, then the HTML mail shows it escaped', async () => {
      await createSavedSearch(ctx.db, { userId: residentId, name: XSS, query: 'q=fiskevatten', frequency: 'daily' });
      await createTestAssignment(ctx.db, { organisationId: orgId, title: 'Fiskevatten att städa' });
      await ctx.runJobs();
      await enqueueJob(ctx.db, DAILY_ALERTS_TASK, {});
      await ctx.runJobs();
      const [mail] = await alertMails(residentEmail);
      expect(mail.html_body).to.include(XSS_ESCAPED).and.not.include(XSS);
    });
  });

  describe('the List-Unsubscribe headers', () => {
    it('when an alert concerns one saved search, then it carries a one-click unsubscribe link that reaches the SMTP server', async () => {
      const savedId = await createSavedSearch(ctx.db, { userId: residentId, query: 'q=flaggst%C3%A5ng' });
      await publish({ title: 'Måla flaggstången' });
      await ctx.runJobs();
      const [mail] = await alertMails(residentEmail);
      const link = `${PUBLIC_URL}/bevakningar/avsluta/ett-klick?token=${unsubscribeToken(ctx.deps.sessionSecret, savedId)}`;
      expect(mail.headers).to.deep.equal({
        'List-Unsubscribe': `<${link}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      });

      // Sent over SMTP, the headers go with it.
      const received: string[] = [];
      const server = new SMTPServer({
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, _session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            received.push(Buffer.concat(chunks).toString('utf8'));
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      try {
        await ctx.db('mails').where('id', mail.id).update({ sent_at: null });
        await enqueueJob(ctx.db, 'send_mail', { id: mail.id });
        const smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
        await runOnce({
          connectionString: ctx.databaseUrl,
          taskList: mailTasks({ db: ctx.db, smtpUrl, from: mailSender(ctx.config), log: ctx.deps.log }),
          logger: workerLogger(ctx.deps.log),
        });
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      expect(received).to.have.length(1);
      const headers = received[0]!.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ');
      expect(headers).to.include(`List-Unsubscribe: <${link}>`).and.include('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(headers).to.include('Auto-Submitted: auto-generated');
    });

    it('when a mail program posts to the one-click link without a session, then the mails stop; a bad token is a 400', async () => {
      const savedId = await createSavedSearch(ctx.db, { userId: residentId, frequency: 'instant' });
      const token = unsubscribeToken(ctx.deps.sessionSecret, savedId);
      await request(ctx.app)
        .post(`/bevakningar/avsluta/ett-klick?token=${token.slice(0, -2)}xx`)
        .type('form')
        .send('List-Unsubscribe=One-Click')
        .expect(400);
      expect((await ctx.db('saved_searches').where('id', savedId).first('frequency')).frequency).to.equal('instant');
      await request(ctx.app)
        .post(`/bevakningar/avsluta/ett-klick?token=${token}`)
        .type('form')
        .send('List-Unsubscribe=One-Click')
        .expect(200);
      expect((await ctx.db('saved_searches').where('id', savedId).first('frequency')).frequency).to.equal('off');
      const opened = await request(ctx.app).get(`/bevakningar/avsluta/ett-klick?token=${token}`).expect(303);
      expect(opened.headers.location).to.equal(`/bevakningar/avsluta?token=${encodeURIComponent(token)}`);
    });

    it('when a digest covers several saved searches, then it has no single unsubscribe header (each has its link in the text)', async () => {
      await createSavedSearch(ctx.db, { userId: residentId, query: 'q=vedbod', frequency: 'daily' });
      await createSavedSearch(ctx.db, { userId: residentId, query: 'q=vedbod&municipality=2481', frequency: 'daily' });
      await createTestAssignment(ctx.db, { organisationId: orgId, title: 'Bygga vedbod' });
      await ctx.runJobs();
      await enqueueJob(ctx.db, DAILY_ALERTS_TASK, {});
      await ctx.runJobs();
      const [mail] = await alertMails(residentEmail);
      expect(mail.headers).to.equal(null);
      expect(mail.text_body.match(/bevakningar\/avsluta\?token=/g)).to.have.length(2);
    });
  });

  describe('unsubscribing from the mail without logging in', () => {
    const unsubscribePage = (token: string) =>
      request.agent(ctx.app).get(`/bevakningar/avsluta?token=${encodeURIComponent(token)}`);

    it('when the link is opened, then only a button shows; pressing it turns the mails off, and again says it already is', async () => {
      const savedId = await createSavedSearch(ctx.db, {
        userId: residentId,
        name: 'Min snö',
        query: 'q=sn%C3%B6',
        frequency: 'daily',
      });
      const token = unsubscribeToken(ctx.deps.sessionSecret, savedId);
      const agent = request.agent(ctx.app);
      const page = await agent.get(`/bevakningar/avsluta?token=${token}`).expect(200);
      expect(page.text).to.include('”Min snö”').and.include('Ja, sluta skicka e-post');
      expect(page.headers['referrer-policy']).to.equal('no-referrer');
      // Opening the link (as a mail scanner does) changes nothing.
      expect((await ctx.db('saved_searches').where('id', savedId).first('frequency')).frequency).to.equal('daily');
      const csrf = csrfFrom(page.text);
      const done = await agent.post('/bevakningar/avsluta').type('form').send({ token, _csrf: csrf }).expect(200);
      expect(done.text).to.include('Du får ingen mer e-post för bevakningen ”Min snö”.');
      expect((await ctx.db('saved_searches').where('id', savedId).first('frequency')).frequency).to.equal('off');
      // A replay is harmless.
      await agent.post('/bevakningar/avsluta').type('form').send({ token, _csrf: csrf }).expect(200);
      expect((await unsubscribePage(token).expect(200)).text).to.include('Du får redan ingen e-post');
      // No more mail for it.
      await createTestAssignment(ctx.db, { organisationId: orgId, title: 'Snö på taket' });
      await ctx.runJobs();
      await enqueueJob(ctx.db, DAILY_ALERTS_TASK, {});
      await ctx.runJobs();
      expect(await alertMails(residentEmail)).to.have.length(0);
      expect(await savedOf(residentId)).to.have.length(1);
    });

    it('when the token is tampered with, names another saved search, is missing or malformed, then 400 with a clear message', async () => {
      const mine = await createSavedSearch(ctx.db, { userId: residentId, frequency: 'daily' });
      const theirs = await createSavedSearch(ctx.db, { userId: otherId, frequency: 'daily' });
      const token = unsubscribeToken(ctx.deps.sessionSecret, mine);
      const mac = token.split('.')[1]!;
      const bad = [
        `${mine}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
        `${theirs}.${mac}`,
        unsubscribeToken('another-secret-that-is-long-enough-too', mine),
        `${mine}`,
        '',
        `${'9'.repeat(30)}.${mac}`,
        `${mine}.${mac}<script>`,
      ];
      for (const value of bad) {
        const res = await unsubscribePage(value);
        expect(res.status, value).to.equal(400);
        expect(res.text).to.include('Länken för att avsluta e-posten är ogiltig');
      }
      expect((await request(ctx.app).get('/bevakningar/avsluta?token=a&token=b')).status).to.equal(400);
      expect((await request(ctx.app).get('/bevakningar/avsluta')).status).to.equal(400);

      const agent = request.agent(ctx.app);
      const csrf = csrfFrom((await agent.get(`/bevakningar/avsluta?token=${token}`).expect(200)).text);
      await agent
        .post('/bevakningar/avsluta')
        .type('form')
        .send({ token: `${theirs}.${mac}`, _csrf: csrf })
        .expect(400);
      await agent
        .post('/bevakningar/avsluta')
        .type('form')
        .send(`token=a&token=b&_csrf=${encodeURIComponent(csrf)}`)
        .expect(400);
      expect(await ctx.db('saved_searches').whereIn('id', [mine, theirs]).pluck('frequency')).to.deep.equal(['daily', 'daily']);
    });

    it('when the saved search was deleted since, then its old link says so with 400', async () => {
      const savedId = await createSavedSearch(ctx.db, { userId: residentId, frequency: 'daily' });
      const token = unsubscribeToken(ctx.deps.sessionSecret, savedId);
      await ctx.db('saved_searches').where('id', savedId).delete();
      expect((await unsubscribePage(token)).status).to.equal(400);
    });
  });
});
