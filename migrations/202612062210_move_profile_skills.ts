import type { Knex } from 'knex';
import { seedSkillVocabulary } from '../seeds/skills.js';

// The free-text skills of the old profile (resident_profiles.skill_tags, typed on /konto/profil) move to the skills
// tables of issue 15 (202612062200_create_skills.ts): each tag becomes one of the resident's skills, matched to the
// vocabulary on its folded key, or a free tag (curated = false) when nothing matches. The old visibility switch
// (visible_to_organisations) was already carried into resident_profiles.visibility; both old columns go.
//
// The vocabulary. On an existing database this migration runs before the reference seed that adds the curated
// skills (platform/migrate.ts seeds after migrating), so the vocabulary may be missing. It is seeded here first, with
// the same idempotent upsert the reference seed runs right after, so a tag that is a synonym ("motorsåg", "körkort",
// "dari") finds its curated skill instead of becoming a free tag. The seed runs in a savepoint: should a later version
// of seeds/skills.ts ever write something this schema does not have yet, the tags still move, as free tags, and the
// reference seed afterwards turns a free tag whose slug is a curated slug into the curated skill (seeds/skills.ts);
// a tag that matched only a synonym would then stay free until an admin merges it. Acceptable either way.
//
// The folding is copied from src/platform/slugify.ts (foldedKey) as it was when this was written, so the
// migration keeps its meaning if that file changes.

function slugify(text: string, maxLength = 80): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, maxLength)
    .replace(/^-+|-+$/g, '');
}

const foldedKey = (text: string) => slugify(text, 200).replaceAll('-', '');

/** A tag as a skill's name: no control characters or angle brackets, one space between words, at most 60 characters. */
function cleanName(tag: string): string {
  return [
    ...tag
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f<>]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  ]
    .slice(0, 60)
    .join('')
    .trim();
}

export async function up(knex: Knex): Promise<void> {
  const { rows } = await knex.raw<{ rows: Array<{ user_id: string; skill_tags: string[] }> }>(
    `SELECT user_id, skill_tags FROM resident_profiles WHERE cardinality(skill_tags) > 0 ORDER BY user_id`,
  );
  const words = new Map<string, { slug: string; name: string; key: string }>(); // by folded key: the first spelling names it
  const pairs: Array<{ user_id: string; key: string }> = [];
  for (const row of rows) {
    for (const tag of row.skill_tags) {
      const name = cleanName(tag ?? '');
      const key = foldedKey(name);
      if (!key) continue; // only punctuation, or nothing at all
      if (!words.has(key)) words.set(key, { slug: slugify(name), name, key });
      pairs.push({ user_id: row.user_id, key });
    }
  }

  if (pairs.length > 0) {
    try {
      await knex.transaction((savepoint) => seedSkillVocabulary(savepoint));
    } catch {
      // The savepoint is rolled back; the tags move as free tags (see above).
    }
    const free = [...words.values()];
    // A free tag for each key no skill has: kind 'skill', its slug the slugified tag, its key the folded tag.
    await knex.raw(
      `INSERT INTO skills (slug, kind, name_sv, name_en, match_keys)
       SELECT w.slug, 'skill', w.name, w.name, ARRAY[w.key]
       FROM json_to_recordset(CAST(? AS json)) AS w(slug text, name text, key text)
       WHERE NOT EXISTS (SELECT 1 FROM skills s WHERE s.match_keys @> ARRAY[w.key])
       ON CONFLICT (slug) DO NOTHING`,
      [JSON.stringify(free)],
    );
    // Each key's skill (curated first, then live ones), followed through merges, and the residents who typed it.
    await knex.raw(
      `WITH RECURSIVE found AS (
         SELECT DISTINCT ON (w.key) w.key, s.id, s.merged_into_id, 0 AS depth
         FROM json_to_recordset(CAST(? AS json)) AS w(slug text, name text, key text)
         JOIN skills s ON s.match_keys @> ARRAY[w.key] OR s.slug = w.slug
         ORDER BY w.key, s.curated DESC, (s.merged_into_id IS NULL) DESC, s.id
       ), followed AS (
         SELECT key, id, merged_into_id, depth FROM found
         UNION ALL
         SELECT f.key, s.id, s.merged_into_id, f.depth + 1
         FROM followed f JOIN skills s ON s.id = f.merged_into_id
         WHERE f.depth < 10
       )
       INSERT INTO resident_skills (user_id, skill_id)
       SELECT DISTINCT p.user_id, f.id
       FROM json_to_recordset(CAST(? AS json)) AS p(user_id bigint, key text)
       JOIN followed f ON f.key = p.key AND f.merged_into_id IS NULL
       ON CONFLICT (user_id, skill_id) DO NOTHING`,
      [JSON.stringify(free), JSON.stringify(pairs)],
    );
  }

  await knex.raw(`ALTER TABLE resident_profiles DROP COLUMN skill_tags, DROP COLUMN visible_to_organisations`);
}

/**
 * The columns again, filled from the new tables: the skills' Swedish names in lower case (as the old form saved
 * them), and "seen by organisations" for any visibility but hidden. The skills rows stay (202612062200 drops them).
 */
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE resident_profiles
      ADD COLUMN skill_tags text[] NOT NULL DEFAULT '{}',
      ADD COLUMN visible_to_organisations boolean NOT NULL DEFAULT false;
    -- Skills can now be kept without a profile row; the old columns lived on that row.
    INSERT INTO resident_profiles (user_id) SELECT DISTINCT user_id FROM resident_skills ON CONFLICT (user_id) DO NOTHING;
    UPDATE resident_profiles p SET
      visible_to_organisations = p.visibility <> 'hidden',
      skill_tags = ARRAY(
        SELECT lower(s.name_sv) FROM resident_skills rs JOIN skills s ON s.id = rs.skill_id
        WHERE rs.user_id = p.user_id ORDER BY rs.created_at, s.name_sv
      );
  `);
}
