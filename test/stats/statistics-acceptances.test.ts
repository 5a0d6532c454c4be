import { expect } from 'chai';
import type { Db } from '../../src/platform/db.js';
import { createOrganisation } from '../support/factories.js';
import { insertStatsApplication, insertStatsAssignment } from '../support/stats-factories.js';
import { useTestApp } from '../support/test-app.js';

// statistics_acceptances (migration 202612062000) is kept by triggers: after any sequence of writes to
// applications and assignments it must hold exactly the accepted applications of posted assignments with their
// assignment's municipality, category and publishing time — the open data's filled places and distinct persons
// read it instead of the base tables. Compared here with a recount from the base tables after random writes (a
// seeded generator: a failure names its seed and step), and under concurrent writers.

const MUNICIPALITIES = ['2481', '2417', '0188'];
const CATEGORIES = ['snorojning', 'tradgard', 'stadning'];
const APPLICATION_STATUSES = ['submitted', 'shortlisted', 'accepted', 'declined', 'withdrawn'] as const;
const ASSIGNMENT_STATUSES = ['draft', 'published', 'closed', 'assigned', 'completed', 'expired', 'cancelled'] as const;

/** mulberry32: small, seedable, good enough to pick writes. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number) => Math.floor(next() * n);
  return { next, below, pick: <T>(items: readonly T[]): T => items[below(items.length)]! };
}

const RECOUNT = `SELECT x.id::text AS application_id, x.assignment_id::text AS assignment_id, x.applicant_id::text AS applicant_id,
    a.municipality_code, a.category_id, a.published_at
  FROM applications x JOIN assignments a ON a.id = x.assignment_id
  WHERE x.status = 'accepted' AND a.published_at IS NOT NULL AND a.hidden_at IS NULL
    AND a.status IN ('published', 'closed', 'assigned', 'completed', 'expired', 'cancelled')
`;
const KEPT = `SELECT application_id::text, assignment_id::text, applicant_id::text, municipality_code, category_id, published_at
  FROM statistics_acceptances`;

async function expectExact(db: Db, where: string): Promise<number> {
  const [recounted, kept] = await Promise.all([db.raw(RECOUNT), db.raw(KEPT)]);
  const lines = (rows: unknown[]) => rows.map((row) => JSON.stringify(row));
  const [expected, actual] = [lines(recounted.rows as unknown[]), lines(kept.rows as unknown[])];
  // The rows that differ, not two long lists.
  const missing = expected.filter((line) => !actual.includes(line));
  const extra = actual.filter((line) => !expected.includes(line));
  expect({ missing, extra }, where).to.deep.equal({ missing: [], extra: [] });
  return expected.length;
}

/** 'waiting' unless `write` ends within 300 ms: long enough to be sure it is blocked, not merely slow. */
const firstOf = (write: Promise<string>) =>
  Promise.race([write, new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), 300))]);

