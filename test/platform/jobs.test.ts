import { expect } from 'chai';
import request from 'supertest';
import { createAssignment } from '../../src/modules/assignments/index.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';

// The one job so far: keeping the search index in line with assignments,
// enqueued in the same transaction as the change.

describe('Search-index job (index_assignment)', () => {
  const ctx = useTestApp();
  let organisationId: number;
  const jobs = async () =>
    // The public graphile_worker.jobs view hides payloads; the test reads the queue table itself.
    (
      await ctx.db.raw(`SELECT t.identifier AS task_identifier, j.key, j.payload
        FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id ORDER BY j.id`)
    ).rows as Array<{
      task_identifier: string;
      key: string | null;
      payload: { id: number };
    }>;
  const searchIds = async (q: string) =>
    ((await request(ctx.app).get('/api/v1/assignments').query({ q }).expect(200)).body.hits as Array<{ id: number }>).map(
      (h) => h.id,
    );

  before(async () => {
    organisationId = (await createOrganisation(ctx.db)).id;
  });

  it('when an assignment is created, then its index job is queued in the same transaction', async () => {
    const id = await createTestAssignment(ctx.db, { organisationId, title: 'Vedstapling vid skolan' });
    expect(await jobs()).to.deep.include({ task_identifier: 'index_assignment', key: `index_assignment:${id}`, payload: { id } });
    await ctx.runJobs();
    expect(await jobs()).to.deep.equal([]);
    expect(await searchIds('vedstapling')).to.deep.equal([id]);
  });

  it('when the transaction rolls back, then neither the assignment nor its job exists', async () => {
    const before = await jobs();
    const rolledBack = await ctx.db
      .transaction(async (trx) => {
        await createTestAssignment(trx, { organisationId, title: 'Aldrig sparat uppdrag' });
        throw new Error('roll back');
      })
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect(rolledBack?.message).to.equal('roll back'); // our error, not another failure on the way
    expect(await jobs()).to.deep.equal(before);
    expect(await ctx.db('assignments').where('title', 'Aldrig sparat uppdrag').first()).to.equal(undefined);
  });

  it('when an assignment is changed many times before the job runs, then one job (by key) brings the index up to date', async () => {
    const id = await createTestAssignment(ctx.db, { organisationId, title: 'Målning av staketet' });
    await ctx.runJobs();
    for (const title of ['Målning av staketet vid skolan', 'Målning av grinden vid skolan']) {
      await ctx.db.transaction(async (trx) => {
        await trx('assignments').where({ id }).update({ title });
        await trx.raw(`SELECT graphile_worker.add_job('index_assignment', json_build_object('id', ?::int), job_key => ?)`, [
          id,
          `index_assignment:${id}`,
        ]);
      });
    }
    expect((await jobs()).filter((job) => job.key === `index_assignment:${id}`)).to.have.length(1);
    await ctx.runJobs();
    expect(await searchIds('grinden')).to.deep.equal([id]);
  });

  it('when an assignment stops being open (hidden), then the job removes it from the index', async () => {
    const id = await createTestAssignment(ctx.db, { organisationId, title: 'Städning av bystugan' });
    await ctx.runJobs();
    expect(await searchIds('bystugan')).to.deep.equal([id]);
    await ctx.db.transaction(async (trx) => {
      await trx('assignments').where({ id }).update({ hidden_at: new Date() });
      await trx.raw(`SELECT graphile_worker.add_job('index_assignment', json_build_object('id', ?::int), job_key => ?)`, [
        id,
        `index_assignment:${id}`,
      ]);
    });
    await ctx.runJobs();
    expect(await searchIds('bystugan')).to.deep.equal([]);
  });

  it('when the input is invalid, then createAssignment says which fields and stores nothing', async () => {
    const before = await jobs();
    const attempts: Array<[Record<string, unknown>, string]> = [
      [{ title: 'abc' }, 'title'],
      [{ compensationType: 'hourly', amountSek: null }, 'amountSek'],
      [{ compensationType: 'volunteer', amountSek: 100 }, 'amountSek'],
      [{ amountSek: 12.5 }, 'amountSek'],
      [{ categorySlug: 'finns-inte' }, 'categorySlug'],
      [{ localitySlug: 'almsta-norrtalje' }, 'localitySlug'], // a Norrtälje village for a Lycksele assignment
      [{ applyBy: '2026-02-30' }, 'applyBy'],
      [{ startsOn: '2026-12-10', endsOn: '2026-12-01' }, 'endsOn'],
    ];
    for (const [overrides, field] of attempts) {
      const error = await createAssignment(ctx.db, {
        organisationId,
        title: 'Ett giltigt uppdrag',
        description: 'En beskrivning som är tillräckligt lång för att godtas.',
        categorySlug: 'ovrigt',
        municipalityCode: '2481',
        compensationType: 'fixed',
        amountSek: 500,
        status: 'published',
        ...overrides,
      } as never).then(
        () => undefined,
        (e: { status?: number; fields?: Record<string, string> }) => e,
      );
      expect(error?.status, field).to.equal(400);
      expect(error?.fields, field).to.have.property(field);
    }
    expect(await jobs()).to.deep.equal(before);
    expect(await ctx.db('assignments').where('title', 'Ett giltigt uppdrag').first()).to.equal(undefined);
  });
});
