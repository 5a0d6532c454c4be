import type { DbOrTrx } from '../../platform/db.js';

// The skills an assignment asks for (assignment_skills, issue 15: the demand beside the residents' supply), read
// here with this module's own query: the skills module sits above assignments and is not imported by it. Posting
// writes them (through the skills module's vocabulary); the assignment's page shows them as tags.

export interface AskedSkill {
  slug: string;
  nameSv: string;
  nameEn: string;
}

/** The skills the assignment asks for, by Swedish name; a merged skill shows as the one it was merged into. */
export async function selectAskedSkills(db: DbOrTrx, assignmentId: number): Promise<AskedSkill[]> {
  const { rows } = await db.raw<{ rows: AskedSkill[] }>(
    `SELECT DISTINCT ON (shown.id) shown.slug, shown.name_sv AS "nameSv", shown.name_en AS "nameEn"
     FROM assignment_skills ask
     JOIN skills s ON s.id = ask.skill_id
     JOIN skills shown ON shown.id = coalesce(s.merged_into_id, s.id)
     WHERE ask.assignment_id = ?
     ORDER BY shown.id`,
    [assignmentId],
  );
  return rows.sort((a, b) => a.nameSv.localeCompare(b.nameSv, 'sv'));
}

/** The asked-for skills as the posting form shows them again: the names, comma-separated. */
export async function askedSkillsText(db: DbOrTrx, assignmentId: number): Promise<string> {
  return (await selectAskedSkills(db, assignmentId)).map((skill) => skill.nameSv).join(', ');
}
