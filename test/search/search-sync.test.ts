import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runOnce } from 'graphile-worker';
import { loadActor } from '../../src/modules/access/index.js';
import { openAssignments } from '../../src/modules/assignments/index.js';
import { transitionAssignment } from '../../src/modules/posting/index.js';
import { updatePosting } from '../../src/modules/posting/service.js';
import { checkAssignmentIndex, reindexAssignments, syncAssignmentIndex } from '../../src/modules/search/index.js';
import { pruneSearchTasks, SEARCH_CRONTAB, searchTasks, type SearchSyncDeps } from '../../src/modules/search/sync.js';
import {
  ASSIGNMENT_INDEX_SETTINGS,
  assignmentIndexName,
  settingsAreCurrent,
  type AssignmentDocument,
} from '../../src/modules/search/assignment-index.js';
import { hideAssignment } from '../../src/modules/moderation/service.js';
import { workerLogger } from '../../src/platform/jobs.js';
import { createSearchClient } from '../../src/platform/meilisearch.js';
import { createOrganisation, createTestAssignment, isoDay } from '../support/factories.js';
import { makeJobsDue } from '../support/messages-factories.js';
import { startProcess } from '../support/processes.js';
import { useTestApp } from '../support/test-app.js';
import { createUser } from '../support/users.js';

