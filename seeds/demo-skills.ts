import type { Knex } from 'knex';
import { createAssignment } from '../src/modules/assignments/index.js';
import { enqueuePeopleIndexSync, resolveTypedSkills, type SkillKind } from '../src/modules/skills/index.js';
import { addDays, startOfStockholmDay, type CalendarDate } from '../src/platform/calendar.js';
import { foldedKey } from '../src/platform/slugify.js';
import { ASSIGNMENTS, CONFIRMED_WORK, RESIDENTS, type DemoLevel } from './demo-content.js';

// The demo's competence (issue 15, item 8): the hand-written residents of the pilot villages with skills at their
// levels, certificates (two expiring within weeks, one expired), languages (Finnish, Meänkieli and Sámi among them),
// offers with a price or as volunteers, wishes to learn, every visibility, and learn-from-each-other matches for a few
// pairs (Erik teaches tree felling to Tove, Olle carpentry to Jonas, Greta bookkeeping to Linnea); finished work that
// organisations confirmed skills for; the skills the demo assignments ask for; and the history's residents
// (seeds/demo-history.ts) with the words of their profiles as skills, and confirmations on their completed work.
//
// Runs in the demo seed's transaction after the vocabulary (seeded with the reference data) and the demo's
// organisations, residents and assignments exist. Times count from the start of today, as the history's do.

const HOUR_MS = 3_600_000;

interface DemoOrganisationRef {
  id: number;
  adminId: number;
  municipalityCode: string;
}

export interface DemoCompetenceContext {
  trx: Knex.Transaction;
  today: CalendarDate;
  userOf: (email: string) => number;
  organisationOf: (key: string) => DemoOrganisationRef;
}

/** Typed words to skill ids (the vocabulary's, or free tags made now), refusing a word that resolves to nothing. */
async function skillIds(trx: Knex.Transaction, words: readonly string[], kind: SkillKind): Promise<Map<string, number>> {
  const resolved = await resolveTypedSkills(trx, words, kind);
  const ids = new Map<string, number>();
  for (const word of words) {
    const skill = resolved.get(word.trim());
    if (!skill) throw new Error(`Demo competence: "${word}" matches no skill`);
    ids.set(word, skill.id);
  }
  return ids;
}

/** The hand-written residents' competence profiles, the confirmed work, and the skills the demo assignments ask for. */
export async function seedDemoCompetence(context: DemoCompetenceContext): Promise<{ residents: number; confirmations: number }> {
  const { trx, today, userOf } = context;
  const byKind = (kind: SkillKind, pick: (r: (typeof RESIDENTS)[number]) => string[]) =>
    skillIds(trx, [...new Set(RESIDENTS.flatMap(pick))], kind);
  const skills = await byKind('skill', (r) => [...r.competence.skills.map(([word]) => word), ...(r.competence.wishes ?? [])]);
  const certificates = await byKind('certificate', (r) => (r.competence.certificates ?? []).map(([word]) => word));
  const languages = await byKind('language', (r) => (r.competence.languages ?? []).map(([word]) => word));
  // A wish may name a certificate or a language too: its id is found under whichever kind knows the word.
  const anyKind = (word: string) => skills.get(word) ?? certificates.get(word) ?? languages.get(word);

  const residentIds: number[] = [];
  for (const resident of RESIDENTS) {
    const userId = userOf(resident.email);
    residentIds.push(userId);
    const { competence } = resident;
    await trx('resident_profiles')
      .where('user_id', userId)
      .update({ visibility: competence.visibility, learning_matches: competence.learningMatches ?? false });
    const held = new Map<number, { level: DemoLevel | null; expires_on: string | null }>();
    for (const [word, level] of competence.skills) held.set(skills.get(word)!, { level, expires_on: null });
    for (const [word, days] of competence.certificates ?? [])
      held.set(certificates.get(word)!, { level: null, expires_on: days === null ? null : addDays(today, days) });
    for (const [word, level] of competence.languages ?? []) held.set(languages.get(word)!, { level, expires_on: null });
    await trx('resident_skills').insert([...held].map(([skillId, row]) => ({ user_id: userId, skill_id: skillId, ...row })));
    const wishes = [...new Set((competence.wishes ?? []).map((word) => anyKind(word) ?? skills.get(word)!))].filter(
      (skillId) => !held.has(skillId),
    );
    if (wishes.length > 0)
      await trx('resident_learning_wishes').insert(wishes.map((skillId) => ({ user_id: userId, skill_id: skillId })));
    if (competence.offers?.length)
      await trx('resident_offers').insert(
        competence.offers.map((offer) => ({
          user_id: userId,
          title: offer.title,
          description: offer.description,
          price_ore: offer.volunteer ? null : offer.priceSek === undefined ? null : offer.priceSek * 100,
          volunteer: offer.volunteer ?? false,
        })),
      );
  }

  const confirmations = await seedConfirmedWork(context);
  await askForSkills(
    trx,
    await trx('assignments')
      .whereIn(
        'title',
        ASSIGNMENTS.map((a) => a.title),
      )
      .pluck('id'),
  );
  await enqueuePeopleIndexSync(trx, residentIds);
  return { residents: RESIDENTS.length, confirmations };
}

