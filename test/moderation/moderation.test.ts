import { expect } from 'chai';
import type { Knex } from 'knex';
import sharp from 'sharp';
import request from 'supertest';
import { assignmentIndexName } from '../../src/modules/search/index.js';
import { accessibilityViolations, logInWithForm, useBrowser } from '../support/browser.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { createReport } from '../support/moderation-factories.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { createUser, csrfFrom, logInAs, postForm, type LoggedIn } from '../support/users.js';

// Moderation (PRODUCT.md flow 7) through HTTP: anyone reports an assignment
// (bad input refused beside its field, rate limited per address, nothing about
// a visitor stored); platform admins hide and restore assignments, dismiss
// reports, warn and suspend organisations; what is hidden or suspended leaves
// every public place at once (detail page, home, /uppdrag with Meilisearch and
// with the database fallback, the JSON API, the organisation page) and the
// organisation's members are told.
//
// Every request comes from one address, and 10 stored reports per address and
// hour are allowed: the admin tests write their reports straight to the
// database (createReport) and the limit itself is tested with its own app.

const XSS = '"><script>alert(1)</script>';
const XSS_ESCAPED = '&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';

type Agent = ReturnType<typeof request.agent>;

/** A visitor with a session and its CSRF token (visitors post forms too). */
async function visitor(ctx: TestApp, path = '/logga-in'): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(ctx.app);
  return { agent, csrf: csrfFrom((await agent.get(path).expect(200)).text) };
}

const slugOf = async (ctx: TestApp, organisationId: number) =>
  (await ctx.db('organisations').where('id', organisationId).first('slug')).slug as string;

/** The number of rows a query matches. */
const countOf = async (query: Knex.QueryBuilder) => Number((await query.count({ n: '*' }).first())!.n);
const reportCount = (ctx: TestApp) => countOf(ctx.db('assignment_reports'));

