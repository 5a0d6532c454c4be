import type { Db } from '../../src/platform/db.js';
import { addDays, todayInStockholm } from '../../src/platform/calendar.js';
import { createOrganisation } from './factories.js';
import { insertPaidSalary, insertResident, insertStatsApplication, insertStatsAssignment } from './stats-factories.js';
import { createUser } from './users.js';

// A small history in Lycksele for the dashboard's page and export tests, counted by hand: 15 assignments in the
// last 30 days (7 snow clearing in one village 20 days ago, none answered; 2 garden in another village, fewer
// than 5; 6 snow clearing without a village, each filled and paid 1 000 kr for 4 hours), 5 residents offering
// garden work. Names and e-mails that must never reach a statistics output.

const LYCKSELE = '2481';
export const ORGANISATION = '<script>alert("org")</script> Byaföreningen';
export const APPLICANT = { name: 'Ingrid Hemligsdotter', email: 'ingrid.hemligsdotter@example.se' };

/** An instant `days` days before now, as the factories take it. */
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

export async function createDashboardHistory(db: Db) {
  const organisation = await createOrganisation(db, { name: ORGANISATION, municipality_code: LYCKSELE });
  const villages = (await db('localities')
    .where({ municipality_code: LYCKSELE })
    .orderBy('name')
    .limit(2)
    .select('id', 'name')) as Array<{
    id: number;
    name: string;
  }>;
  const [big, small] = villages as [{ id: number; name: string }, { id: number; name: string }];
  // 7 snow-clearing assignments in the first village 20 days ago, none with an applicant: all 7 unanswered.
  for (let n = 0; n < 7; n++)
    await insertStatsAssignment(db, {
      organisationId: organisation.id,
      municipalityCode: LYCKSELE,
      categorySlug: 'snorojning',
      localityId: big.id,
      publishedAt: daysAgo(20),
      title: `Skotta taket ${n + 1}`,
    });
  // 2 garden assignments in the second village: fewer than 5.
  for (let n = 0; n < 2; n++)
    await insertStatsAssignment(db, {
      organisationId: organisation.id,
      municipalityCode: LYCKSELE,
      categorySlug: 'tradgard',
      localityId: small.id,
      publishedAt: daysAgo(3),
    });
  // 6 snow-clearing assignments without a village, each with one accepted applicant who was paid 1 000 kr.
  const applicant = await createUser(db, APPLICANT);
  for (let n = 0; n < 6; n++) {
    const assignmentId = await insertStatsAssignment(db, {
      organisationId: organisation.id,
      municipalityCode: LYCKSELE,
      categorySlug: 'snorojning',
      publishedAt: daysAgo(10),
    });
    const worker = n === 0 ? applicant : await createUser(db, { name: `Arbetare Hemlig ${n}` });
    await insertStatsApplication(db, {
      assignmentId,
      applicantId: worker.id,
      createdAt: daysAgo(9),
      status: 'accepted',
      decidedAt: daysAgo(8),
    });
    await insertPaidSalary(db, {
      assignmentId,
      organisationId: organisation.id,
      workerUserId: worker.id,
      payoutDate: addDays(todayInStockholm(), -2),
      grossOre: 100_000,
      hoursHundredths: [400],
    });
  }
  for (let n = 0; n < 5; n++) await insertResident(db, { categorySlugs: ['tradgard'], skillTags: ['motorsåg'] });
  return { organisation, big, small };
}