/** Each finished piece of work: the completed assignment, the accepted application, and the skills confirmed. */
async function seedConfirmedWork(context: DemoCompetenceContext): Promise<number> {
  const { trx, today, userOf, organisationOf } = context;
  let confirmations = 0;
  for (const work of CONFIRMED_WORK) {
    const organisation = organisationOf(work.org);
    const workerId = userOf(work.worker);
    const endsOn = addDays(today, -work.endedDaysAgo);
    const at = (day: CalendarDate, hour: number) => new Date(startOfStockholmDay(day).getTime() + hour * HOUR_MS);
    const assignmentId = await createAssignment(trx, {
      organisationId: organisation.id,
      createdBy: organisation.adminId,
      title: work.title,
      description: work.description,
      categorySlug: work.category,
      municipalityCode: organisation.municipalityCode,
      localitySlug: work.locality,
      compensationType: work.compensation.type,
      amountSek: null,
      startsOn: addDays(endsOn, -1),
      endsOn,
      applyBy: addDays(endsOn, -5),
      status: 'published',
      publishedAt: at(addDays(endsOn, -20), 9),
    });
    const completedAt = at(addDays(endsOn, 1), 18);
    // Done: no longer open, so the index job queued with it takes it out of search.
    await trx('assignments').where('id', assignmentId).update({ status: 'completed', completed_at: completedAt });
    await trx('applications').insert({
      assignment_id: assignmentId,
      applicant_id: workerId,
      message: 'Hej! Det här kan jag, jag har gjort det många gånger förut.',
      status: 'accepted',
      decided_at: at(addDays(endsOn, -8), 12),
      created_at: at(addDays(endsOn, -15), 20),
      updated_at: at(addDays(endsOn, -8), 12),
    });
    const confirmed = await resolveTypedSkills(trx, work.confirmed, 'skill');
    const rows = work.confirmed.map((word) => {
      const skill = confirmed.get(word);
      if (!skill) throw new Error(`Demo confirmed work "${work.title}": "${word}" matches no skill`);
      return {
        user_id: workerId,
        skill_id: skill.id,
        assignment_id: assignmentId,
        organisation_id: organisation.id,
        confirmed_by_user_id: organisation.adminId,
        confirmed_at: new Date(completedAt.getTime() + HOUR_MS),
        hidden: work.hidden?.includes(word) ?? false,
      };
    });
    await trx('skill_confirmations').insert(rows);
    await trx('assignment_skills')
      .insert(rows.map((row) => ({ assignment_id: assignmentId, skill_id: row.skill_id })))
      .onConflict(['assignment_id', 'skill_id'])
      .ignore();
    confirmations += rows.length;
  }
  return confirmations;
}

/**
 * The skills these assignments ask for, read from their titles: a curated skill or certificate of the assignment's
 * category whose name or synonym (folded, at least five letters, so "ved" or "PA" match nothing by chance) is in the
 * folded title. At most three per assignment.
 */