describe('Moderation', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  let admin: LoggedIn;
  let resident: LoggedIn;
  let member: LoggedIn;
  let otherMember: LoggedIn;
  let officer: LoggedIn;
  let residentId: number;
  let adminId: number;
  let memberIds: number[];
  let orgId: number;
  let orgSlug: string;
  let otherOrgId: number;

  const apiIds = async () =>
    ((await request(ctx.app).get('/api/v1/assignments?perPage=100').expect(200)).body.hits as Array<{ id: number }>).map(
      (hit) => hit.id,
    );
  const inIndex = async (id: number) => {
    try {
      await ctx.search.index(assignmentIndexName(ctx.config.meili.indexPrefix)).getDocument(id);
      return true;
    } catch {
      return false;
    }
  };
  /**
   * Waits for the document to leave the index, with no worker running: only the
   * removal right after the commit can do it. (Meilisearch's own task takes
   * milliseconds to seconds on a loaded machine, hence the generous bound.)
   */
  const goneFromIndex = async (id: number) => {
    const started = Date.now();
    while ((await inIndex(id)) && Date.now() - started < 15_000) await new Promise((resolve) => setTimeout(resolve, 20));
    return !(await inIndex(id));
  };
  const published = async (title: string, organisationId = orgId) => {
    const id = await createTestAssignment(ctx.db, { organisationId, title });
    await ctx.runJobs();
    return id;
  };
  const noticesFor = (userId: number) =>
    ctx.db('notifications').where({ user_id: userId, type: 'moderation_notice' }).orderBy('id').select('link', 'params');

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Rusksele byaförening' });
    const other = await createOrganisation(ctx.db, { name: 'Norsjö idrottsklubb' });
    orgId = org.id;
    otherOrgId = other.id;
    orgSlug = await slugOf(ctx, org.id);
    const users = {
      admin: await createUser(ctx.db, { isAdmin: true }),
      resident: await createUser(ctx.db),
      member: await createUser(ctx.db),
      secondMember: await createUser(ctx.db),
      otherMember: await createUser(ctx.db),
      officer: await createUser(ctx.db),
    };
    await ctx.db('organisation_members').insert([
      { organisation_id: org.id, user_id: users.member.id, role: 'admin' },
      { organisation_id: org.id, user_id: users.secondMember.id, role: 'member' },
      { organisation_id: other.id, user_id: users.otherMember.id, role: 'admin' },
    ]);
    await ctx.db('officer_municipalities').insert({ user_id: users.officer.id, municipality_code: '2481' });
    adminId = users.admin.id;
    residentId = users.resident.id;
    memberIds = [users.member.id, users.secondMember.id];
    admin = await logInAs(ctx.app, users.admin.email);
    resident = await logInAs(ctx.app, users.resident.email);
    member = await logInAs(ctx.app, users.member.email);
    otherMember = await logInAs(ctx.app, users.otherMember.email);
    officer = await logInAs(ctx.app, users.officer.email);
  });

  describe('reporting', () => {
    it('when anyone opens an assignment, then it links to its report form, which offers every reason in a fieldset', async () => {
      const id = await published('Skotta trappan');
      const detail = await request(ctx.app).get(`/uppdrag/${id}`).redirects(1).expect(200);
      expect(detail.text).to.contain(`href="/uppdrag/${id}/rapportera"`);
      const form = await request(ctx.app).get(`/uppdrag/${id}/rapportera`).expect(200);
      expect(form.text).to.match(/<fieldset[^>]*>\s*<legend>/);
      for (const reason of ['spam', 'fraud', 'offensive', 'discriminatory', 'illegal', 'wrong_information', 'other'])
        expect(form.text).to.contain(`type="radio" name="reason" value="${reason}"`);
      expect(form.text).to.match(/<label for="details">/);
      expect(form.headers['cache-control']).to.equal('no-store');
    });

    it('when a visitor reports, then the report is stored without any trace of them and a thank-you page follows', async () => {
      const id = await published('Måla staketet');
      const client = await visitor(ctx, `/uppdrag/${id}/rapportera`);
      const res = await postForm(client, `/uppdrag/${id}/rapportera`, { reason: 'fraud', details: 'Ber om förskott via Swish.' });
      expect(res.status, res.text).to.equal(303);
      expect(res.headers.location).to.match(new RegExp(`^/uppdrag/${id}-[a-z0-9-]+/rapportera/tack$`));
      const thanks = await client.agent.get(res.headers.location as string).expect(200);
      expect(thanks.text).to.contain('Tack för din rapport');
      const rows = await ctx.db('assignment_reports').where('assignment_id', id).select('*');
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({ reporter_id: null, reason: 'fraud', details: 'Ber om förskott via Swish.', status: 'open' });
      // The row has only these columns, and none of them holds an address.
      expect(Object.keys(rows[0]).sort()).to.deep.equal(
        ['assignment_id', 'created_at', 'details', 'handled_at', 'handled_by', 'id', 'reason', 'reporter_id', 'status'].sort(),
      );
      expect(JSON.stringify(rows[0])).not.to.match(/127\.0\.0\.1|::1|ffff/);
    });

    it('when a resident reports twice, then one open report is kept and the second answer says it is already reported', async () => {
      const id = await published('Klippa gräset');
      await postForm(resident, `/uppdrag/${id}/rapportera`, { reason: 'spam' }).expect(303);
      const again = await postForm(resident, `/uppdrag/${id}/rapportera`, { reason: 'offensive', details: 'Igen' });
      expect(again.status).to.equal(200);
      expect(again.text).to.contain('Du har redan rapporterat uppdraget');
      const rows = await ctx.db('assignment_reports').where('assignment_id', id).select('reporter_id', 'reason');
      expect(rows).to.deep.equal([{ reporter_id: residentId, reason: 'spam' }]);

      // Once the report is handled, a new one may be sent.
      const [report] = await ctx.db('assignment_reports').where('assignment_id', id).pluck('id');
      await postForm(admin, `/admin/rapporter/${report}/avfarda`).expect(303);
      await postForm(resident, `/uppdrag/${id}/rapportera`, { reason: 'offensive', details: 'Nu igen' }).expect(303);
      expect(await countOf(ctx.db('assignment_reports').where({ assignment_id: id, status: 'open' }))).to.equal(1);
    });

    it('when a resident sends the same report five times at once, then exactly one is stored', async () => {
      const id = await published('Bära ved');
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => postForm(resident, `/uppdrag/${id}/rapportera`, { reason: 'spam' })),
      );
      expect(answers.map((res) => res.status).sort()).to.deep.equal([200, 200, 200, 200, 303]);
      expect(await countOf(ctx.db('assignment_reports').where('assignment_id', id))).to.equal(1);
    });

    const bad: Array<[string, Record<string, unknown> | string, string, string]> = [
      ['no reason', { details: 'Konstigt' }, 'reason', 'Välj ett av skälen.'],
      ['an unknown reason', { reason: 'boring' }, 'reason', 'Välj ett av skälen.'],
      ['"other" without a text', { reason: 'other', details: '   ' }, 'details', 'Beskriv vad som är fel'],
      ['2001 characters', { reason: 'spam', details: 'å'.repeat(2001) }, 'details', 'högst 2000 tecken'],
      ['two reasons (an array)', 'reason=spam&reason=fraud', 'reason', 'Välj ett av skälen.'],
      ['details as an array', 'reason=other&details=a&details=b', 'details', 'Skriv beskrivningen som text.'],
    ];
    for (const [what, body, field, message] of bad) {
      it(`when a report has ${what}, then 400 with the message beside ${field}, the input kept and nothing stored`, async () => {
        const id = await published(`Felaktig rapport ${what}`);
        const before = await reportCount(ctx);
        const res = await postForm(resident, `/uppdrag/${id}/rapportera`, body);
        expect(res.status, res.text).to.equal(400);
        expect(res.text).to.contain(`id="${field}-error"`).and.contain(message);
        expect(res.text).to.contain(`aria-describedby="${field === 'details' ? 'details-hint details-error' : 'reason-error'}"`);
        if (typeof body !== 'string' && typeof body.details === 'string' && body.details.trim())
          expect(res.text).to.contain(body.details);
        if (typeof body !== 'string' && body.reason === 'other') expect(res.text).to.contain('value="other" checked');
        expect(await reportCount(ctx)).to.equal(before);
      });
    }

    // Issue 9: NUL reached PostgreSQL, which refuses it with an error (a 500), and anyone may report.
    it('when a visitor reports with a NUL character in the text, then 400 beside it with the input kept and nothing stored', async () => {
      const id = await published('Nolltecknet');
      const client = await visitor(ctx, `/uppdrag/${id}/rapportera`);
      const before = await reportCount(ctx);
      const res = await postForm(client, `/uppdrag/${id}/rapportera`, { reason: 'other', details: 'Ber om\u0000förskott' });
      expect(res.status, res.text).to.equal(400);
      expect(res.text).to.contain('id="details-error"').and.contain('tecken som inte kan sparas');
      expect(res.text).to.contain('Ber om\u0000förskott').and.contain('value="other" checked');
      expect(await reportCount(ctx)).to.equal(before);
    });

    it('when the text is exactly 2000 characters, then the report is stored', async () => {
      const id = await published('Gränsfallet');
      await postForm(resident, `/uppdrag/${id}/rapportera`, { reason: 'other', details: 'ö'.repeat(2000) }).expect(303);
      const row = await ctx.db('assignment_reports').where('assignment_id', id).first('details');
      expect(row.details).to.have.length(2000);
    });

    it('when the form comes without a CSRF token, then 403 and nothing stored', async () => {
      const id = await published('Utan token');
      const before = await reportCount(ctx);
      await request(ctx.app).post(`/uppdrag/${id}/rapportera`).type('form').send({ reason: 'spam' }).expect(403);
      expect(await reportCount(ctx)).to.equal(before);
    });

    it('when the assignment is unknown, not public, hidden or its reference malformed, then 404 and nothing stored', async () => {
      const draft = await createTestAssignment(ctx.db, { organisationId: orgId, status: 'draft' });
      const hidden = await published('Redan dold');
      await ctx.db('assignments').where('id', hidden).update({ hidden_at: new Date(), hidden_reason: 'Test' });
      const before = await reportCount(ctx);
      for (const ref of [String(draft), String(hidden), '999999', 'abc', '99999999999999999999', '%3Cscript%3E']) {
        await request(ctx.app).get(`/uppdrag/${ref}/rapportera`).expect(404);
        await postForm(resident, `/uppdrag/${ref}/rapportera`, { reason: 'spam' }).expect(404);
      }
      expect(await reportCount(ctx)).to.equal(before);
    });
  });

  describe('the moderation queue', () => {
    it('when anyone but a platform admin asks for the queue or an action, then it does not exist and nothing changes', async () => {
      const id = await published('Ingen får röra');
      const report = await createReport(ctx.db, { assignmentId: id });
      const anonymous = await visitor(ctx);
      for (const client of [anonymous, resident, member, otherMember, officer]) {
        await client.agent.get('/admin/moderering').expect(404);
        await postForm(client, `/admin/uppdrag/${id}/dolj`, { reason: 'Olämpligt' }).expect(404);
        await postForm(client, `/admin/uppdrag/${id}/aterstall`).expect(404);
        await postForm(client, `/admin/rapporter/${report}/avfarda`).expect(404);
        await postForm(client, `/admin/organisationer/${orgSlug}/varna`, { message: 'Sluta' }).expect(404);
        await postForm(client, `/admin/organisationer/${orgSlug}/stang-av`, { reason: 'Bedrägeri' }).expect(404);
        await postForm(client, `/admin/organisationer/${orgSlug}/oppna`).expect(404);
      }
      expect(await ctx.db('assignments').where('id', id).first('hidden_at')).to.deep.equal({ hidden_at: null });
      expect(await ctx.db('assignment_reports').where('id', report).first('status')).to.deep.equal({ status: 'open' });
      expect(await ctx.db('organisations').where('id', orgId).first('suspended_at')).to.deep.equal({ suspended_at: null });
      expect(await countOf(ctx.db('notifications').where('type', 'moderation_notice'))).to.equal(0);
      await postForm(admin, `/admin/rapporter/${report}/avfarda`).expect(303);
    });

    it('when reports come in, then the queue groups them per assignment with reasons, texts and dates, escaped', async () => {
      const id = await published(`Tvivelaktigt ${XSS}`);
      const client = await visitor(ctx, `/uppdrag/${id}/rapportera`);
      await postForm(client, `/uppdrag/${id}/rapportera`, { reason: 'fraud', details: `Lurendrejeri ${XSS}` }).expect(303);
      await createReport(ctx.db, {
        assignmentId: id,
        reporterId: residentId,
        reason: 'fraud',
        details: 'Vill ha betalt i förskott',
      });
      const overview = await admin.agent.get('/admin').expect(200);
      const open = await countOf(ctx.db('assignment_reports').where('status', 'open'));
      expect(overview.text).to.contain('href="/admin/moderering"').and.contain(`Modereringskö (${open} öppna rapporter)`);

      const page = await admin.agent.get('/admin/moderering').expect(200);
      expect(page.headers['cache-control']).to.equal('no-store');
      expect(page.text).not.to.contain('<script>alert(1)</script>');
      expect(page.text).to.contain(`Lurendrejeri ${XSS_ESCAPED}`).and.contain(`Tvivelaktigt ${XSS_ESCAPED}`);
      const group = page.text.slice(page.text.indexOf(`id="reported-${id}"`));
      expect(group).to.contain('2 rapporter').and.contain('Bedrägeri eller försök att lura någon (2)');
      expect(group)
        .to.contain('Vill ha betalt i förskott')
        .and.contain('från en besökare')
        .and.contain('från en inloggad användare');
      expect(group).to.match(/<time datetime="\d{4}-\d\d-\d\dT/);
    });

    it('when an admin hides without a reason, then 400 with the message beside that form and nothing changes', async () => {
      const id = await published('Utan skäl');
      await createReport(ctx.db, { assignmentId: id });
      for (const reason of ['', '   ', 'x'.repeat(2001)]) {
        const res = await postForm(admin, `/admin/uppdrag/${id}/dolj`, reason.length > 10 ? { reason } : { reason });
        expect(res.status).to.equal(400);
        expect(res.text).to.contain(`id="hide-${id}-reason-error"`).and.contain(`aria-describedby="hide-${id}-reason-error"`);
      }
      const arrays = await postForm(admin, `/admin/uppdrag/${id}/dolj`, 'reason=a&reason=b');
      expect(arrays.status).to.equal(400);
      expect(await ctx.db('assignments').where('id', id).first('hidden_at')).to.deep.equal({ hidden_at: null });
      expect(await inIndex(id)).to.equal(true);
    });

    it('when an admin hides a reported assignment, then it leaves every public place at once, its reports are resolved and the members are told', async () => {
      const id = await published('Olämpligt uppdrag');
      await ctx
        .db('assignments')
        .where('id', id)
        .update({ published_at: new Date(Date.now() + 60_000) }); // newest: on the home page
      await ctx.runJobs();
      await createReport(ctx.db, { assignmentId: id, reporterId: residentId, reason: 'offensive' });
      expect(await apiIds()).to.include(id);
      expect((await request(ctx.app).get('/').expect(200)).text).to.contain('Olämpligt uppdrag');

      const res = await postForm(admin, `/admin/uppdrag/${id}/dolj`, { reason: 'Kränkande formuleringar' });
      expect(res.status, res.text).to.equal(303);
      expect(res.headers.location).to.equal('/admin/moderering?done=hidden');

      const row = await ctx.db('assignments').where('id', id).first('hidden_at', 'hidden_reason', 'status');
      expect(row.hidden_at).to.be.instanceOf(Date);
      expect(row).to.include({ hidden_reason: 'Kränkande formuleringar', status: 'published' });
      const reports = await ctx.db('assignment_reports').where('assignment_id', id).select('status', 'handled_by', 'handled_at');
      expect(reports).to.have.length(1);
      expect(reports[0]).to.include({ status: 'resolved', handled_by: adminId });
      expect(reports[0].handled_at).to.be.instanceOf(Date);

      // Search, before any job has run: the document was removed right after the commit.
      expect(await goneFromIndex(id), 'removed from the index without the worker').to.equal(true);
      expect(await apiIds()).not.to.include(id);
      const queued = await ctx.db.raw(`SELECT 1 FROM graphile_worker._private_jobs WHERE key = ?`, [`index_assignment:${id}`]);
      expect(queued.rows, 'the index job is queued too (the guarantee)').to.have.length(1);
      await ctx.runJobs();
      expect(await inIndex(id)).to.equal(false);
      expect(await apiIds()).not.to.include(id);
      expect((await request(ctx.app).get('/uppdrag?q=Olämpligt').expect(200)).text).not.to.contain('Olämpligt uppdrag');
      expect((await request(ctx.app).get('/').expect(200)).text).not.to.contain('Olämpligt uppdrag');
      await request(ctx.app).get(`/uppdrag/${id}`).expect(404);
      await request(ctx.app).get(`/uppdrag/${id}/rapportera`).expect(404);

      for (const userId of memberIds) {
        const notices = await noticesFor(userId);
        expect(notices).to.have.length(1);
        expect(notices[0].link).to.equal(`/organisationer/${orgSlug}/uppdrag`);
        expect(notices[0].params).to.include({
          context: 'hidden',
          assignment: 'Olämpligt uppdrag',
          organisation: 'Rusksele byaförening',
          text: 'Kränkande formuleringar',
        });
      }
      expect(await noticesFor(adminId)).to.have.length(0);
      // The notice links to the members' own list, which says what was hidden and why.
      const list = await member.agent.get(`/organisationer/${orgSlug}/uppdrag`).expect(200);
      expect(list.text.slice(list.text.indexOf('id="status-hidden"')))
        .to.contain('Olämpligt uppdrag')
        .and.contain('Kränkande formuleringar');

      const queue = await admin.agent.get('/admin/moderering').expect(200);
      const hiddenSection = queue.text.slice(queue.text.indexOf('id="hidden-heading"'));
      expect(hiddenSection).to.contain('Olämpligt uppdrag').and.contain('Kränkande formuleringar');
      expect(queue.text).not.to.contain(`id="reported-${id}"`);

      // Hidden twice: the state does not allow it.
      const twice = await postForm(admin, `/admin/uppdrag/${id}/dolj`, { reason: 'Igen' });
      expect(twice.status).to.equal(409);
      expect(twice.text).to.contain('Uppdraget är redan dolt.');

      // Restored: back everywhere once the job has run, and the members are told.
      await postForm(admin, `/admin/uppdrag/${id}/aterstall`).expect(303);
      expect(await ctx.db('assignments').where('id', id).first('hidden_at', 'hidden_reason')).to.deep.equal({
        hidden_at: null,
        hidden_reason: null,
      });
      await ctx.runJobs();
      expect(await apiIds()).to.include(id);
      await request(ctx.app).get(`/uppdrag/${id}`).redirects(1).expect(200);
      expect((await request(ctx.app).get('/').expect(200)).text).to.contain('Olämpligt uppdrag');
      for (const userId of memberIds) {
        const notices = await noticesFor(userId);
        expect(notices.map((notice) => notice.params.context)).to.deep.equal(['hidden', 'restored']);
      }
      const listAfter = (await member.agent.get(`/organisationer/${orgSlug}/uppdrag`).expect(200)).text;
      expect(listAfter.slice(listAfter.indexOf('id="status-hidden"'))).not.to.contain('Olämpligt uppdrag');
      const again = await postForm(admin, `/admin/uppdrag/${id}/aterstall`);
      expect(again.status).to.equal(409);
      expect(again.text).to.contain('Uppdraget är inte dolt.');
    });

    it('when an admin hides or restores a missing or malformed id, then 404', async () => {
      for (const id of ['999999', 'abc', '1e3', '99999999999999999999']) {
        await postForm(admin, `/admin/uppdrag/${id}/dolj`, { reason: 'Skäl' }).expect(404);
        await postForm(admin, `/admin/uppdrag/${id}/aterstall`).expect(404);
        await postForm(admin, `/admin/rapporter/${id}/avfarda`).expect(404);
      }
      for (const slug of ['finns-inte', 'A%20B', 'x'.repeat(150)]) {
        await postForm(admin, `/admin/organisationer/${slug}/varna`, { message: 'Hej' }).expect(404);
        await postForm(admin, `/admin/organisationer/${slug}/stang-av`, { reason: 'Skäl' }).expect(404);
        await postForm(admin, `/admin/organisationer/${slug}/oppna`).expect(404);
      }
    });

    it('when an admin dismisses a report, then it is kept as dismissed and cannot be dismissed twice', async () => {
      const id = await published('Felanmält');
      const report = await createReport(ctx.db, { assignmentId: id, reason: 'wrong_information' });
      await postForm(admin, `/admin/rapporter/${report}/avfarda`).expect(303);
      const row = await ctx.db('assignment_reports').where('id', report).first('status', 'handled_by', 'handled_at');
      expect(row).to.include({ status: 'dismissed', handled_by: adminId });
      expect(row.handled_at).to.be.instanceOf(Date);
      expect((await admin.agent.get('/admin/moderering').expect(200)).text).not.to.contain(`id="reported-${id}"`);
      const twice = await postForm(admin, `/admin/rapporter/${report}/avfarda`);
      expect(twice.status).to.equal(409);
      expect(twice.text).to.contain('Rapporten är redan hanterad.');
      expect(await ctx.db('assignments').where('id', id).first('hidden_at')).to.deep.equal({ hidden_at: null });
    });

    it('when an admin warns an organisation, then its members get the warning and nothing else changes', async () => {
      const id = await published('Varningsfallet');
      await createReport(ctx.db, { assignmentId: id });
      const before = await Promise.all(memberIds.map(noticesFor));
      const empty = await postForm(admin, `/admin/organisationer/${orgSlug}/varna`, { message: ' ' });
      expect(empty.status).to.equal(400);
      expect(empty.text).to.contain(`id="warn-${orgSlug}-message-error"`).and.contain('Skriv varningen.');

      await postForm(admin, `/admin/organisationer/${orgSlug}/varna`, { message: `Sluta med skräpposter ${XSS}` }).expect(303);
      for (const [i, userId] of memberIds.entries()) {
        const notices = await noticesFor(userId);
        expect(notices).to.have.length(before[i]!.length + 1);
        expect(notices.at(-1)!.link).to.equal(`/organisationer/${orgSlug}`);
        expect(notices.at(-1)!.params).to.include({ context: 'warned', text: `Sluta med skräpposter ${XSS}` });
      }
      expect(await ctx.db('organisations').where('id', orgId).first('suspended_at')).to.deep.equal({ suspended_at: null });
      expect(await ctx.db('assignment_reports').where('assignment_id', id).first('status')).to.deep.equal({ status: 'open' });
    });

    it('when an admin suspends an organisation, then all its assignments leave the public places, its members cannot post or publish, and lifting brings them back', async () => {
      const org = await createOrganisation(ctx.db, { name: 'Skojarbolaget' });
      const slug = await slugOf(ctx, org.id);
      const users = [await createUser(ctx.db), await createUser(ctx.db)];
      await ctx
        .db('organisation_members')
        .insert(users.map((user) => ({ organisation_id: org.id, user_id: user.id, role: 'admin' })));
      const suspendedMember = await logInAs(ctx.app, users[0]!.email);
      const first = await published('Skojarbolagets första', org.id);
      const second = await published('Skojarbolagets andra', org.id);
      const draft = await createTestAssignment(ctx.db, {
        organisationId: org.id,
        status: 'draft',
        title: 'Skojarbolagets utkast',
      });
      const image = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#a62' } })
        .webp()
        .toBuffer();
      await ctx.deps.storage.put('attachments/moderation-test.webp', image, 'image/webp');
      const [attachment] = await ctx
        .db('assignment_attachments')
        .insert({
          assignment_id: first,
          storage_key: 'attachments/moderation-test.webp',
          kind: 'image',
          byte_size: image.length,
          position: 1,
        })
        .returning('id');
      await request(ctx.app).get(`/uppdrag/${first}/bilagor/${attachment.id}`).expect(200);
      await ctx.deps.storage.put('logos/moderation-test.webp', image, 'image/webp');
      await ctx.db('organisations').where('id', org.id).update({ logo_key: 'logos/moderation-test.webp' });
      await request(ctx.app).get(`/organisationer/${slug}/logo`).expect(200);
      const bystander = await published('Grannens uppdrag', otherOrgId);
      await createReport(ctx.db, { assignmentId: first, reason: 'fraud' });
      expect(await apiIds()).to.include.members([first, second, bystander]);

      const empty = await postForm(admin, `/admin/organisationer/${slug}/stang-av`, {});
      expect(empty.status).to.equal(400);
      await postForm(admin, `/admin/organisationer/${slug}/stang-av`, { reason: 'Bedrägliga uppdrag' }).expect(303);
      const row = await ctx.db('organisations').where('id', org.id).first('suspended_at', 'suspended_reason');
      expect(row.suspended_at).to.be.instanceOf(Date);
      expect(row.suspended_reason).to.equal('Bedrägliga uppdrag');
      expect(await ctx.db('assignment_reports').where('assignment_id', first).first('status', 'handled_by')).to.deep.equal({
        status: 'resolved',
        handled_by: adminId,
      });

      expect(await goneFromIndex(first), 'removed right after the commit').to.equal(true);
      expect(await goneFromIndex(second)).to.equal(true);
      await ctx.runJobs();
      const ids = await apiIds();
      expect(ids).not.to.include(first);
      expect(ids).not.to.include(second);
      expect(ids).to.include(bystander);
      for (const id of [first, second]) {
        await request(ctx.app).get(`/uppdrag/${id}`).expect(404);
        await request(ctx.app).get(`/uppdrag/${id}/rapportera`).expect(404);
      }
      // Files go with the page; the members still see their own assignment and its files.
      await request(ctx.app).get(`/uppdrag/${first}/bilagor/${attachment.id}`).expect(404);
      const own = await suspendedMember.agent.get(`/uppdrag/${first}/bilagor/${attachment.id}`).expect(200);
      expect(own.headers['cache-control']).to.equal('private, no-store');
      // The logo too: gone for the public, still there for the members.
      await request(ctx.app).get(`/organisationer/${slug}/logo`).expect(404);
      const ownLogo = await suspendedMember.agent.get(`/organisationer/${slug}/logo`).expect(200);
      expect(ownLogo.headers['cache-control']).to.equal('private, no-store');
      await suspendedMember.agent.get(`/organisationer/${slug}/uppdrag/${first}/forhandsgranska`).expect(200);
      const search = await request(ctx.app).get('/uppdrag?q=Skojarbolagets').expect(200);
      expect(search.text).not.to.contain('Skojarbolagets första').and.not.to.contain('Skojarbolagets andra');
      expect((await request(ctx.app).get('/').expect(200)).text).not.to.contain('Skojarbolagets');
      const page = await request(ctx.app).get(`/organisationer/${slug}`).expect(200);
      expect(page.text).to.contain('Organisationen är avstängd från Uppdragsbanken');
      expect(page.text).not.to.contain('Skojarbolagets första').and.not.to.contain('En förening för test.');

      for (const user of users) {
        const [notice] = await noticesFor(user.id);
        expect(notice?.params).to.include({ context: 'suspended', text: 'Bedrägliga uppdrag', organisation: 'Skojarbolaget' });
      }

      // Members: no new assignment, no publishing; the message says why.
      const form = await suspendedMember.agent.get(`/organisationer/${slug}/uppdrag/nytt`);
      expect(form.status).to.equal(403);
      expect(form.text).to.contain('Organisationen är avstängd av Uppdragsbankens moderatorer');
      const count = () => countOf(ctx.db('assignments').where('organisation_id', org.id));
      const before = await count();
      const create = await postForm(suspendedMember, `/organisationer/${slug}/uppdrag/nytt`, { title: 'Nytt försök' });
      expect(create.status).to.equal(403);
      expect(await count()).to.equal(before);
      const publish = await postForm(suspendedMember, `/organisationer/${slug}/uppdrag/${draft}/publicera`);
      expect(publish.status).to.equal(403);
      expect(publish.text).to.contain('Organisationen är avstängd av Uppdragsbankens moderatorer');
      expect(await ctx.db('assignments').where('id', draft).first('status')).to.deep.equal({ status: 'draft' });

      const queue = await admin.agent.get('/admin/moderering').expect(200);
      expect(queue.text.slice(queue.text.indexOf('id="suspended-heading"')))
        .to.contain('Skojarbolaget')
        .and.contain('Bedrägliga uppdrag');
      const twice = await postForm(admin, `/admin/organisationer/${slug}/stang-av`, { reason: 'Igen' });
      expect(twice.status).to.equal(409);
      expect(twice.text).to.contain('Organisationen är redan avstängd.');

      // Lifted: back in search, on the page and open for posting again.
      await postForm(admin, `/admin/organisationer/${slug}/oppna`).expect(303);
      expect(await ctx.db('organisations').where('id', org.id).first('suspended_at', 'suspended_reason')).to.deep.equal({
        suspended_at: null,
        suspended_reason: null,
      });
      await ctx.runJobs();
      expect(await apiIds()).to.include.members([first, second]);
      await request(ctx.app).get(`/uppdrag/${first}`).redirects(1).expect(200);
      await request(ctx.app).get(`/organisationer/${slug}/logo`).expect(200);
      expect((await request(ctx.app).get(`/organisationer/${slug}`).expect(200)).text).to.contain('Skojarbolagets andra');
      await suspendedMember.agent.get(`/organisationer/${slug}/uppdrag/nytt`).expect(200);
      await postForm(suspendedMember, `/organisationer/${slug}/uppdrag/${draft}/publicera`).expect(303);
      for (const user of users)
        expect((await noticesFor(user.id)).map((notice) => notice.params.context)).to.deep.equal(['suspended', 'reinstated']);
      expect((await postForm(admin, `/admin/organisationer/${slug}/oppna`)).status).to.equal(409);
    });
  });
});