describe('statistics_acceptances: kept exact by triggers', () => {
  const ctx = useTestApp();
  let organisationId: number;
  const categoryIds: number[] = [];
  let userSequence = 0;

  const insertUsers = async (db: Db, count: number): Promise<number[]> => {
    const rows = Array.from({ length: count }, () => {
      userSequence += 1;
      return { email: `acceptances-${userSequence}.${process.pid}@example.se`, name: `Sökande ${userSequence}` };
    });
    return ((await db('users').insert(rows).returning('id')) as Array<{ id: number }>).map((row) => row.id);
  };

  before(async () => {
    organisationId = (await createOrganisation(ctx.db)).id;
    for (const slug of CATEGORIES)
      categoryIds.push(((await ctx.db('categories').where({ slug }).first('id')) as { id: number }).id);
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`equals a recount after every one of 60 random writes (seed ${seed})`, async function () {
      this.timeout(60_000);
      const { db } = ctx;
      const random = generator(seed);
      const users = await insertUsers(db, 8);
      const assignments: number[] = [];
      for (let index = 0; index < 5; index++)
        assignments.push(
          await insertStatsAssignment(db, {
            organisationId,
            municipalityCode: random.pick(MUNICIPALITIES),
            categorySlug: random.pick(CATEGORIES),
            publishedAt: `2026-0${1 + random.below(9)}-1${random.below(10)}T10:00:00+02:00`,
            status: random.pick(['published', 'completed', 'draft'] as const),
            // Enough places that any of the users may be accepted (the places trigger refuses more).
            peopleNeeded: 10,
          }),
        );
      const stamp = () => `2026-0${1 + random.below(9)}-1${random.below(10)}T0${random.below(10)}:00:00+02:00`;
      const applicationIds = async (): Promise<number[]> =>
        db('applications').whereIn('assignment_id', assignments).orderBy('id').pluck('id');

      const writes: Array<[string, () => Promise<unknown>]> = [
        [
          'insert an application',
          async () => {
            const assignmentId = random.pick(assignments);
            const applicantId = random.pick(users);
            const taken = await db('applications').where({ assignment_id: assignmentId, applicant_id: applicantId }).first('id');
            if (taken) return;
            await insertStatsApplication(db, {
              assignmentId,
              applicantId,
              createdAt: stamp(),
              status: random.pick(APPLICATION_STATUSES),
            });
          },
        ],
        [
          'insert several applications in one statement',
          async () => {
            const assignmentId = random.pick(assignments);
            const taken: number[] = await db('applications').where({ assignment_id: assignmentId }).pluck('applicant_id');
            const rows = users
              .filter((id) => !taken.includes(id) && random.next() < 0.5)
              .map((applicantId) => ({
                assignment_id: assignmentId,
                applicant_id: applicantId,
                message: 'Jag kan.',
                status: random.pick(APPLICATION_STATUSES),
              }));
            if (rows.length > 0) await db('applications').insert(rows);
          },
        ],
        [
          'change an application status',
          async () => {
            const ids = await applicationIds();
            if (ids.length > 0)
              await db('applications')
                .where({ id: random.pick(ids) })
                .update({ status: random.pick(APPLICATION_STATUSES) });
          },
        ],
        [
          'change the status of all applications of an assignment',
          () =>
            db('applications')
              .where({ assignment_id: random.pick(assignments) })
              .update({ status: random.pick(APPLICATION_STATUSES) }),
        ],
        [
          'touch an application without changing what counts',
          async () => {
            const ids = await applicationIds();
            if (ids.length > 0)
              await db('applications')
                .where({ id: random.pick(ids) })
                .update({ message: `Ändrat ${random.below(1000)}`, updated_at: db.fn.now() });
          },
        ],
        [
          'delete an application',
          async () => {
            const ids = await applicationIds();
            if (ids.length > 0)
              await db('applications')
                .where({ id: random.pick(ids) })
                .delete();
          },
        ],
        [
          'delete an applicant (their applications go with them)',
          async () => {
            const applicants: number[] = await db('applications').whereIn('assignment_id', assignments).pluck('applicant_id');
            if (applicants.length === 0) return;
            const gone = random.pick(applicants);
            await db('users').where({ id: gone }).delete();
            const [replacement] = await insertUsers(db, 1);
            users.splice(users.indexOf(gone), 1, replacement!);
          },
        ],
        [
          'change an assignment status',
          () =>
            db('assignments')
              .where({ id: random.pick(assignments) })
              .update({ status: random.pick(ASSIGNMENT_STATUSES) }),
        ],
        [
          'hide or show an assignment (moderation)',
          () =>
            db('assignments')
              .where({ id: random.pick(assignments) })
              .update({ hidden_at: random.next() < 0.5 ? db.fn.now() : null }),
        ],
        [
          'move an assignment to another municipality and category',
          () =>
            db('assignments')
              .where({ id: random.pick(assignments) })
              .update({ municipality_code: random.pick(MUNICIPALITIES), category_id: random.pick(categoryIds) }),
        ],
        [
          'publish an assignment again (a new published_at)',
          () =>
            db('assignments')
              .where({ id: random.pick(assignments) })
              .update({ published_at: stamp() }),
        ],
        [
          'change several assignments in one statement',
          () =>
            db('assignments')
              .whereIn(
                'id',
                assignments.filter(() => random.next() < 0.5),
              )
              .update({
                category_id: random.pick(categoryIds),
                status: random.pick(['published', 'assigned', 'cancelled'] as const),
              }),
        ],
        [
          'touch an assignment without changing what counts',
          () =>
            db('assignments')
              .where({ id: random.pick(assignments) })
              .update({ title: `Nytt namn ${random.below(1000)}` }),
        ],
        [
          'delete an assignment (its applications go with it)',
          async () => {
            const index = random.below(assignments.length);
            await db('assignments').where({ id: assignments[index]! }).delete();
            assignments[index] = await insertStatsAssignment(db, {
              organisationId,
              municipalityCode: random.pick(MUNICIPALITIES),
              categorySlug: random.pick(CATEGORIES),
              publishedAt: stamp(),
              peopleNeeded: 10,
            });
          },
        ],
      ];

      let acceptedSeen = 0;
      for (let step = 1; step <= 60; step++) {
        const [name, write] = random.pick(writes);
        await write();
        acceptedSeen = Math.max(acceptedSeen, await expectExact(db, `seed ${seed}, step ${step}: ${name}`));
      }
      // An honest test: the sequences did put accepted applications of posted assignments in the table.
      expect(acceptedSeen).to.be.greaterThan(0);
    });
  }

  it('stays exact when an acceptance and a move of its assignment run at the same time', async function () {
    this.timeout(20_000);
    const { db } = ctx;
    const [applicant] = await insertUsers(db, 1);
    const assignmentId = await insertStatsAssignment(db, {
      organisationId,
      municipalityCode: '2481',
      categorySlug: 'snorojning',
      publishedAt: '2026-04-01T10:00:00+02:00',
      peopleNeeded: 2,
    });
    const applicationId = await insertStatsApplication(db, {
      assignmentId,
      applicantId: applicant!,
      createdAt: '2026-04-02T10:00:00+02:00',
    });
    // The move commits after the acceptance has started and waits for it: the acceptance must see the move.
    const move = await db.transaction();
    let accepted: Promise<string> | undefined;
    try {
      await move('assignments').where({ id: assignmentId }).update({ category_id: categoryIds[1], municipality_code: '0188' });
      accepted = db('applications')
        .where({ id: applicationId })
        .update({ status: 'accepted' })
        .then(() => 'accepted');
      expect(await firstOf(accepted), 'the acceptance waits for the assignment row').to.equal('waiting');
    } finally {
      await move.commit();
      await accepted;
    }
    await expectExact(db, 'acceptance during a move');
    const row = await db('statistics_acceptances')
      .where({ application_id: applicationId })
      .first('municipality_code', 'category_id');
    expect(row).to.deep.equal({ municipality_code: '0188', category_id: categoryIds[1] });
  });

  it('stays exact when a withdrawal and the re-posting of its assignment run at the same time', async function () {
    this.timeout(20_000);
    const { db } = ctx;
    const [applicant] = await insertUsers(db, 1);
    const assignmentId = await insertStatsAssignment(db, {
      organisationId,
      municipalityCode: '2481',
      categorySlug: 'snorojning',
      publishedAt: '2026-04-01T10:00:00+02:00',
      peopleNeeded: 2,
      hiddenAt: '2026-04-03T10:00:00+02:00',
    });
    const applicationId = await insertStatsApplication(db, {
      assignmentId,
      applicantId: applicant!,
      createdAt: '2026-04-02T10:00:00+02:00',
      status: 'accepted',
    });
    expect(await db('statistics_acceptances').where({ application_id: applicationId }).first()).to.equal(undefined);
    // The withdrawal holds its application; showing the assignment again must wait for it and not copy the
    // acceptance that is being withdrawn.
    const withdrawal = await db.transaction();
    let shown: Promise<string> | undefined;
    try {
      await withdrawal('applications').where({ id: applicationId }).update({ status: 'withdrawn' });
      shown = db('assignments')
        .where({ id: assignmentId })
        .update({ hidden_at: null })
        .then(() => 'shown');
      expect(await firstOf(shown), 'showing the assignment waits for the application').to.equal('waiting');
    } finally {
      await withdrawal.commit();
      await shown;
    }
    await expectExact(db, 'withdrawal during re-posting');
    expect(await db('statistics_acceptances').where({ application_id: applicationId }).first()).to.equal(undefined);
  });
});
