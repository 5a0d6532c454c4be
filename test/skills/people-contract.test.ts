import { expect } from 'chai';
import { createSearchClient } from '../../src/platform/meilisearch.js';
import { VISITOR, type Actor } from '../../src/modules/access/index.js';
import { readPeopleQuery, searchPeople } from '../../src/modules/skills/people-search-service.js';
import type { PeopleSearchResult } from '../../src/modules/skills/people-engine.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { createResident, villageSlug, type Resident } from './people-fixture.js';

// ONE contract for both people-search engines (the /kompetens search), on the same data: Meilisearch when it
// answers, PostgreSQL when it cannot (a client pointed at a closed port). As test/search/search-contract.test.ts
// does for assignments: whatever is asked, both answer alike.

const CLOSED_PORT_HOST = 'http://127.0.0.1:9';
const MEMBER: Actor = { ...VISITOR, userId: 999_999, emailVerified: true, memberships: new Map([[1, 'member' as const]]) };
const RESIDENT: Actor = { ...VISITOR, userId: 999_998, emailVerified: true };

const ENGINES = {
  meilisearch: () => useTestApp(),
  postgres: () => useTestApp(() => ({ search: createSearchClient({ host: CLOSED_PORT_HOST, timeoutMs: 500 }) })),
} as const;