describe('Search index: sync, fault recovery, reindex and search:check', function () {
  this.timeout(120_000);
  const ctx = useTestApp();
  let deps: SearchSyncDeps & { search: NonNullable<SearchSyncDeps['search']> };
  let organisation: { id: number; name: string; slug: string };
  const liveIndex = () => ctx.search.index<AssignmentDocument>(assignmentIndexName(ctx.config.meili.indexPrefix));

  /** Every document in the live index, by id. */
  async function indexedDocuments(): Promise<Map<number, AssignmentDocument>> {
    const { results } = await liveIndex().getDocuments({ limit: 10_000 });
    return new Map(results.map((document) => [document.id, document]));
  }

  /** What the index should hold: id → updatedAt (Unix seconds) of every open assignment. */
  async function openInDatabase(): Promise<Map<number, number>> {
    const rows = (await openAssignments(ctx.db).select({ id: 'a.id', updatedAt: 'a.updated_at' })) as {
      id: number;
      updatedAt: Date;
    }[];
    return new Map(rows.map((row) => [Number(row.id), Math.floor(row.updatedAt.getTime() / 1000)]));
  }

  async function indexJobs() {
    return ctx
      .db('graphile_worker.jobs')
      .where('task_identifier', 'index_assignment')
      .select('key', 'attempts', 'max_attempts', 'last_error');
  }

  before(async () => {
    deps = { db: ctx.db, search: ctx.search, indexPrefix: ctx.config.meili.indexPrefix, log: ctx.deps.log };
    const created = await createOrganisation(ctx.db, { name: 'Övre Rusksele byaförening' });
    const { slug } = await ctx.db('organisations').where('id', created.id).first('slug');
    organisation = { ...created, slug };
  });

  describe('documents', () => {
    it('when assignments are open, then each document has its texts, updatedAt and the exact point, else the village’s, and no personal data', async () => {
      const exact = await createTestAssignment(ctx.db, {
        organisationId: organisation.id,
        title: 'Snöskottning vid Älmsta bygdegård',
        localitySlug: 'rusksele-lycksele',
        lat: 64.8,
        lng: 18.9,
        requirements: 'Egen skyffel',
      });
      const village = await createTestAssignment(ctx.db, { organisationId: organisation.id, localitySlug: 'rusksele-lycksele' });
      await ctx.runJobs();

      const documents = await indexedDocuments();
      const row = await ctx.db('assignments').where('id', exact).first('updated_at', 'created_by');
      const rusksele = await ctx.db('localities').where('slug', 'rusksele-lycksele').first('lat', 'lng');
      const document = documents.get(exact)!;
      expect(document).to.include({
        title: 'Snöskottning vid Älmsta bygdegård',
        organisationName: 'Övre Rusksele byaförening',
        requirements: 'Egen skyffel',
        updatedAt: Math.floor((row.updated_at as Date).getTime() / 1000),
      });
      expect(document._geo).to.deep.equal({ lat: 64.8, lng: 18.9 });
      expect(documents.get(village)!._geo).to.deep.equal({ lat: rusksele.lat, lng: rusksele.lng });
      // The document is the adapter's fields and nothing else: no creator, no contact details.
      expect(Object.keys(document).sort()).to.deep.equal(
        [
          ...['id', 'title', 'description', 'requirements', 'organisationName', 'categorySlug', 'categoryNameSv'],
          ...['categoryNameEn', 'municipalityCode', 'municipalityName', 'localitySlug', 'localityName'],
          ...['compensationType', 'amountSek', 'workTraining', 'publishedAt', 'applyBy', 'updatedAt', '_geo'],
        ].sort(),
      );
    });

    it('when an assignment is a draft, closed, hidden, past its last day or its organisation suspended, then it is not in the index', async () => {
      const suspended = await createOrganisation(ctx.db);
      const ids = {
        draft: await createTestAssignment(ctx.db, { organisationId: organisation.id, status: 'draft' }),
        closed: await createTestAssignment(ctx.db, { organisationId: organisation.id }),
        hidden: await createTestAssignment(ctx.db, { organisationId: organisation.id }),
        expired: await createTestAssignment(ctx.db, { organisationId: organisation.id }),
        suspended: await createTestAssignment(ctx.db, { organisationId: suspended.id }),
        open: await createTestAssignment(ctx.db, { organisationId: organisation.id }),
      };
      await ctx.runJobs();
      expect([...(await indexedDocuments()).keys()]).to.include.members([ids.closed, ids.hidden, ids.expired, ids.suspended]);

      await ctx.db('assignments').where('id', ids.closed).update({ status: 'closed' });
      await ctx.db('assignments').where('id', ids.hidden).update({ hidden_at: new Date() });
      await ctx
        .db('assignments')
        .where('id', ids.expired)
        .update({ apply_by: isoDay(-1) });
      await ctx.db('organisations').where('id', suspended.id).update({ suspended_at: new Date() });
      await checkAssignmentIndex(deps, { fix: true });

      const indexed = [...(await indexedDocuments()).keys()];
      expect(indexed).to.include(ids.open);
      for (const id of [ids.draft, ids.closed, ids.hidden, ids.expired, ids.suspended]) expect(indexed).not.to.include(id);
    });
  });

  describe('when Meilisearch is down', () => {
    it('when 50 assignments are published, edited, closed and hidden meanwhile, then the retried jobs make the index equal the database with no manual step', async () => {
      await ctx.syncIndex();
      const member = await createUser(ctx.db, { email: 'medlem-sync@example.se' });
      await ctx.db('organisation_members').insert({ organisation_id: organisation.id, user_id: member.id, role: 'admin' });
      const memberActor = await loadActor(ctx.db, { id: member.id, isAdmin: false, emailVerified: true });
      const admin = await createUser(ctx.db, { email: 'admin-sync@example.se', isAdmin: true });
      const adminActor = await loadActor(ctx.db, { id: admin.id, isAdmin: true, emailVerified: true });
      const reference = ctx.deps.reference;

      // The worker of this test talks to a Meilisearch that is not there.
      const unreachable = createSearchClient({ host: 'http://127.0.0.1:9', timeoutMs: 300 });
      const downDeps = { ...deps, search: unreachable };
      const runJobsWhileDown = () =>
        runOnce({ connectionString: ctx.databaseUrl, taskList: searchTasks(downDeps), logger: workerLogger(ctx.deps.log) });

      const drafts: number[] = [];
      for (let n = 0; n < 20; n++) {
        drafts.push(
          await createTestAssignment(ctx.db, {
            organisationId: organisation.id,
            status: 'draft',
            title: `Vedhuggning nummer ${n}`,
          }),
        );
      }
      const published: number[] = [];
      for (let n = 0; n < 30; n++) {
        published.push(
          await createTestAssignment(ctx.db, { organisationId: organisation.id, title: `Gräsklippning nummer ${n}` }),
        );
      }
      await runJobsWhileDown();
      for (const id of drafts) await transitionAssignment(ctx.db, memberActor, 'publish', id, organisation.slug);
      for (const id of published.slice(0, 10)) {
        await updatePosting(
          ctx.db,
          memberActor,
          organisation.slug,
          id,
          {
            title: `Ändrad: snöskottning ${id}`,
            description: 'Vi behöver hjälp att skotta.\n\n- Trappan\n- Parkeringen',
            category: 'snorojning',
            municipality: '2481',
            locality: 'Rusksele',
            compensationType: 'hourly',
            amountSek: '180',
            applyBy: isoDay(2),
            peopleNeeded: '2',
          },
          reference,
        );
      }
      for (const id of published.slice(10, 15)) await transitionAssignment(ctx.db, memberActor, 'close', id, organisation.slug);
      for (const id of published.slice(15, 20))
        await hideAssignment(ctx.db, adminActor, id, { reason: 'Dubblett av ett annat uppdrag' });
      await runJobsWhileDown();

      // Every change is a waiting job (one per assignment), failed once and due for a retry with backoff.
      const waiting = await indexJobs();
      expect(waiting).to.have.length(50);
      for (const job of waiting) {
        expect(job.attempts).to.be.at.least(1);
        expect(job.max_attempts).to.equal(25); // exponential backoff: retries span about four days
      }
      expect(waiting.filter((job) => job.last_error)).to.have.length.greaterThan(0);
      expect((await indexedDocuments()).size).to.be.lessThan((await openInDatabase()).size);

      // Meilisearch is back: the worker (with the real client) retries when the jobs are due.
      await makeJobsDue(ctx.db);
      await ctx.runJobs();

      expect(await indexJobs()).to.have.length(0);
      const expected = await openInDatabase();
      const indexed = await indexedDocuments();
      expect([...indexed.keys()].sort((a, b) => a - b)).to.deep.equal([...expected.keys()].sort((a, b) => a - b));
      for (const [id, updatedAt] of expected) expect(indexed.get(id)!.updatedAt, `updatedAt of ${id}`).to.equal(updatedAt);
      expect(indexed.get(published[0]!)!.title).to.equal(`Ändrad: snöskottning ${published[0]}`);
      for (const id of published.slice(10, 20)) expect(indexed.has(id)).to.equal(false);
      for (const id of drafts) expect(indexed.has(id)).to.equal(true);
      const check = await checkAssignmentIndex(deps);
      expect({ missing: check.missing, stale: check.stale, outdated: check.outdated }).to.deep.equal({
        missing: [],
        stale: [],
        outdated: [],
      });
    });
  });

  describe('reindex', () => {
    it('when reindex runs, then searches keep answering throughout, and afterwards the settings and documents are right', async () => {
      for (let n = 0; n < 40; n++)
        await createTestAssignment(ctx.db, { organisationId: organisation.id, title: `Målning av staket ${n}` });
      await ctx.runJobs();
      // An index in a state an older version or a lost update left behind.
      await liveIndex().updateSettings({ synonyms: {}, stopWords: [] }).waitTask();
      const [someId] = [...(await openInDatabase()).keys()];
      await liveIndex().deleteDocument(someId!).waitTask();
      await liveIndex()
        .addDocuments([{ id: 9_999_999, title: 'Borttaget uppdrag' } as AssignmentDocument])
        .waitTask();

      let reindexing = true;
      const answers: number[] = [];
      const searching = (async () => {
        while (reindexing) {
          // Straight at the live index name, as the search service does.
          const result = await liveIndex().search('', { limit: 1 });
          answers.push(result.estimatedTotalHits ?? 0);
          await sleep(20);
        }
      })();
      const result = await reindexAssignments(deps, { batchSize: 30 });
      reindexing = false;
      await searching;

      expect(answers.length).to.be.greaterThan(3);
      expect(answers.every((hits) => hits > 0)).to.equal(true);
      const expected = await openInDatabase();
      expect(result.indexed).to.equal(expected.size);
      expect(settingsAreCurrent(await liveIndex().getSettings())).to.equal(true);
      expect((await liveIndex().getSettings()).synonyms).to.have.property('hemsida');
      const indexed = await indexedDocuments();
      expect([...indexed.keys()].sort((a, b) => a - b)).to.deep.equal([...expected.keys()].sort((a, b) => a - b));
      const { results } = await ctx.search.getIndexes({ limit: 1000 });
      expect(results.map((index) => index.uid).filter((uid) => uid.startsWith(ctx.config.meili.indexPrefix))).to.deep.equal([
        assignmentIndexName(ctx.config.meili.indexPrefix),
      ]);
    });

    it('when there is no index yet, then reindex builds one under the live name', async () => {
      await ctx.search.deleteIndex(assignmentIndexName(ctx.config.meili.indexPrefix)).waitTask();
      const result = await reindexAssignments(deps);
      expect(result.indexed).to.equal((await openInDatabase()).size);
      expect((await liveIndex().getStats()).numberOfDocuments).to.equal(result.indexed);
      expect(settingsAreCurrent(await liveIndex().getSettings())).to.equal(true);
    });

    it('when the index has settings of an older version, then the start-up sync rebuilds it; when all is current, it does nothing', async () => {
      await liveIndex()
        .updateSettings({ searchableAttributes: ['title', 'description'] })
        .waitTask();
      expect(settingsAreCurrent(await liveIndex().getSettings())).to.equal(false);
      expect(await syncAssignmentIndex(deps)).to.include({ rebuilt: true });
      expect((await liveIndex().getSettings()).searchableAttributes).to.deep.equal(
        ASSIGNMENT_INDEX_SETTINGS.searchableAttributes,
      );
      expect(await syncAssignmentIndex(deps)).to.deep.equal({ rebuilt: false, indexed: 0 });
    });
  });

  describe('search:check', () => {
    let missingId: number;
    let staleId: number;
    let outdatedId: number;
    let newTitle: string;
    let round = 0;

    beforeEach(async () => {
      // A title of its own each time: the same id may be picked again, and an equal
      // title within the same second (updatedAt is in seconds) would not be outdated.
      newTitle = `Ny titel som indexet inte sett ${++round}`;
      await ctx.syncIndex();
      [missingId, staleId, outdatedId] = [...(await openInDatabase()).keys()].slice(-3) as [number, number, number];
      // Changes that reached the database but not the index (as if a job was lost).
      await liveIndex().deleteDocument(missingId).waitTask();
      await ctx.db('assignments').where('id', staleId).update({ status: 'cancelled' });
      await ctx
        .db('assignments')
        .where('id', outdatedId)
        .update({ title: newTitle, updated_at: ctx.db.raw(`now() + interval '1 minute'`) });
    });

    it('when the index differs, then the check names missing, stale and outdated ids, and --fix repairs them', async () => {
      const check = await checkAssignmentIndex(deps);
      expect(check).to.deep.include({ missing: [missingId], stale: [staleId], outdated: [outdatedId], fixed: false });
      expect(check.expected).to.equal((await openInDatabase()).size);
      // The cheap comparison (after a reindex) sees the same: ids and updatedAt.
      expect(await checkAssignmentIndex(deps, { byUpdatedAt: true })).to.deep.include({
        missing: [missingId],
        stale: [staleId],
        outdated: [outdatedId],
      });

      const fixed = await checkAssignmentIndex(deps, { fix: true });
      expect(fixed.fixed).to.equal(true);
      const again = await checkAssignmentIndex(deps);
      expect(again).to.deep.include({ missing: [], stale: [], outdated: [] });
      const indexed = await indexedDocuments();
      expect(indexed.get(outdatedId)!.title).to.equal(newTitle);
      expect(indexed.has(staleId)).to.equal(false);
      expect(indexed.has(missingId)).to.equal(true);
    });

    it('when run as a command, then it exits 1 and lists the differences; with --fix it repairs them and exits 0; reindex exits 0', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ub-check-'));
      const env = {
        DATA_DIR: dataDir,
        DATABASE_URL: ctx.databaseUrl,
        MEILI_HOST: ctx.config.meili.host!,
        MEILI_MASTER_KEY: ctx.config.meili.apiKey ?? '',
        MEILI_INDEX_PREFIX: ctx.config.meili.indexPrefix,
        SESSION_SECRET: 'search-check-session-secret-long-enough',
        LOG_LEVEL: 'warn',
      };
      try {
        const check = startProcess('src/cli/search-check.ts', env);
        expect(await check.exited(60_000)).to.equal(1);
        const report = check.lines.map((line) => line.msg).join('\n');
        expect(report, report).to.contain(`missing from the index: 1 (${missingId})`);
        expect(report, report).to.contain(`stale (no longer open): 1 (${staleId})`);
        expect(report, report).to.contain(`outdated: 1 (${outdatedId})`);

        const fix = startProcess('src/cli/search-check.ts', env, ['--fix']);
        expect(await fix.exited(60_000)).to.equal(0);
        expect(fix.lines.map((line) => line.msg)).to.include('Repaired.');
        expect(await checkAssignmentIndex(deps)).to.deep.include({ missing: [], stale: [], outdated: [] });

        const reindex = startProcess('src/cli/reindex.ts', { ...env, LOG_LEVEL: 'info' });
        expect(await reindex.exited(60_000)).to.equal(0);
        expect(reindex.lines.find((line) => line.msg === 'Search index rebuilt and swapped in')).to.include({
          indexed: (await openInDatabase()).size,
        });
        expect(await checkAssignmentIndex(deps)).to.deep.include({ missing: [], stale: [], outdated: [] });
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });

  describe('old Meilisearch tasks', () => {
    it('when the daily prune runs, then finished tasks older than 7 days are deleted and newer ones kept', async () => {
      expect(SEARCH_CRONTAB).to.match(/^\d+ \d+ \* \* \* prune_search_tasks\b/);
      const task = await liveIndex()
        .updateSettings({ pagination: { maxTotalHits: 10_000 } })
        .waitTask();
      await pruneSearchTasks(ctx.search);
      expect((await ctx.search.tasks.getTask(task.uid)).uid).to.equal(task.uid);

      // Eight days on, the same task is older than the week kept.
      await pruneSearchTasks(ctx.search, new Date(Date.now() + 8 * 86_400_000));
      const gone = await ctx.search.tasks.getTask(task.uid).then(
        () => false,
        () => true,
      );
      expect(gone).to.equal(true);
    });
  });
});