describe('Moderation: the report rate limit', function () {
  this.timeout(60_000);
  const ctx = useTestApp();

  it('when one address has sent 10 reports in an hour, then the 11th gets 429 with a message and nothing is stored; refused forms do not count', async () => {
    const org = await createOrganisation(ctx.db);
    const id = await createTestAssignment(ctx.db, { organisationId: org.id });
    const client = await visitor(ctx, `/uppdrag/${id}/rapportera`);
    for (let i = 0; i < 3; i++) await postForm(client, `/uppdrag/${id}/rapportera`, {}).expect(400);
    for (let i = 0; i < 10; i++)
      await postForm(client, `/uppdrag/${id}/rapportera`, { reason: 'spam', details: `Rapport ${i}` }).expect(303);
    const blocked = await postForm(client, `/uppdrag/${id}/rapportera`, { reason: 'fraud', details: 'Den elfte' });
    expect(blocked.status).to.equal(429);
    expect(blocked.text).to.contain('Du har skickat många rapporter på kort tid');
    expect(blocked.text).to.contain('Den elfte').and.contain('value="fraud" checked');
    expect(await reportCount(ctx)).to.equal(10);
    // Another session from the same address is held back too.
    const other = await visitor(ctx, `/uppdrag/${id}/rapportera`);
    await postForm(other, `/uppdrag/${id}/rapportera`, { reason: 'spam' }).expect(429);
    expect(await reportCount(ctx)).to.equal(10);
  });
});

