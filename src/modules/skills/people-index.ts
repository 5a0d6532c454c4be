import type { Knex } from 'knex';
import type { Settings } from 'meilisearch';
import type { DbOrTrx } from '../../platform/db.js';
import type { Meilisearch } from '../../platform/meilisearch.js';
import { foldDiacritics, SWEDISH_STOP_WORDS } from '../search/index.js';
import type { SkillKind } from './vocabulary-queries.js';

// The one adapter for people in Meilisearch (the /kompetens search): index name, settings, rows → document and the
// loaders. One document per resident whose competence profile is not hidden and who shows at least one skill,
// certificate (not expired), language or offer. The document holds ONLY what the person card shows and who may see
// it: the public id (the primary key; no user id), the name, villages, availability, skills with level and number
// of confirmations, and the offers' titles. Never an e-mail, phone, address, birth date or personnummer.

export function peopleIndexName(prefix: string): string {
  return `${prefix}people`;
}

export const LEVELS = ['beginner', 'experienced', 'can_teach'] as const;
export type Level = (typeof LEVELS)[number];
export type Visibility = 'organisations' | 'public';

export const PEOPLE_INDEX_SETTINGS = {
  searchableAttributes: ['skillNames', 'skillSynonyms', 'offerTitles', 'villageNames', 'municipalityNames', 'availability'],
  filterableAttributes: [
    'visibility',
    'kinds',
    'skillSlugs',
    'categorySlugs',
    'municipalityCodes',
    'localitySlugs',
    'levels',
    'confirmed',
  ],
  sortableAttributes: ['confirmedCount', 'id'],
  // As the assignments' index (search/assignment-index.ts, measured in docs/search-relevance.md): no Swedish locale,
  // so å, ä and ö fold alike in documents and queries ("motorsag" finds "motorsåg").
  localizedAttributes: null,
  // The vocabulary's own synonyms are in each document (skillSynonyms): "motorsåg" finds Motorsågskörkort without a
  // synonyms setting, and the PostgreSQL engine matches the very same words.
  synonyms: {},
  stopWords: [...SWEDISH_STOP_WORDS],
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
  faceting: { maxValuesPerFacet: 300 },
  facetSearch: false,
  pagination: { maxTotalHits: 10_000 },
} satisfies Settings;

export interface PersonSkill {
  slug: string;
  kind: SkillKind;
  nameSv: string;
  nameEn: string;
  level: Level | null;
  /** Confirmations by organisations after completed work (those the resident hid are not counted). */
  confirmations: number;
  /** A certificate's last valid day (YYYY-MM-DD), or null. */
  expiresOn: string | null;
}

export interface PersonVillage {
  slug: string;
  name: string;
  municipalityCode: string;
}

export interface PersonDocument {
  /** The profile's public id (uuid): the card's URL, and the index's primary key. */
  id: string;
  name: string;
  visibility: Visibility;
  availability: string;
  villages: PersonVillage[];
  /** Skills first, then certificates, then languages; within a kind confirmed and higher levels first. */
  skills: PersonSkill[];
  offerTitles: string[];
  // Search and filter fields, all derived from the above.
  skillNames: string[];
  skillSynonyms: string[];
  villageNames: string[];
  municipalityNames: string[];
  kinds: SkillKind[];
  skillSlugs: string[];
  categorySlugs: string[];
  municipalityCodes: string[];
  localitySlugs: string[];
  levels: Level[];
  confirmed: boolean;
  confirmedCount: number;
}

interface PersonRow {
  user_id: number;
  public_id: string;
  visibility: 'hidden' | Visibility;
  availability: string;
  name: string;
  villages: Array<{ slug: string; name: string; municipalityCode: string; municipalityName: string }>;
  offers: string[];
  skills: Array<{
    slug: string;
    kind: SkillKind;
    nameSv: string;
    nameEn: string;
    synonyms: string[];
    categorySlug: string | null;
    level: Level | null;
    expiresOn: string | null;
    confirmations: number;
  }>;
}

