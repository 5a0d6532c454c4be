import { expect } from 'chai';
import request from 'supertest';
import { expireAssignments } from '../../src/modules/assignments/expiry.js';
import { createOrganisation, createTestAssignment, isoDay } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';

describe('Expiry of assignments past their last day to apply', () => {
  const ctx = useTestApp();

  it('when the job runs, then only published assignments whose last day has passed expire, and leave the index', async () => {
    const org = await createOrganisation(ctx.db);
    const open = await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Fortfarande öppen vedstapling',
      applyBy: isoDay(2),
    });
    const closing = await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Snart utgången vedstapling',
      applyBy: isoDay(2),
    });
    const draft = await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Utkast om vedstapling',
      status: 'draft',
      applyBy: isoDay(2),
    });
    const noDeadline = await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Vedstapling utan slutdag',
      applyBy: null,
    });
    await ctx.runJobs();
    const found = async () =>
      ((await request(ctx.app).get('/api/v1/assignments?q=vedstapling').expect(200)).body.hits as Array<{ id: number }>)
        .map((h) => h.id)
        .sort();
    expect(await found()).to.deep.equal([open, closing, noDeadline].sort());

    // Three days on: only "closing" has passed; pretend by moving its last day back.
    await ctx
      .db('assignments')
      .whereIn('id', [closing, draft])
      .update({ apply_by: isoDay(-1) });
    expect(await expireAssignments(ctx.db)).to.deep.equal([closing]);
    expect(await expireAssignments(ctx.db)).to.deep.equal([]); // idempotent
    const statuses = Object.fromEntries((await ctx.db('assignments').select('id', 'status')).map((r) => [r.id, r.status]));
    expect(statuses).to.deep.include({ [open]: 'published', [closing]: 'expired', [draft]: 'draft', [noDeadline]: 'published' });

    await ctx.runJobs();
    const index = ctx.search.index(`${ctx.config.meili.indexPrefix}assignments`);
    await index.getDocument(closing).then(
      () => expect.fail('the expired assignment is still in the index'),
      () => undefined,
    );
    expect(await found()).to.deep.equal([open, noDeadline].sort());
    // Its page still answers (shared links keep working) and says it takes no more applications.
    const page = await request(ctx.app).get(`/uppdrag/${closing}`).redirects(1).expect(200);
    expect(page.text).to.contain('tar inte emot fler intresseanmälningar');
  });
});