for (const [engine, makeApp] of Object.entries(ENGINES)) {
  describe(`People search contract: ${engine}`, function () {
    this.timeout(60_000);
    const ctx: TestApp = makeApp();
    const people = {} as Record<'anna' | 'bertil' | 'cecilia' | 'dagmar' | 'erik' | 'frida', Resident>;
    let farMunicipality: string;

    const search = async (actor: Actor, query: Record<string, string | string[]>): Promise<PeopleSearchResult> => {
      const read = await readPeopleQuery({ db: ctx.db, reference: ctx.deps.reference }, actor, query);
      expect(read.errors, 'errors').to.deep.equal({});
      const result = await searchPeople(
        { client: ctx.deps.search, indexPrefix: ctx.config.meili.indexPrefix, db: ctx.db },
        read.params!,
      );
      expect(result.engine, 'engine').to.equal(engine);
      return result;
    };
    const names = (result: PeopleSearchResult) =>
      result.hits
        .map((hit) => (Object.keys(people) as Array<keyof typeof people>).find((key) => people[key].publicId === hit.publicId))
        .sort();

    before(async () => {
      const { reference } = ctx.deps;
      const rusksele = villageSlug(reference, '2481', 'Rusksele');
      const bjorksele = villageSlug(reference, '2481', 'Björksele');
      const far = reference.localitiesOf('0180')[0]!;
      farMunicipality = far.municipalityCode;
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      people.anna = await createResident(ctx.db, reference, {
        name: 'Anna Andersson',
        visibility: 'public',
        availability: 'Vardagar efter klockan 15',
        villages: [rusksele],
        skills: [{ slug: 'motorsagskorkort' }, { slug: 'vedhuggning', level: 'can_teach' }, { slug: 'engelska' }],
        confirmed: [{ slug: 'vedhuggning' }],
        offers: ['Fällning av riskträd'],
      });
      people.bertil = await createResident(ctx.db, reference, {
        name: 'Bertil Berg',
        visibility: 'organisations',
        villages: [bjorksele],
        skills: [{ slug: 'motorsagskorkort' }, { slug: 'snoskottning', level: 'experienced' }],
      });
      people.cecilia = await createResident(ctx.db, reference, {
        name: 'Cecilia Ceder',
        visibility: 'public',
        villages: [far.slug],
        skills: [{ slug: 'motorsagskorkort', expiresOn: yesterday }, { slug: 'b-korkort' }],
        offers: ['Skjuts till stan'],
      });
      people.dagmar = await createResident(ctx.db, reference, {
        name: 'Dagmar Dold',
        visibility: 'hidden',
        villages: [rusksele],
        skills: [{ slug: 'motorsagskorkort', level: 'can_teach' }],
      });
      people.erik = await createResident(ctx.db, reference, {
        name: 'Erik Ek',
        visibility: 'public',
        villages: [rusksele],
        skills: [{ slug: 'snoskottning', level: 'beginner' }],
        confirmed: [{ slug: 'snoskottning', hidden: true }],
      });
      people.frida = await createResident(ctx.db, reference, { name: 'Frida Fri', visibility: 'public', villages: [rusksele] });
      await ctx.runJobs();
    });

    it('when "motorsag", "motorsåg", "motrsåg" or "Motorsågskörkort" is searched, then they find the same people', async () => {
      for (const q of ['motorsag', 'motorsåg', 'motrsåg', 'Motorsågskörkort', 'MOTORSÅG']) {
        expect(names(await search(MEMBER, { q })), q).to.deep.equal(['anna', 'bertil']);
        expect(names(await search(VISITOR, { q })), q).to.deep.equal(['anna']);
      }
    });

    it('when a certificate has expired, then it finds nobody by it and is not on the card', async () => {
      const result = await search(VISITOR, { skill: 'b-korkort' });
      expect(names(result)).to.deep.equal(['cecilia']);
      expect(result.hits[0]!.skills.map((skill) => skill.slug)).to.deep.equal(['b-korkort']);
    });

    it('when the profile is hidden or shows nothing, then nobody finds it, whatever they search', async () => {
      for (const actor of [VISITOR, MEMBER, RESIDENT]) {
        const queries: Array<Record<string, string>> = [
          {},
          { q: 'Dagmar' },
          { q: 'motorsåg' },
          { skill: 'motorsagskorkort' },
          { level: 'can_teach' },
        ];
        for (const query of queries) {
          const found = names(await search(actor, query));
          expect(found, JSON.stringify(query)).not.to.include('dagmar');
          expect(found, JSON.stringify(query)).not.to.include('frida');
        }
      }
    });

    it('when a visitor or a resident without organisation searches, then only public profiles; a member also sees organisations-only ones', async () => {
      expect(names(await search(VISITOR, {}))).to.deep.equal(['anna', 'cecilia', 'erik']);
      expect(names(await search(RESIDENT, {}))).to.deep.equal(['anna', 'cecilia', 'erik']);
      expect(names(await search(MEMBER, {}))).to.deep.equal(['anna', 'bertil', 'cecilia', 'erik']);
    });

    it('when filtered by skill, kind, level or confirmed, then only those people', async () => {
      expect(names(await search(MEMBER, { skill: 'snoskottning' }))).to.deep.equal(['bertil', 'erik']);
      expect(names(await search(MEMBER, { skill: ['snoskottning', 'engelska'] }))).to.deep.equal(['anna', 'bertil', 'erik']);
      expect(names(await search(MEMBER, { kind: 'language' }))).to.deep.equal(['anna']);
      expect(names(await search(MEMBER, { level: 'can_teach' }))).to.deep.equal(['anna']);
      expect(names(await search(MEMBER, { level: ['experienced', 'beginner'] }))).to.deep.equal(['bertil', 'erik']);
      // Erik hid his confirmation: it counts for nothing.
      expect(names(await search(MEMBER, { confirmed: 'true' }))).to.deep.equal(['anna']);
      expect(names(await search(MEMBER, { q: 'ved', confirmed: 'true' }))).to.deep.equal(['anna']);
    });

    it('when filtered by municipality, village or radius, then only people of those villages', async () => {
      expect(names(await search(MEMBER, { municipality: '2481' }))).to.deep.equal(['anna', 'bertil', 'erik']);
      expect(names(await search(MEMBER, { municipality: farMunicipality }))).to.deep.equal(['cecilia']);
      expect(names(await search(MEMBER, { from: 'Rusksele' }))).to.deep.equal(['anna', 'erik']);
      // Björksele is about 26 km from Rusksele.
      expect(names(await search(MEMBER, { from: 'Rusksele', radiusKm: '20' }))).to.deep.equal(['anna', 'erik']);
      expect(names(await search(MEMBER, { from: 'Rusksele', radiusKm: '50' }))).to.deep.equal(['anna', 'bertil', 'erik']);
      expect(names(await search(MEMBER, { q: 'Björksele' }))).to.deep.equal(['bertil']);
    });

    it('when searched by an offer or a synonym, then the person is found', async () => {
      expect(names(await search(VISITOR, { q: 'riskträd' }))).to.deep.equal(['anna']);
      expect(names(await search(VISITOR, { q: 'hugga ved' }))).to.deep.equal(['anna']);
      expect(names(await search(VISITOR, { q: 'skjuts' }))).to.deep.equal(['cecilia']);
      expect(names(await search(VISITOR, { q: 'english' }))).to.deep.equal(['anna']);
      expect(names(await search(VISITOR, { q: 'xyzzyq' }))).to.deep.equal([]);
    });

    it('when searched by when people can work, then those whose availability says so are found', async () => {
      expect(names(await search(VISITOR, { q: 'vardagar' }))).to.deep.equal(['anna']);
      expect(names(await search(VISITOR, { q: 'motorsåg vardagar' }))).to.deep.equal(['anna']);
    });

    it('when facets are counted, then each counts the people under every other filter, and totals agree', async () => {
      const all = await search(VISITOR, {});
      expect(all.totalHits).to.equal(3);
      expect(all.totalPages).to.equal(1);
      expect(all.facets.kind).to.deep.equal({ skill: 2, certificate: 2, language: 1 });
      expect(all.facets.municipality).to.deep.equal({ '2481': 2, [farMunicipality]: 1 });
      expect(all.facets.confirmed).to.deep.equal({ true: 1, false: 2 });
      expect(all.facets.level).to.deep.equal({ can_teach: 1, beginner: 1 });
      expect(all.facets.skill).to.include({ motorsagskorkort: 1, vedhuggning: 1, snoskottning: 1, 'b-korkort': 1 });
      expect(all.facets.category).to.include({ 'skog-och-mark': 1 });

      const oneSkill = await search(MEMBER, { skill: 'snoskottning' });
      expect(oneSkill.totalHits).to.equal(2);
      // The skill facet ignores its own selection (the other choices stay in view)…
      expect(oneSkill.facets.skill).to.include({ snoskottning: 2, motorsagskorkort: 2, vedhuggning: 1 });
      // …the others count within it.
      expect(oneSkill.facets.level).to.deep.equal({ experienced: 1, beginner: 1 });
      expect(oneSkill.facets.municipality).to.deep.equal({ '2481': 2 });
    });

    it('when a hit is shown, then it holds the card and nothing personal beyond it', async () => {
      const [hit] = (await search(VISITOR, { q: 'vedhuggning' })).hits;
      expect(hit).to.have.all.keys('publicId', 'name', 'availability', 'villages', 'skills', 'offerTitles');
      expect(hit!.name).to.equal('Anna Andersson');
      expect(hit!.villages.map((village) => village.name)).to.deep.equal(['Rusksele']);
      expect(hit!.skills.find((skill) => skill.slug === 'vedhuggning')).to.include({ level: 'can_teach', confirmations: 1 });
      expect(hit!.offerTitles).to.deep.equal(['Fällning av riskträd']);
      const text = JSON.stringify(hit);
      expect(text).not.to.include(people.anna.email);
      expect(text).not.to.match(new RegExp(`"(userId|user_id|id)":\\s*${people.anna.userId}\\b`));
    });

    it('when results span pages, then every person is on exactly one page', async () => {
      const read = await readPeopleQuery({ db: ctx.db, reference: ctx.deps.reference }, MEMBER, {});
      const deps = { client: ctx.deps.search, indexPrefix: ctx.config.meili.indexPrefix, db: ctx.db };
      const pages = await Promise.all([1, 2, 3].map((page) => searchPeople(deps, { ...read.params!, perPage: 2, page })));
      expect(pages.map((page) => page.totalPages)).to.deep.equal([2, 2, 2]);
      expect(pages.map((page) => page.hits.length)).to.deep.equal([2, 2, 0]);
      const ids = pages.flatMap((page) => page.hits.map((hit) => hit.publicId));
      expect(new Set(ids).size).to.equal(4);
    });
  });
}
