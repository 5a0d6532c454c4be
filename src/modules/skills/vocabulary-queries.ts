import type { DbOrTrx } from '../../platform/db.js';
import { foldedKey, slugify } from '../../platform/slugify.js';

// The skill vocabulary (migrations/202612062200_create_skills.ts, seeds/skills.ts): matching a typed word to a skill,
// and free tags for words that match nothing.

export type SkillKind = 'skill' | 'certificate' | 'language';
export const SKILL_KINDS: readonly SkillKind[] = ['skill', 'certificate', 'language'];

export interface SkillRow {
  id: number;
  slug: string;
  kind: SkillKind;
  nameSv: string;
  nameEn: string;
  /** The assignment category slug it mostly belongs to, if any. */
  categorySlug: string | null;
  synonyms: string[];
  curated: boolean;
}

const SKILL_COLUMNS = `s.id, s.slug, s.kind, s.name_sv AS "nameSv", s.name_en AS "nameEn", c.slug AS "categorySlug",
  s.synonyms, s.curated`;

/** The skills to pick from, by kind, category (in the categories' own order) and Swedish name: curated, not merged. */
export async function selectCuratedSkills(db: DbOrTrx): Promise<SkillRow[]> {
  const { rows } = await db.raw<{ rows: SkillRow[] }>(
    `SELECT ${SKILL_COLUMNS} FROM skills s LEFT JOIN categories c ON c.id = s.category_id
     WHERE s.curated AND s.merged_into_id IS NULL
     ORDER BY s.kind, c.sort_order NULLS LAST, s.name_sv COLLATE "sv-SE-x-icu"`,
  );
  return rows;
}

/**
 * The skill each typed word stands for, by its folded key: a curated skill whose name or synonym folds the same,
 * else a free tag with that key, made now if no one typed it before. A merged skill answers with the one it was
 * merged into. Words that fold to nothing (only punctuation) are left out of the answer.
 */
export async function resolveTypedSkills(db: DbOrTrx, words: readonly string[], kind: SkillKind): Promise<Map<string, SkillRow>> {
  const wanted = [...new Set(words.map((word) => word.trim()).filter((word) => foldedKey(word) !== ''))];
  const resolved = new Map<string, SkillRow>();
  if (wanted.length === 0) return resolved;
  const free = wanted.map((word) => ({ slug: slugify(word), name: word, key: foldedKey(word) }));
  // A free tag is named as its first writer typed it; a second spelling folds to the same key and finds it.
  await db.raw(
    `INSERT INTO skills (slug, kind, name_sv, name_en, match_keys)
     SELECT w.slug, ?, w.name, w.name, ARRAY[w.key]
     FROM json_to_recordset(CAST(? AS json)) AS w(slug text, name text, key text)
     WHERE NOT EXISTS (SELECT 1 FROM skills s WHERE s.match_keys @> ARRAY[w.key])
     ON CONFLICT (slug) DO NOTHING`,
    [kind, JSON.stringify(free)],
  );
  const { rows } = await db.raw<{ rows: Array<SkillRow & { key: string }> }>(
    `WITH RECURSIVE found AS (
       SELECT DISTINCT ON (w.key) w.key, s.id, s.merged_into_id, 0 AS depth
       FROM json_to_recordset(CAST(? AS json)) AS w(slug text, name text, key text)
       JOIN skills s ON s.match_keys @> ARRAY[w.key] OR s.slug = w.slug
       -- A curated skill before a free tag, a live one before a merged one.
       ORDER BY w.key, s.curated DESC, (s.merged_into_id IS NULL) DESC, s.id
     ), followed AS (
       SELECT key, id, merged_into_id, depth FROM found
       UNION ALL
       SELECT f.key, s.id, s.merged_into_id, f.depth + 1
       FROM followed f JOIN skills s ON s.id = f.merged_into_id
       WHERE f.depth < 10
     )
     SELECT f.key, ${SKILL_COLUMNS}
     FROM followed f JOIN skills s ON s.id = f.id LEFT JOIN categories c ON c.id = s.category_id
     WHERE f.merged_into_id IS NULL`,
    [JSON.stringify(free)],
  );
  const byKey = new Map(rows.map(({ key, ...skill }) => [key, skill]));
  for (const word of free) {
    const skill = byKey.get(word.key);
    if (skill) resolved.set(word.name, skill);
  }
  return resolved;
}
