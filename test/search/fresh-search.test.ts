import { expect } from 'chai';
import request from 'supertest';
import { setTimeout as sleep } from 'node:timers/promises';
import { assignmentsAwaitingIndex, enqueueIndexUpdate } from '../../src/modules/assignments/index.js';
import { searchAssignments } from '../../src/modules/search/index.js';
import { AWAITING_TTL_MS, MAX_AWAITING } from '../../src/modules/search/fresh.js';
import { parseSearchParams } from '../../src/modules/search/params.js';
import { createDb } from '../../src/platform/db.js';
import { completeWaitingJobs } from '../../src/platform/jobs.js';
import { loadReferenceData } from '../../src/platform/reference-data.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';

// Issue 16: an assignment is findable as soon as it is published or changed, not when Meilisearch has
// indexed it. Here the index jobs are simply not run, as if Meilisearch were slow: the search must answer
// those assignments from PostgreSQL, merged into Meilisearch's answer with totals and facets right.

interface ApiHit {
  id: number;
  title: string;
}
interface ApiResult {
  hits: ApiHit[];
  totalHits: number;
  totalPages: number;
  facets: { municipality: Record<string, number>; category: Record<string, number> };
  engine: string;
}

describe('Fresh search: changes are found before the index has them', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  let organisationId: number;
  const indexed: number[] = [];

  const api = async (query: Record<string, string | number>): Promise<ApiResult> => {
    // A process rereads the waiting assignments at most every AWAITING_TTL_MS.
    await sleep(AWAITING_TTL_MS + 20);
    return (await request(ctx.app).get('/api/v1/assignments').query(query).expect(200)).body as ApiResult;
  };

  before(async () => {
    organisationId = (await createOrganisation(ctx.db, { name: 'Byaföreningen i Rusksele' })).id;
    for (const [i, municipalityCode] of ['2481', '2481', '2418', '2418', '2418'].entries()) {
      indexed.push(
        await createTestAssignment(ctx.db, {
          organisationId,
          municipalityCode,
          title: `Snöskottning vid bygdegården ${i + 1}`,
          categorySlug: 'snorojning',
        }),
      );
    }
    await ctx.runJobs();
    expect(await assignmentsAwaitingIndex(ctx.db)).to.deep.equal([]);
  });

  it('when an assignment is published and its index job has not run, then the API and the page find it, with totals and facets counting it', async () => {
    const id = await createTestAssignment(ctx.db, {
      organisationId,
      municipalityCode: '2481',
      title: 'Vedklyvning åt pensionärer',
      categorySlug: 'snorojning',
    });
    expect(await assignmentsAwaitingIndex(ctx.db)).to.deep.equal([id]);

    const byWord = await api({ q: 'vedklyvning' });
    expect(byWord.hits.map((hit) => hit.id)).to.deep.equal([id]);
    expect(byWord.totalHits).to.equal(1);
    expect(byWord.engine).to.equal('meilisearch');

    const everything = await api({ sort: 'newest', perPage: 4 });
    expect(everything.totalHits).to.equal(6);
    expect(everything.totalPages).to.equal(2);
    expect(everything.facets.municipality).to.deep.equal({ '2481': 3, '2418': 3 });
    expect(everything.facets.category.snorojning).to.equal(6);
    expect(everything.hits[0]!.id, 'the newest first').to.equal(id);
    const secondPage = await api({ sort: 'newest', perPage: 4, page: 2 });
    const allIds = [...everything.hits, ...secondPage.hits].map((hit) => hit.id);
    expect(allIds, 'each once across the pages').to.have.members([id, ...indexed]);

    // A chosen facet keeps the other values' counts (disjunctive), the fresh one included.
    const inLycksele = await api({ municipality: '2481' });
    expect(inLycksele.totalHits).to.equal(3);
    expect(inLycksele.facets.municipality).to.deep.equal({ '2481': 3, '2418': 3 });

    const page = await request(ctx.app).get('/uppdrag').query({ q: 'vedklyvning' }).expect(200);
    expect(page.text).to.match(/Vedklyvning(<\/mark>)? åt pensionärer/);

    // The same answers once the index has it.
    await ctx.runJobs();
    expect(await assignmentsAwaitingIndex(ctx.db)).to.deep.equal([]);
    const after = await api({ sort: 'newest', perPage: 4 });
    expect(after.totalHits).to.equal(6);
    expect(after.facets.municipality).to.deep.equal({ '2481': 3, '2418': 3 });
    // The same assignments across the pages (within one second of publishing, the order among equals is the index's).
    const afterSecondPage = await api({ sort: 'newest', perPage: 4, page: 2 });
    expect([...after.hits, ...afterSecondPage.hits].map((hit) => hit.id)).to.have.members(allIds);
  });

  it('when an indexed assignment is changed, then the new words find it and the old ones no longer do, before the index has it', async () => {
    const id = indexed[0]!;
    await ctx.db.transaction(async (trx) => {
      await trx('assignments').where('id', id).update({ title: 'Takskottning på skolan', updated_at: trx.fn.now() });
      await enqueueIndexUpdate(trx, id);
    });
    expect((await api({ q: 'takskottning' })).hits.map((hit) => hit.id)).to.deep.equal([id]);
    const old = await api({ q: 'bygdegården' });
    expect(old.hits.map((hit) => hit.id)).not.to.include(id);
    expect(old.totalHits).to.equal(4);
    // Unchanged totals: the one in the index is left out, the database counts it once.
    expect((await api({})).totalHits).to.equal(6);
    await ctx.runJobs();
  });

  it('when an assignment is closed, then it is gone from the search at once, though its document is still in the index', async () => {
    const id = indexed[1]!;
    await ctx.db.transaction(async (trx) => {
      await trx('assignments').where('id', id).update({ status: 'cancelled', updated_at: trx.fn.now() });
      await enqueueIndexUpdate(trx, id);
    });
    const result = await api({ q: 'bygdegården' });
    expect(result.hits.map((hit) => hit.id)).not.to.include(id);
    expect(result.totalHits).to.equal(3);
    await ctx.runJobs();
    expect((await api({ q: 'bygdegården' })).totalHits).to.equal(3);
  });

  it('when the saved-search alerts ask (index only), then a waiting assignment is not in their answer', async () => {
    const id = await createTestAssignment(ctx.db, { organisationId, title: 'Gräsklippning vid kapellet' });
    await sleep(AWAITING_TTL_MS + 20);
    const reference = await loadReferenceData(ctx.db);
    const parsed = parseSearchParams({ q: 'gräsklippning' }, reference);
    if (!parsed.ok) throw new Error('the search does not parse');
    const options = { publicUrl: ctx.config.publicUrl, reference, db: ctx.db };
    const prefix = ctx.config.meili.indexPrefix;
    expect((await searchAssignments(ctx.search, prefix, parsed.params, options)).hits.map((h) => h.id)).to.deep.equal([id]);
    const indexOnly = await searchAssignments(ctx.search, prefix, parsed.params, { ...options, indexOnly: true });
    expect(indexOnly.hits).to.deep.equal([]);
    await ctx.runJobs();
  });

  it('when the database cannot be reached, then the search still answers from Meilisearch alone', async () => {
    // A pool to a port where nothing listens: every query fails as a database that is down does.
    const unreachable = createDb('postgres://nobody:nothing@127.0.0.1:1/none', { log: ctx.deps.log });
    try {
      const reference = await loadReferenceData(ctx.db);
      const parsed = parseSearchParams({ q: 'bygdegården' }, reference);
      if (!parsed.ok) throw new Error('the search does not parse');
      const result = await searchAssignments(ctx.search, ctx.config.meili.indexPrefix, parsed.params, {
        publicUrl: ctx.config.publicUrl,
        reference,
        db: unreachable,
      });
      expect(result.engine).to.equal('meilisearch');
      expect(result.totalHits).to.equal(3);
    } finally {
      await unreachable.destroy();
    }
  });

  it(`when more than ${MAX_AWAITING} assignments wait (a bulk change), then the index answers alone and the search still works`, async () => {
    const fresh = await createTestAssignment(ctx.db, { organisationId, title: 'Fönsterputsning i församlingshemmet' });
    // Jobs for assignments that do not exist: a bulk change's worth of waiting index work.
    await ctx.db.transaction(async (trx) => {
      for (let i = 0; i < MAX_AWAITING; i++) await enqueueIndexUpdate(trx, 1_000_000 + i);
    });
    expect(await assignmentsAwaitingIndex(ctx.db)).to.have.length(MAX_AWAITING + 1);
    // The index alone: the waiting one is not found yet, the indexed ones are.
    expect((await api({ q: 'fönsterputsning' })).totalHits).to.equal(0);
    expect((await api({ q: 'bygdegården' })).totalHits).to.equal(3);
    // The made-up ones have nothing to do (done here without running 500 jobs); the real one's job indexes it.
    await completeWaitingJobs(ctx.db, 'index_assignment');
    await enqueueIndexUpdate(ctx.db, fresh);
    expect(
      (await api({ q: 'fönsterputsning' })).hits.map((hit) => hit.id),
      'answered fresh again',
    ).to.deep.equal([fresh]);
    await ctx.runJobs();
    expect(
      (await api({ q: 'fönsterputsning' })).hits.map((hit) => hit.id),
      'from the index',
    ).to.deep.equal([fresh]);
  });
});
