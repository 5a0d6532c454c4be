import { expect } from 'chai';
import request from 'supertest';
import { expireAssignments } from '../../src/modules/assignments/expiry.js';
import { createApplication, createOrganisation, isoDay } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, type LoggedIn, logInAs, postForm } from '../support/users.js';

// Issue 4 item 10: the search index follows every change of an assignment's
// life — publish, edit, close, assign, withdraw, complete, expire, hide,
// restore, cancel, delete — through the jobs each change enqueues in its own
// transaction. After each step the jobs run and the public search is asked.

describe('Search index through the whole life of an assignment', () => {
  const ctx = useTestApp();
  let member: LoggedIn;
  let resident: LoggedIn;
  let admin: LoggedIn;
  let residentId: number;
  let slug: string;

  const post = postForm;

  /** The titles the public search finds for a word, after the queued jobs ran. */
  const searchTitles = async (q: string) => {
    await ctx.runJobs();
    const res = await request(ctx.app).get('/api/v1/assignments').query({ q }).expect(200);
    return (res.body.hits as Array<{ title: string }>).map((hit) => hit.title);
  };

  const draft = async (title: string, extra: Record<string, unknown> = {}) => {
    await post(member, `/organisationer/${slug}/uppdrag/nytt`, {
      title,
      description: 'Ett uppdrag för att följa indexet genom livet.',
      category: 'ovrigt',
      municipality: '2481',
      compensationType: 'volunteer',
      applyBy: isoDay(10),
      peopleNeeded: '1',
      intent: 'draft',
      ...extra,
    }).expect(303);
    return (await ctx.db('assignments').where('title', title).first('id')).id as number;
  };
  const act = (id: number, action: string) => post(member, `/organisationer/${slug}/uppdrag/${id}/${action}`);

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Indexbyns förening' });
    slug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug as string;
    const users = {
      member: await createUser(ctx.db),
      resident: await createUser(ctx.db),
      admin: await createUser(ctx.db, { isAdmin: true }),
    };
    await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: users.member.id, role: 'admin' });
    residentId = users.resident.id;
    member = await logInAs(ctx.app, users.member.email);
    resident = await logInAs(ctx.app, users.resident.email);
    admin = await logInAs(ctx.app, users.admin.email);
  });

  it('when an assignment is published, edited, filled, freed, completed, then the index follows each step', async () => {
    const id = await draft('Vedklyvning vid bystugan');
    expect(await searchTitles('vedklyvning'), 'a draft').to.deep.equal([]);
    await act(id, 'publicera').expect(303);
    expect(await searchTitles('vedklyvning'), 'published').to.deep.equal(['Vedklyvning vid bystugan']);

    const edit = await member.agent.get(`/organisationer/${slug}/uppdrag/${id}/redigera`).expect(200);
    expect(edit.text).to.include('Vedklyvning');
    await post(member, `/organisationer/${slug}/uppdrag/${id}/redigera`, {
      title: 'Vedklyvning och stapling vid bystugan',
      description: 'Ett uppdrag för att följa indexet genom livet.',
      category: 'ovrigt',
      municipality: '2481',
      compensationType: 'volunteer',
      applyBy: isoDay(10),
      peopleNeeded: '1',
      intent: 'draft',
    }).expect(303);
    expect(await searchTitles('stapling'), 'edited').to.deep.equal(['Vedklyvning och stapling vid bystugan']);

    // The one place is filled: assigned leaves the search; withdrawn, it comes back.
    const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: residentId });
    await post(member, `/ansokningar/${applicationId}/acceptera`).expect(303);
    expect((await ctx.db('assignments').where('id', id).first('status')).status).to.equal('assigned');
    expect(await searchTitles('vedklyvning'), 'assigned').to.deep.equal([]);
    await post(resident, `/ansokningar/${applicationId}/aterkalla`).expect(303);
    expect(await searchTitles('vedklyvning'), 'freed again').to.have.length(1);

    // Closed for applications, then completed by the one accepted again.
    await act(id, 'stang').expect(303);
    expect(await searchTitles('vedklyvning'), 'closed').to.deep.equal([]);
    await ctx.db('applications').where('id', applicationId).update({ status: 'accepted' });
    await act(id, 'klar').expect(303);
    expect((await ctx.db('assignments').where('id', id).first('status')).status).to.equal('completed');
    expect(await searchTitles('vedklyvning'), 'completed').to.deep.equal([]);
  });

  it('when an assignment expires, is hidden and restored, cancelled, or a draft deleted, then the index follows', async () => {
    const expiring = await draft('Gräsklippning på idrottsplatsen');
    await act(expiring, 'publicera').expect(303);
    expect(await searchTitles('idrottsplatsen')).to.have.length(1);
    await ctx
      .db('assignments')
      .where('id', expiring)
      .update({ apply_by: isoDay(-1) });
    expect(await expireAssignments(ctx.db)).to.deep.equal([expiring]);
    expect(await searchTitles('idrottsplatsen'), 'expired').to.deep.equal([]);

    const moderated = await draft('Snöskottning av bystugans tak');
    await act(moderated, 'publicera').expect(303);
    expect(await searchTitles('bystugans')).to.have.length(1);
    await post(admin, `/admin/uppdrag/${moderated}/dolj`, { reason: 'Vilseledande annons' }).expect(303);
    expect(await searchTitles('bystugans'), 'hidden').to.deep.equal([]);
    await post(admin, `/admin/uppdrag/${moderated}/aterstall`).expect(303);
    expect(await searchTitles('bystugans'), 'restored').to.have.length(1);
    await act(moderated, 'avbryt').expect(303);
    expect(await searchTitles('bystugans'), 'cancelled').to.deep.equal([]);

    const deleted = await draft('Städning av samlingslokalen');
    await act(deleted, 'ta-bort').expect(303);
    expect(await searchTitles('samlingslokalen'), 'deleted draft').to.deep.equal([]);
    expect(await ctx.db('assignments').where('id', deleted).first()).to.equal(undefined);
  });
});