export async function askForSkills(trx: Knex.Transaction, assignmentIds: readonly number[]): Promise<void> {
  if (assignmentIds.length === 0) return;
  const rows: Array<{ id: number; title: string }> = await trx('assignments').whereIn('id', assignmentIds).select('id', 'title');
  await trx.raw(
    `INSERT INTO assignment_skills (assignment_id, skill_id)
     SELECT id, skill_id FROM (
       SELECT a.id, s.id AS skill_id, row_number() OVER (PARTITION BY a.id ORDER BY s.id) AS n
       FROM json_to_recordset(CAST(? AS json)) AS t(id bigint, key text)
       JOIN assignments a ON a.id = t.id
       JOIN skills s ON s.category_id = a.category_id AND s.curated AND s.merged_into_id IS NULL
         AND s.kind IN ('skill', 'certificate')
         AND EXISTS (SELECT 1 FROM unnest(s.match_keys) k WHERE char_length(k) >= 5 AND position(k IN t.key) > 0)
     ) asked
     WHERE n <= 3
     ON CONFLICT (assignment_id, skill_id) DO NOTHING`,
    [JSON.stringify(rows.map((row) => ({ id: Number(row.id), key: foldedKey(row.title) })))],
  );
}

export interface HistoryResidentSkills {
  userId: number;
  /** The words of the history's profile (its category's typical words). */
  tags: readonly string[];
  visible: boolean;
}

const LEVELS: readonly DemoLevel[] = ['beginner', 'experienced', 'experienced', 'can_teach'];

/**
 * The history's residents: their words as skills (levels spread deterministically by position, so the history's
 * random sequence is left as it was), visible to organisations when the history made them visible, a fifth of
 * those to everyone, and a quarter of all in learning matches.
 */
export async function seedHistoryCompetence(trx: Knex.Transaction, residents: readonly HistoryResidentSkills[]): Promise<void> {
  if (residents.length === 0) return;
  const words = [...new Set(residents.flatMap((resident) => resident.tags))];
  const ids = await skillIds(trx, words, 'skill');
  const skillRows = residents.flatMap((resident, i) =>
    [...new Set(resident.tags.map((tag) => ids.get(tag)!))].map((skillId, j) => ({
      user_id: resident.userId,
      skill_id: skillId,
      level: LEVELS[(i * 7 + j * 3) % LEVELS.length],
    })),
  );
  for (let i = 0; i < skillRows.length; i += 500) await trx('resident_skills').insert(skillRows.slice(i, i + 500));
  const visibility = (resident: HistoryResidentSkills, i: number) =>
    !resident.visible ? 'hidden' : i % 5 === 0 ? 'public' : 'organisations';
  await trx.raw(
    `UPDATE resident_profiles p SET visibility = v.visibility, learning_matches = v.learning
     FROM json_to_recordset(CAST(? AS json)) AS v(user_id bigint, visibility text, learning boolean)
     WHERE p.user_id = v.user_id`,
    [
      JSON.stringify(
        residents.map((resident, i) => ({
          user_id: resident.userId,
          visibility: visibility(resident, i),
          learning: i % 4 === 0,
        })),
      ),
    ],
  );
  await enqueuePeopleIndexSync(
    trx,
    residents.map((resident) => resident.userId),
  );
}

/**
 * Confirmations on the history's completed work: the accepted workers' skills in the assignment's category,
 * confirmed by the organisation's admin an hour after completion; one assignment in three was left unconfirmed.
 * With the skills the history's assignments ask for, read from their titles.
 */
export async function seedHistoryConfirmations(trx: Knex.Transaction, assignmentIds: readonly number[]): Promise<void> {
  if (assignmentIds.length === 0) return;
  await askForSkills(trx, assignmentIds);
  await trx.raw(
    `INSERT INTO skill_confirmations (user_id, skill_id, assignment_id, organisation_id, confirmed_by_user_id, confirmed_at)
     SELECT ap.applicant_id, rs.skill_id, a.id, a.organisation_id,
       (SELECT m.user_id FROM organisation_members m WHERE m.organisation_id = a.organisation_id
         ORDER BY (m.role = 'admin') DESC, m.user_id LIMIT 1),
       LEAST(a.completed_at + interval '1 hour', now())
     FROM assignments a
     JOIN applications ap ON ap.assignment_id = a.id AND ap.status = 'accepted'
     JOIN resident_skills rs ON rs.user_id = ap.applicant_id
     JOIN skills s ON s.id = rs.skill_id AND s.category_id = a.category_id
     WHERE a.id = ANY(?) AND a.status = 'completed' AND a.id % 3 <> 0
     ON CONFLICT (assignment_id, user_id, skill_id) DO NOTHING`,
    [assignmentIds as number[]],
  );
}
