import type { Db } from '../../src/platform/db.js';
import { resolveTypedSkills } from '../../src/modules/skills/index.js';
import { ensureOperatorSettings } from './billing-factories.js';
import { createUser } from './users.js';

// History for the statistics tests, written straight to the database with the dates the figures are about
// (publishing, applying, deciding, paying out): the flows that make these rows are other tests' subjects. The
// statistics read only these columns, so each factory fills the rest with plain valid values.

let sequence = 0;

const categoryId = async (db: Db, slug: string) => ((await db('categories').where({ slug }).first('id')) as { id: number }).id;

export interface StatsAssignment {
  organisationId: number;
  municipalityCode: string;
  categorySlug: string;
  localityId?: number | null;
  /** An instant with its offset, '2026-04-01T00:10:00+02:00'; none for a draft or one waiting for review. */
  publishedAt?: string | null;
  status?: 'draft' | 'pending_review' | 'published' | 'closed' | 'assigned' | 'completed' | 'cancelled' | 'expired';
  peopleNeeded?: number;
  workTraining?: boolean;
  hiddenAt?: string | null;
  title?: string;
}

export async function insertStatsAssignment(db: Db, assignment: StatsAssignment): Promise<number> {
  const n = ++sequence;
  const [row] = await db('assignments')
    .insert({
      organisation_id: assignment.organisationId,
      title: assignment.title ?? `Statistikuppdrag ${n}`,
      description: 'Ett uppdrag i statistikens testdata.',
      category_id: await categoryId(db, assignment.categorySlug),
      municipality_code: assignment.municipalityCode,
      locality_id: assignment.localityId ?? null,
      compensation_type: 'hourly',
      amount_sek: 200,
      people_needed: assignment.peopleNeeded ?? 1,
      work_training: assignment.workTraining ?? false,
      status: assignment.status ?? 'published',
      published_at: assignment.publishedAt ?? null,
      hidden_at: assignment.hiddenAt ?? null,
    })
    .returning<{ id: number }[]>('id');
  return row!.id;
}

export async function insertStatsApplication(
  db: Db,
  application: {
    assignmentId: number;
    applicantId: number;
    createdAt: string;
    status?: 'submitted' | 'shortlisted' | 'accepted' | 'declined' | 'withdrawn';
    decidedAt?: string;
  },
): Promise<number> {
  const [row] = await db('applications')
    .insert({
      assignment_id: application.assignmentId,
      applicant_id: application.applicantId,
      message: 'Jag kan ta det här uppdraget.',
      status: application.status ?? 'submitted',
      created_at: application.createdAt,
      decided_at: application.decidedAt ?? null,
    })
    .returning<{ id: number }[]>('id');
  return row!.id;
}

/**
 * A salary paid out on `payoutDate` for work on `assignmentId`: its billing basis (with an hours line per entry of
 * `hoursHundredths` and one fixed line), the invoice and the salary, whose gross is `grossOre`. `workerUserId`
 * null: the worker's account was deleted (the rows are kept without the person).
 */
export async function insertPaidSalary(
  db: Db,
  salary: {
    assignmentId: number;
    organisationId: number;
    workerUserId: number | null;
    payoutDate: string;
    grossOre: number;
    hoursHundredths: number[];
  },
): Promise<number> {
  const n = ++sequence;
  const operatorSettingsId = await ensureOperatorSettings(db);
  const [basis] = await db('billing_bases')
    .insert({
      worker_user_id: salary.workerUserId,
      organisation_id: salary.organisationId,
      assignment_id: salary.assignmentId,
      status: 'approved',
      period_start: salary.payoutDate,
      period_end: salary.payoutDate,
    })
    .returning<{ id: number }[]>('id');
  await db('billing_basis_lines').insert([
    ...salary.hoursHundredths.map((hundredths, index) => ({
      basis_id: basis!.id,
      position: index + 1,
      kind: 'hours',
      description: 'Arbete',
      quantity_hundredths: hundredths,
      unit_price_ore: 20_000,
      amount_ore: 200 * hundredths,
    })),
    {
      basis_id: basis!.id,
      position: salary.hoursHundredths.length + 1,
      kind: 'fixed',
      description: 'Fast ersättning',
      amount_ore: 10_000,
    },
  ]);
  const excl = salary.grossOre;
  const [invoice] = await db('invoices')
    .insert({
      series: 'ST',
      number: n,
      basis_id: basis!.id,
      operator_settings_id: operatorSettingsId,
      organisation_id: salary.organisationId,
      worker_user_id: salary.workerUserId,
      buyer_name: `Statistikföreningen ${n}`,
      buyer_address: 'Byvägen 1, 92131 Lycksele',
      buyer_email: `stat${n}@forening.example.se`,
      invoice_date: salary.payoutDate,
      due_date: salary.payoutDate,
      delivery_start: salary.payoutDate,
      delivery_end: salary.payoutDate,
      ocr: `9${process.pid}${n}`,
      vat_bp: 2500,
      amount_excl_vat_ore: excl,
      vat_ore: 0,
      total_ore: excl,
      fee_ore: 0,
      status: 'paid',
      paid_at: new Date(),
    })
    .returning<{ id: number }[]>('id');
  // Only the columns the statistics read are realistic; the rest balance (the CHECK) and are otherwise plain.
  const [row] = await db('salaries')
    .insert({
      invoice_id: invoice!.id,
      worker_user_id: salary.workerUserId,
      payout_date: salary.payoutDate,
      invoice_excl_vat_ore: excl,
      fee_ore: 0,
      contributions_ore: 0,
      contribution_lines: JSON.stringify([]),
      gross_ore: salary.grossOre,
      vacation_pay_ore: 0,
      tax_bp: 3000,
      tax_ore: 0,
      expenses_ore: 0,
      net_ore: salary.grossOre,
      rounding_ore: 0,
    })
    .returning<{ id: number }[]>('id');
  return row!.id;
}

/**
 * A resident: an account at home in `homeMunicipalityCode` (Lycksele unless told), with the skills typed as
 * `skillTags` (resident_skills, resolved on the vocabulary), seen by organisations unless `visible` is false, offering `categorySlugs` and naming `localityIds` as villages they can work in.
 */
export async function insertResident(
  db: Db,
  resident: {
    homeMunicipalityCode?: string;
    categorySlugs?: string[];
    localityIds?: number[];
    skillTags?: string[];
    visible?: boolean;
  } = {},
): Promise<{ id: number; email: string; name: string }> {
  const user = await createUser(db);
  await db('users')
    .where({ id: user.id })
    .update({ home_municipality_code: resident.homeMunicipalityCode ?? '2481' });
  await db('resident_profiles').insert({
    user_id: user.id,
    visibility: (resident.visible ?? true) ? 'organisations' : 'hidden',
  });
  // The typed words as the competence profile keeps them: matched to the vocabulary, free tags for the rest.
  const skills = await resolveTypedSkills(db, resident.skillTags ?? [], 'skill');
  const skillIds = [...new Set([...skills.values()].map((skill) => skill.id))];
  if (skillIds.length) await db('resident_skills').insert(skillIds.map((skillId) => ({ user_id: user.id, skill_id: skillId })));
  for (const slug of resident.categorySlugs ?? [])
    await db('resident_categories').insert({ user_id: user.id, category_id: await categoryId(db, slug) });
  for (const localityId of resident.localityIds ?? [])
    await db('resident_localities').insert({ user_id: user.id, locality_id: localityId });
  return user;
}
