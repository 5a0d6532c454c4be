import { expect } from 'chai';
import request from 'supertest';
import { newAssignmentSchema } from '../../src/modules/assignments/schemas.js';
import { CATEGORIES, loadLocalities, loadMunicipalities } from '../../seeds/reference.js';
import {
  loadSyntheticAssignments,
  removeSyntheticData,
  SYNTHETIC_ORGANISATION_SLUG_PREFIX,
  syntheticAssignments,
} from '../../seeds/synthetic.js';
import { useTestApp } from '../support/test-app.js';

// The benchmark's data (npm run bench:search): deterministic, all of Sweden,
// valid by the app's rules and the database's constraints, and fast to load.

const NOW = new Date('2026-11-26T12:00:00Z');

describe('Synthetic assignments for the search benchmark', () => {
  it('when generated twice with the same seed, then the rows are identical; another seed gives other rows', async () => {
    const first = await syntheticAssignments(500, 42, { now: NOW });
    const again = await syntheticAssignments(500, 42, { now: NOW });
    const other = await syntheticAssignments(500, 43, { now: NOW });
    expect(first).to.have.length(500);
    expect(again).to.deep.equal(first);
    expect(other).not.to.deep.equal(first);
    // Not a handful of repeated texts: the phrases combine into many distinct descriptions.
    expect(new Set(first.map((row) => row.description)).size).to.be.greaterThan(400);
  });

  it('when N = 290·k, then every municipality has exactly k assignments, in its own villages with their coordinates', async () => {
    const municipalities = await loadMunicipalities();
    const villages = new Map((await loadLocalities()).map((l) => [`${l.municipalityCode}/${l.name}`, l]));
    const k = 3;
    const rows = await syntheticAssignments(290 * k, 7, { now: NOW });

    const perMunicipality = new Map<string, number>();
    for (const row of rows) perMunicipality.set(row.municipalityCode, (perMunicipality.get(row.municipalityCode) ?? 0) + 1);
    expect(municipalities).to.have.length(290);
    for (const m of municipalities) expect(perMunicipality.get(m.code), m.code).to.equal(k);

    for (const row of rows) {
      if (row.localityName !== null) {
        const village = villages.get(`${row.municipalityCode}/${row.localityName}`);
        expect(village, `${row.localityName} in ${row.municipalityCode}`).to.not.equal(undefined);
        expect(row.title).to.contain(row.localityName);
        // An exact point stays near its village (within about 5 km).
        if (row.lat !== null && row.lng !== null) {
          expect(Math.abs(row.lat - village!.lat)).to.be.below(0.05);
          expect(Math.abs(row.lng - village!.lng)).to.be.below(0.1);
        }
      } else {
        expect(row.lat).to.equal(null);
      }
    }
    expect(rows.filter((row) => row.localityName !== null).length).to.be.greaterThan(rows.length * 0.8);
    // Every category and every kind of compensation occurs.
    expect(new Set(rows.map((row) => row.categorySlug))).to.deep.equal(new Set(CATEGORIES.map((c) => c.slug)));
    expect(new Set(rows.map((row) => row.compensationType))).to.deep.equal(
      new Set(['hourly', 'fixed', 'volunteer', 'by_agreement']),
    );
  });

  it('when validated by the rules of the posting form, then every row passes and is open for applications now', async () => {
    const rows = await syntheticAssignments(2000, 11, { now: NOW });
    const today = NOW.toISOString().slice(0, 10);
    for (const row of rows) {
      const parsed = newAssignmentSchema.safeParse({
        organisationId: 1,
        title: row.title,
        description: row.description,
        categorySlug: row.categorySlug,
        municipalityCode: row.municipalityCode,
        localitySlug: row.localityName === null ? null : 'checked-above',
        lat: row.lat,
        lng: row.lng,
        compensationType: row.compensationType,
        amountSek: row.amountSek,
        estimatedHours: row.estimatedHours,
        startsOn: row.startsOn,
        endsOn: row.endsOn,
        applyBy: row.applyBy,
        peopleNeeded: row.peopleNeeded,
        requirements: row.requirements,
        workTraining: row.workTraining,
        supervisorAvailable: row.supervisorAvailable,
        status: row.status,
        publishedAt: row.publishedAt ?? undefined,
      });
      expect(parsed.success, `${row.title}: ${JSON.stringify(parsed.error?.issues)}`).to.equal(true);
      expect(row.applyBy >= today, row.applyBy).to.equal(true);
      expect(row.startsOn > row.applyBy).to.equal(true);
      expect(row.publishedAt!.getTime()).to.be.at.most(NOW.getTime());
      if (row.supervisorAvailable) expect(row.workTraining).to.equal(true);
    }
    const drafts = await syntheticAssignments(10, 11, { now: NOW, status: 'draft' });
    expect(drafts.every((row) => row.status === 'draft' && row.publishedAt === null)).to.equal(true);
  });

  describe('loaded into a database', () => {
    const ctx = useTestApp();

    it('when 1 000 rows are loaded and indexed, then the database holds them as open assignments and the search counts them by category', async () => {
      const rows = await syntheticAssignments(1000, 5);
      const ids = await loadSyntheticAssignments(ctx.db, rows, { batchSize: 300 });

      expect(ids).to.have.length(1000);
      const stored = await ctx
        .db('assignments as a')
        .join('categories as c', 'c.id', 'a.category_id')
        .leftJoin('localities as l', 'l.id', 'a.locality_id')
        .join('organisations as o', 'o.id', 'a.organisation_id')
        .whereIn('a.id', ids)
        .select('a.id', 'a.title', 'a.status', 'c.slug as category', 'l.name as locality', 'o.slug as organisation');
      expect(stored).to.have.length(1000);
      const byId = new Map(stored.map((row) => [row.id as number, row]));
      // The ids come back in the order of the rows.
      rows.forEach((row, i) => {
        const saved = byId.get(ids[i]!)!;
        expect(saved.title).to.equal(row.title);
        expect(saved.category).to.equal(row.categorySlug);
        expect(saved.locality).to.equal(row.localityName);
        expect(saved.status).to.equal('published');
        expect(saved.organisation.startsWith(SYNTHETIC_ORGANISATION_SLUG_PREFIX)).to.equal(true);
      });

      await ctx.syncIndex();
      const body = (await request(ctx.app).get('/api/v1/assignments?perPage=1').expect(200)).body;
      expect(body.totalHits).to.equal(1000);
      const expected: Record<string, number> = {};
      for (const row of rows) expected[row.categorySlug] = (expected[row.categorySlug] ?? 0) + 1;
      expect(body.facets.category).to.deep.equal(expected);
      const snow = (await request(ctx.app).get('/api/v1/assignments?q=snöskottning&perPage=100').expect(200)).body;
      expect(snow.totalHits).to.be.greaterThan(0);
      expect(snow.hits.every((hit: { category: string }) => hit.category === 'snorojning')).to.equal(true);
    });

    it('when loaded a second time and then removed, then the organisations are reused and everything synthetic is gone', async () => {
      const organisationsBefore = await ctx.db('organisations').count<{ count: string }[]>({ count: '*' });
      await loadSyntheticAssignments(ctx.db, await syntheticAssignments(20, 9));
      const organisationsAfter = await ctx.db('organisations').count<{ count: string }[]>({ count: '*' });
      expect(organisationsAfter[0]!.count).to.equal(organisationsBefore[0]!.count);

      await removeSyntheticData(ctx.db);
      const [left] = await ctx.db('assignments').count<{ count: string }[]>({ count: '*' });
      expect(Number(left!.count)).to.equal(0);
      const synthetic = await ctx.db('organisations').where('slug', 'like', `${SYNTHETIC_ORGANISATION_SLUG_PREFIX}%`);
      expect(synthetic).to.have.length(0);
    });
  });
});
