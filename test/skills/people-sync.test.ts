import { expect } from 'chai';
import { parseCrontab } from 'graphile-worker';
import { enqueuePeopleIndexSync } from '../../src/modules/skills/index.js';
import {
  checkPeopleIndex,
  enqueueExpiredCertificates,
  PEOPLE_CRONTAB,
  PEOPLE_EXPIRIES_TASK,
  peopleIndexDiffers,
  reindexPeople,
  syncPeopleIndex,
} from '../../src/modules/skills/people-index-sync.js';
import { peopleIndexName, PEOPLE_INDEX_SETTINGS, type PersonDocument } from '../../src/modules/skills/people-index.js';
import { useTestApp } from '../support/test-app.js';
import { createResident, villageSlug } from './people-fixture.js';

// The people index follows the database as the assignments' index does: a change enqueues `index_person` in its
// transaction; the job re-reads the rows and upserts or removes the document; search:check finds and repairs
// differences; a reindex swaps a complete new index in.

describe('People index sync', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  const index = () => ctx.search.index<PersonDocument>(peopleIndexName(ctx.config.meili.indexPrefix));
  const indexed = async (publicId: string) =>
    index()
      .getDocument(publicId)
      .then(
        (document) => document as PersonDocument,
        () => undefined,
      );
  const deps = () => ({ db: ctx.db, search: ctx.search, indexPrefix: ctx.config.meili.indexPrefix, log: ctx.deps.log });
  const change = async (userId: number, write: () => Promise<unknown>) => {
    await write();
    await ctx.db.transaction((trx) => enqueuePeopleIndexSync(trx, [userId]));
    await ctx.runJobs();
  };

  it('when a resident with a skill is made public, then the job indexes the card only: no e-mail, user id or address', async () => {
    const resident = await createResident(ctx.db, ctx.deps.reference, {
      visibility: 'public',
      villages: [villageSlug(ctx.deps.reference, '2481', 'Rusksele')],
      skills: [{ slug: 'snoskottning', level: 'experienced' }],
    });
    await ctx.runJobs();
    const document = await indexed(resident.publicId);
    expect(document?.skillSlugs).to.deep.equal(['snoskottning']);
    expect(document?.visibility).to.equal('public');
    const text = JSON.stringify(document);
    expect(text).not.to.include(resident.email);
    expect(Object.keys(document!)).not.to.include.members(['userId', 'user_id', 'email', 'phone', 'address']);
    expect(text).not.to.match(new RegExp(`:${resident.userId}[,}]`));
  });

  it('when a skill, an offer or the visibility changes, then the document follows; hidden removes it', async () => {
    const resident = await createResident(ctx.db, ctx.deps.reference, {
      visibility: 'organisations',
      skills: [{ slug: 'vedhuggning' }],
    });
    await ctx.runJobs();
    expect((await indexed(resident.publicId))?.visibility).to.equal('organisations');

    await change(resident.userId, async () => {
      const skill = (await ctx.db('skills').where({ slug: 'engelska' }).first('id')) as { id: number };
      await ctx.db('resident_skills').insert({ user_id: resident.userId, skill_id: skill.id });
      await ctx.db('resident_offers').insert({ user_id: resident.userId, title: 'Vedleverans' });
    });
    const updated = await indexed(resident.publicId);
    expect(updated?.skillSlugs).to.have.members(['vedhuggning', 'engelska']);
    expect(updated?.offerTitles).to.deep.equal(['Vedleverans']);

    await change(resident.userId, () =>
      ctx.db('resident_profiles').where({ user_id: resident.userId }).update({ visibility: 'hidden' }),
    );
    expect(await indexed(resident.publicId)).to.equal(undefined);

    await change(resident.userId, () =>
      ctx.db('resident_profiles').where({ user_id: resident.userId }).update({ visibility: 'public' }),
    );
    expect((await indexed(resident.publicId))?.visibility).to.equal('public');

    // Nothing left to show: no document.
    await change(resident.userId, async () => {
      await ctx.db('resident_skills').where({ user_id: resident.userId }).delete();
      await ctx.db('resident_offers').where({ user_id: resident.userId }).delete();
    });
    expect(await indexed(resident.publicId)).to.equal(undefined);
  });

  it('when the account is deleted, then its document is removed though the index holds no user id', async () => {
    const resident = await createResident(ctx.db, ctx.deps.reference, {
      visibility: 'public',
      skills: [{ slug: 'b-korkort' }],
    });
    const other = await createResident(ctx.db, ctx.deps.reference, { visibility: 'public', skills: [{ slug: 'b-korkort' }] });
    await ctx.runJobs();
    expect(await indexed(resident.publicId)).not.to.equal(undefined);
    await change(resident.userId, () => ctx.db('users').where({ id: resident.userId }).delete());
    expect(await indexed(resident.publicId)).to.equal(undefined);
    expect(await indexed(other.publicId)).not.to.equal(undefined);
  });

  it('when a certificate’s last day has passed, then the nightly task takes it off the card', async () => {
    const resident = await createResident(ctx.db, ctx.deps.reference, {
      visibility: 'public',
      skills: [{ slug: 'hygienintyg', expiresOn: new Date().toISOString().slice(0, 10) }, { slug: 'stadning' }],
    });
    await ctx.runJobs();
    expect((await indexed(resident.publicId))?.skillSlugs).to.have.members(['hygienintyg', 'stadning']);
    // A day later (the row moved back a day instead of the clock forward).
    await ctx
      .db('resident_skills')
      .where({ user_id: resident.userId })
      .whereNotNull('expires_on')
      .update({
        expires_on: ctx.db.raw(`CURRENT_DATE - 1`),
      });
    const [cron] = parseCrontab(PEOPLE_CRONTAB);
    expect(cron!.task).to.equal(PEOPLE_EXPIRIES_TASK);
    expect(await enqueueExpiredCertificates(ctx.db)).to.be.greaterThan(0);
    await ctx.runJobs();
    expect((await indexed(resident.publicId))?.skillSlugs).to.deep.equal(['stadning']);
  });

  it('when the index differs from the database, then search:check reports it and --fix repairs it', async () => {
    const resident = await createResident(ctx.db, ctx.deps.reference, { visibility: 'public', skills: [{ slug: 'truckkort' }] });
    await ctx.runJobs();
    expect(peopleIndexDiffers(await checkPeopleIndex(deps()))).to.equal(false);

    // Changes made behind the jobs' back: one missing, one stale, one outdated.
    const missing = await createResident(ctx.db, ctx.deps.reference, { visibility: 'public', skills: [{ slug: 'hygienintyg' }] });
    await index()
      .addDocuments([{ ...(await indexed(resident.publicId))!, offerTitles: ['Gammalt'] }])
      .waitTask();
    await index()
      .addDocuments([{ ...(await indexed(resident.publicId))!, id: '00000000-0000-4000-8000-000000000000' }])
      .waitTask();

    const check = await checkPeopleIndex(deps());
    expect(check.missing).to.deep.equal([missing.publicId]);
    expect(check.stale).to.deep.equal(['00000000-0000-4000-8000-000000000000']);
    expect(check.outdated).to.deep.equal([resident.publicId]);
    expect(check.fixed).to.equal(false);

    const fixed = await checkPeopleIndex(deps(), { fix: true });
    expect(fixed.fixed).to.equal(true);
    expect(peopleIndexDiffers(await checkPeopleIndex(deps()))).to.equal(false);
  });

  it('when reindexed, then a complete new index with the settings is swapped in; start-up sync rebuilds a lost one', async () => {
    const { indexed: count } = await reindexPeople(deps());
    const expected = (await checkPeopleIndex(deps())).expected;
    expect(count).to.equal(expected);
    const settings = await index().getSettings();
    expect(settings.filterableAttributes).to.include.members(PEOPLE_INDEX_SETTINGS.filterableAttributes);

    await ctx.search.deleteIndex(peopleIndexName(ctx.config.meili.indexPrefix)).waitTask();
    const result = await syncPeopleIndex(deps());
    expect(result.rebuilt).to.equal(true);
    expect((await index().getStats()).numberOfDocuments).to.equal(expected);
  });
});