// Every profile row with what its card shows, built in one statement. Skills a resident listed (certificates only
// until their expiry) and skills organisations confirmed (not hidden) count alike; a merged vocabulary entry counts
// as the one it was merged into.
const PERSON_ROWS = `
  SELECT rp.user_id, rp.public_id::text AS public_id, rp.visibility, rp.availability, u.name,
    COALESCE((
      SELECT json_agg(json_build_object('slug', l.slug, 'name', l.name, 'municipalityCode', l.municipality_code,
                                        'municipalityName', m.short_name) ORDER BY l.name, l.slug)
      FROM resident_localities rl JOIN localities l ON l.id = rl.locality_id
        JOIN municipalities m ON m.code = l.municipality_code
      WHERE rl.user_id = rp.user_id), '[]'::json) AS villages,
    COALESCE((SELECT json_agg(o.title ORDER BY o.created_at, o.id) FROM resident_offers o WHERE o.user_id = rp.user_id),
      '[]'::json) AS offers,
    COALESCE((
      SELECT json_agg(json_build_object('slug', s.slug, 'kind', s.kind, 'nameSv', s.name_sv, 'nameEn', s.name_en,
                                        'synonyms', s.synonyms, 'categorySlug', c.slug, 'level', e.level,
                                        'expiresOn', e.expires_on, 'confirmations', e.confirmations))
      FROM (
        SELECT x.skill_id,
          (array_agg(x.level ORDER BY x.rank DESC) FILTER (WHERE x.level IS NOT NULL))[1] AS level,
          to_char(max(x.expires_on), 'YYYY-MM-DD') AS expires_on,
          count(x.confirmation_id)::int AS confirmations
        FROM (
          SELECT COALESCE(k.merged_into_id, k.id) AS skill_id, rs.level,
            CASE rs.level WHEN 'can_teach' THEN 3 WHEN 'experienced' THEN 2 WHEN 'beginner' THEN 1 ELSE 0 END AS rank,
            rs.expires_on, NULL::bigint AS confirmation_id
          FROM resident_skills rs JOIN skills k ON k.id = rs.skill_id
          WHERE rs.user_id = rp.user_id AND (rs.expires_on IS NULL OR rs.expires_on >= CURRENT_DATE)
          UNION ALL
          SELECT COALESCE(k.merged_into_id, k.id), NULL, 0, NULL, sc.id
          FROM skill_confirmations sc JOIN skills k ON k.id = sc.skill_id
          WHERE sc.user_id = rp.user_id AND NOT sc.hidden
        ) x GROUP BY x.skill_id
      ) e JOIN skills s ON s.id = e.skill_id LEFT JOIN categories c ON c.id = s.category_id), '[]'::json) AS skills
  FROM resident_profiles rp JOIN users u ON u.id = rp.user_id`;

const KIND_ORDER: Record<SkillKind, number> = { skill: 0, certificate: 1, language: 2 };
const LEVEL_RANK: Record<string, number> = { can_teach: 3, experienced: 2, beginner: 1 };
const unique = <T>(values: T[]): T[] => [...new Set(values)];
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The document for a profile row, or undefined when it must not be in the index (hidden, or nothing to show). */
export function toPersonDocument(row: PersonRow): PersonDocument | undefined {
  if (row.visibility === 'hidden') return undefined;
  const skills: PersonSkill[] = row.skills
    .map((skill) => ({
      slug: skill.slug,
      kind: skill.kind,
      nameSv: skill.nameSv,
      nameEn: skill.nameEn,
      level: skill.level,
      confirmations: Number(skill.confirmations),
      expiresOn: skill.expiresOn,
    }))
    .sort(
      (a, b) =>
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
        Number(b.confirmations > 0) - Number(a.confirmations > 0) ||
        (LEVEL_RANK[b.level ?? ''] ?? 0) - (LEVEL_RANK[a.level ?? ''] ?? 0) ||
        byText(a.slug, b.slug),
    );
  if (skills.length === 0 && row.offers.length === 0) return undefined;
  const categories = row.skills.map((skill) => skill.categorySlug).filter((slug): slug is string => slug !== null);
  return {
    id: row.public_id,
    name: row.name,
    visibility: row.visibility,
    availability: row.availability,
    villages: row.villages.map(({ slug, name, municipalityCode }) => ({ slug, name, municipalityCode })),
    skills,
    offerTitles: row.offers,
    skillNames: unique(skills.flatMap((skill) => [skill.nameSv, skill.nameEn])),
    skillSynonyms: unique(
      row.skills
        .slice()
        .sort((a, b) => byText(a.slug, b.slug))
        .flatMap((skill) => skill.synonyms),
    ),
    villageNames: unique(row.villages.map((village) => village.name)),
    municipalityNames: unique(row.villages.map((village) => village.municipalityName)),
    kinds: unique(skills.map((skill) => skill.kind)).sort((a, b) => KIND_ORDER[a] - KIND_ORDER[b]),
    skillSlugs: skills.map((skill) => skill.slug),
    categorySlugs: unique(categories).sort(byText),
    municipalityCodes: unique(row.villages.map((village) => village.municipalityCode)).sort(byText),
    localitySlugs: unique(row.villages.map((village) => village.slug)).sort(byText),
    levels: LEVELS.filter((level) => skills.some((skill) => skill.level === level)),
    confirmed: skills.some((skill) => skill.confirmations > 0),
    confirmedCount: skills.reduce((sum, skill) => sum + skill.confirmations, 0),
  };
}