describe('Moderation: with search down (the database fallback)', function () {
  this.timeout(60_000);
  const ctx = useTestApp(() => ({ search: undefined }));

  it('when an assignment is hidden or its organisation suspended, then the fallback lists leave it out until restored', async () => {
    const org = await createOrganisation(ctx.db, { name: 'Fallbackföreningen' });
    const other = await createOrganisation(ctx.db, { name: 'Andra föreningen' });
    const hidden = await createTestAssignment(ctx.db, { organisationId: other.id, title: 'Dolt i databasen' });
    const suspendedOnes = await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Avstängt i databasen' });
    const adminUser = await createUser(ctx.db, { isAdmin: true });
    const admin = await logInAs(ctx.app, adminUser.email);
    const listed = async () => {
      const [search, home] = await Promise.all([request(ctx.app).get('/uppdrag'), request(ctx.app).get('/')]);
      expect(search.status).to.equal(200);
      expect(search.text).to.contain('class="notice'); // the page says it lists from the database
      return { search: search.text, home: home.text };
    };
    let pages = await listed();
    expect(pages.search).to.contain('Dolt i databasen').and.contain('Avstängt i databasen');

    await postForm(admin, `/admin/uppdrag/${hidden}/dolj`, { reason: 'Test' }).expect(303);
    await postForm(admin, `/admin/organisationer/${await slugOf(ctx, org.id)}/stang-av`, { reason: 'Test' }).expect(303);
    pages = await listed();
    for (const text of [pages.search, pages.home])
      expect(text).not.to.contain('Dolt i databasen').and.not.to.contain('Avstängt i databasen');
    await request(ctx.app).get(`/uppdrag/${suspendedOnes}`).expect(404);

    await postForm(admin, `/admin/uppdrag/${hidden}/aterstall`).expect(303);
    await postForm(admin, `/admin/organisationer/${await slugOf(ctx, org.id)}/oppna`).expect(303);
    pages = await listed();
    expect(pages.search).to.contain('Dolt i databasen').and.contain('Avstängt i databasen');
  });
});

