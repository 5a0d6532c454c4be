import type { DbOrTrx } from '../../platform/db.js';
import type { SkillKind } from './vocabulary-queries.js';

// The vocabulary as platform admins keep it (issue 15, item 1): free tags with how many residents use them, and
// merging one skill into another.

export interface VocabularyEntry {
  id: number;
  kind: SkillKind;
  nameSv: string;
  nameEn: string;
  curated: boolean;
  synonyms: string[];
  /** Residents who have it as a skill, certificate or language, or want to learn it. */
  residents: number;
}

/** Every skill that was not merged into another, by kind and name, with how many residents use it. */
export async function selectVocabulary(db: DbOrTrx): Promise<VocabularyEntry[]> {
  const { rows } = await db.raw<{ rows: VocabularyEntry[] }>(
    `SELECT s.id, s.kind, s.name_sv AS "nameSv", s.name_en AS "nameEn", s.curated, s.synonyms,
            (SELECT count(*)::int FROM (
               SELECT user_id FROM resident_skills WHERE skill_id = s.id
               UNION SELECT user_id FROM resident_learning_wishes WHERE skill_id = s.id) u) AS residents
     FROM skills s
     WHERE s.merged_into_id IS NULL
     ORDER BY s.kind, s.name_sv COLLATE "sv-SE-x-icu", s.id`,
  );
  return rows;
}

export interface MergeSkill {
  id: number;
  kind: SkillKind;
  nameSv: string;
  curated: boolean;
  mergedIntoId: number | null;
}

/** The skills, locked until the transaction ends when `lock` (two merges never interleave). */
export async function selectMergeSkills(db: DbOrTrx, ids: number[], lock = false): Promise<Map<number, MergeSkill>> {
  const rows = (await db('skills')
    .whereIn('id', ids)
    .orderBy('id')
    .modify((query) => {
      if (lock) void query.forUpdate();
    })
    .select({ id: 'id', kind: 'kind', nameSv: 'name_sv', curated: 'curated', mergedIntoId: 'merged_into_id' })) as MergeSkill[];
  return new Map(rows.map((row) => [row.id, row]));
}

/** Residents whose card shows the skill (as a skill, wish or confirmation). */
export async function selectUsersOfSkill(db: DbOrTrx, skillId: number): Promise<number[]> {
  const { rows } = await db.raw<{ rows: Array<{ user_id: number }> }>(
    `SELECT user_id FROM resident_skills WHERE skill_id = :id
     UNION SELECT user_id FROM resident_learning_wishes WHERE skill_id = :id
     UNION SELECT user_id FROM skill_confirmations WHERE skill_id = :id`,
    { id: skillId },
  );
  return rows.map((row) => Number(row.user_id));
}

/**
 * Moves every use of `fromId` to `intoId`: residents' skills (where both are held: the higher level and the later
 * expiry), learning wishes, confirmations and assignments' skills (where both are there, the target's row stays);
 * the target learns the merged skill's name, synonyms and match keys; the merged skill points to the target, as do
 * the skills merged into it before.
 */
export async function mergeSkillRows(db: DbOrTrx, fromId: number, intoId: number): Promise<void> {
  const ids = { from: fromId, into: intoId };
  await db.raw(
    `INSERT INTO resident_skills (user_id, skill_id, level, expires_on, created_at)
     SELECT user_id, :into, level, expires_on, created_at FROM resident_skills WHERE skill_id = :from
     ON CONFLICT (user_id, skill_id) DO UPDATE SET
       level = CASE
         WHEN array_position(ARRAY['beginner', 'experienced', 'can_teach'], EXCLUDED.level)
              > coalesce(array_position(ARRAY['beginner', 'experienced', 'can_teach'], resident_skills.level), 0)
         THEN EXCLUDED.level ELSE resident_skills.level END,
       expires_on = GREATEST(resident_skills.expires_on, EXCLUDED.expires_on)`,
    ids,
  );
  await db.raw('DELETE FROM resident_skills WHERE skill_id = :from', ids);
  await db.raw(
    `INSERT INTO resident_learning_wishes (user_id, skill_id, created_at)
     SELECT user_id, :into, created_at FROM resident_learning_wishes WHERE skill_id = :from
     ON CONFLICT DO NOTHING`,
    ids,
  );
  await db.raw('DELETE FROM resident_learning_wishes WHERE skill_id = :from', ids);
  await db.raw(
    `UPDATE skill_confirmations c SET skill_id = :into
     WHERE c.skill_id = :from AND NOT EXISTS (
       SELECT 1 FROM skill_confirmations t
       WHERE t.assignment_id = c.assignment_id AND t.user_id = c.user_id AND t.skill_id = :into)`,
    ids,
  );
  await db.raw('DELETE FROM skill_confirmations WHERE skill_id = :from', ids);
  await db.raw(
    `INSERT INTO assignment_skills (assignment_id, skill_id)
     SELECT assignment_id, :into FROM assignment_skills WHERE skill_id = :from
     ON CONFLICT DO NOTHING`,
    ids,
  );
  await db.raw('DELETE FROM assignment_skills WHERE skill_id = :from', ids);
  await db.raw(
    `UPDATE skills t SET
       synonyms = ARRAY(
         SELECT DISTINCT ON (lower(word)) word FROM unnest(t.synonyms || f.name_sv || f.synonyms) WITH ORDINALITY AS w(word, n)
         WHERE lower(word) <> lower(t.name_sv)
         ORDER BY lower(word), n),
       match_keys = ARRAY(SELECT DISTINCT key FROM unnest(t.match_keys || f.match_keys) AS k(key) ORDER BY key)
     FROM skills f
     WHERE t.id = :into AND f.id = :from`,
    ids,
  );
  await db.raw('UPDATE skills SET merged_into_id = :into WHERE id = :from OR merged_into_id = :from', ids);
}