async function personRows(db: DbOrTrx, where: string, bindings: Knex.RawBinding[]): Promise<PersonRow[]> {
  const { rows } = (await db.raw(`${PERSON_ROWS} WHERE ${where}`, bindings)) as { rows: PersonRow[] };
  return rows;
}

/** The document for one resident, or undefined when they should not be in the index. */
export async function loadPersonDocument(db: DbOrTrx, userId: number): Promise<PersonDocument | undefined> {
  const [row] = await personRows(db, 'rp.user_id = ?', [userId]);
  return row ? toPersonDocument(row) : undefined;
}

/** The documents of those of these public ids that should be in the index. */
export async function loadPersonDocumentsByPublicId(db: DbOrTrx, publicIds: readonly string[]): Promise<PersonDocument[]> {
  const valid = publicIds.filter((id) => UUID.test(id));
  if (valid.length === 0) return [];
  const rows = await personRows(db, `rp.public_id::text = ANY(?::text[]) ORDER BY rp.public_id`, [[...valid]]);
  return rows.map(toPersonDocument).filter((document): document is PersonDocument => document !== undefined);
}

/** Every indexable person whose visibility is one of these (the PostgreSQL engine's candidates). */
export async function loadVisiblePersonDocuments(db: DbOrTrx, visibilities: readonly Visibility[]): Promise<PersonDocument[]> {
  if (visibilities.length === 0) return [];
  const rows = await personRows(db, `rp.visibility = ANY(?::text[]) ORDER BY rp.public_id`, [[...visibilities]]);
  return rows.map(toPersonDocument).filter((document): document is PersonDocument => document !== undefined);
}

/** Every indexable person, in public id order, `batchSize` profiles at a time. */
export async function* loadPersonDocumentBatches(db: DbOrTrx, batchSize = 1000): AsyncGenerator<PersonDocument[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await personRows(db, `rp.visibility <> 'hidden' AND rp.public_id > ?::uuid ORDER BY rp.public_id LIMIT ?`, [
      after,
      batchSize,
    ]);
    if (rows.length === 0) return;
    yield rows.map(toPersonDocument).filter((document): document is PersonDocument => document !== undefined);
    after = rows[rows.length - 1]!.public_id;
  }
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Creates the index `uid` if missing and applies the settings. */
export async function ensurePeopleIndexWithSettings(client: Meilisearch, uid: string): Promise<void> {
  const created = await client.createIndex(uid, { primaryKey: 'id' }).waitTask({ timeout: 30_000 });
  if (created.status === 'failed' && created.error?.code !== 'index_already_exists') {
    throw new Error(`Could not create index ${uid}: ${created.error?.message}`);
  }
  const updated = await client.index(uid).updateSettings(PEOPLE_INDEX_SETTINGS).waitTask({ timeout: 120_000 });
  if (updated.status === 'failed') throw new Error(`Could not apply settings to ${uid}: ${updated.error?.message}`);
}

/** The words of a text as both engines compare them: folded (no case, no å/ä/ö accents), split on anything else. */
export function foldedWords(text: string): string[] {
  return foldDiacritics(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}