describe('Moderation pages in a browser (axe)', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);
  let assignmentId: number;
  let adminEmail: string;
  let memberEmail: string;
  let suspendedSlug: string;

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Rusksele byaförening' });
    const suspended = await createOrganisation(ctx.db, { name: 'Avstängda bolaget' });
    suspendedSlug = await slugOf(ctx, suspended.id);
    await ctx.db('organisations').where('id', suspended.id).update({ suspended_at: new Date(), suspended_reason: 'Test' });
    assignmentId = await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Snöskottning vid bygdegården' });
    const hidden = await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Dolt uppdrag' });
    await ctx.db('assignments').where('id', hidden).update({ hidden_at: new Date(), hidden_reason: 'Kränkande' });
    await createReport(ctx.db, { assignmentId, reason: 'fraud', details: `Bedrägeri ${XSS}` });
    await createReport(ctx.db, { assignmentId, reason: 'other', details: 'Rad ett\n\nRad två' });
    adminEmail = (await createUser(ctx.db, { isAdmin: true })).email;
    const memberUser = await createUser(ctx.db);
    memberEmail = memberUser.email;
    await ctx.db('organisation_members').insert({ organisation_id: suspended.id, user_id: memberUser.id, role: 'admin' });
  });

  it('when a visitor reports through the form, then every step has no axe violations', async () => {
    const page = await browser.newPage();
    await page.goto(`${browser.baseUrl}/uppdrag/${assignmentId}`);
    await page.getByRole('link', { name: 'Rapportera uppdraget' }).click();
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    // Sent without a reason: the message is tied to the group of choices.
    await page.getByRole('button', { name: 'Skicka rapporten' }).click();
    expect(await page.getByRole('group', { name: 'Varför rapporterar du uppdraget?' }).getAttribute('aria-describedby')).to.equal(
      'reason-error',
    );
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    await page.getByLabel('Felaktiga uppgifter').check();
    await page.getByLabel('Beskriv gärna vad som är fel').fill('Fel datum');
    await page.getByRole('button', { name: 'Skicka rapporten' }).click();
    await page.getByRole('heading', { name: 'Tack för din rapport' }).waitFor();
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    expect(
      await countOf(ctx.db('assignment_reports').where({ assignment_id: assignmentId, reason: 'wrong_information' })),
    ).to.equal(1);
    await page.close();
  });

  it('when an admin opens the queue and sends a form without its text, then the page has no axe violations', async () => {
    const page = await browser.newPage();
    await logInWithForm(page, browser.baseUrl, adminEmail);
    await page.goto(`${browser.baseUrl}/admin/moderering`);
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    await page.getByRole('button', { name: 'Dölj Snöskottning vid bygdegården' }).click();
    await page.getByText('Skriv skälet. Organisationen får se det.').waitFor();
    expect(
      await page.getByLabel('Skäl till att dölja uppdraget (organisationen får se det)').getAttribute('aria-invalid'),
    ).to.equal('true');
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    await page.close();
  });

  it('when a suspended organisation is shown, to the public and to its member trying to post, then no axe violations', async () => {
    const page = await browser.newPage();
    await page.goto(`${browser.baseUrl}/organisationer/${suspendedSlug}`);
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    await logInWithForm(page, browser.baseUrl, memberEmail);
    const res = await page.goto(`${browser.baseUrl}/organisationer/${suspendedSlug}/uppdrag/nytt`);
    expect(res?.status()).to.equal(403);
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    await page.close();
  });
});
