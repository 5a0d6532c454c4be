import type { Knex } from 'knex';
import { foldedKey, slugify } from '../src/platform/slugify.js';

// The curated skill vocabulary (issue 15): what residents pick from and organisations search by. Three kinds:
// skills (with the assignment category they mostly belong to), certificates and licences (which may expire), and
// languages. Synonyms are other words and spellings people type for the same thing; a typed word is matched on its
// folded key (platform/slugify.ts), so "motorsag" and "Motorsåg" need no synonym of their own. Words that match
// nothing are kept as the resident's free tags, which an admin can merge into one of these.
//
// Seeded after every migration (platform/migrate.ts) like the other reference data: a name or synonym added here
// reaches existing databases. Synonyms an admin merged in are kept (the seed adds, never removes).

export type SkillKind = 'skill' | 'certificate' | 'language';

export interface VocabularySkill {
  kind: SkillKind;
  nameSv: string;
  nameEn: string;
  /** An assignment category slug (seeds/reference.ts). */
  category?: string;
  synonyms?: readonly string[];
}

const skill = (nameSv: string, nameEn: string, category: string, synonyms: readonly string[] = []): VocabularySkill => ({
  kind: 'skill',
  nameSv,
  nameEn,
  category,
  synonyms,
});
const certificate = (nameSv: string, nameEn: string, synonyms: readonly string[] = [], category?: string): VocabularySkill => ({
  kind: 'certificate',
  nameSv,
  nameEn,
  category,
  synonyms,
});
const language = (nameSv: string, nameEn: string, synonyms: readonly string[] = []): VocabularySkill => ({
  kind: 'language',
  nameSv,
  nameEn,
  synonyms,
});

export const SKILL_VOCABULARY: readonly VocabularySkill[] = [
  skill('Snöskottning', 'Snow shovelling', 'snorojning', ['skotta snö', 'snöskottare', 'takskottning']),
  skill('Snöröjning med traktor', 'Snow clearing by tractor', 'snorojning', ['plogning', 'snöplogning']),
  skill('Gräsklippning', 'Lawn mowing', 'tradgard', ['klippa gräs', 'gräsklippare']),
  skill('Trädgårdsskötsel', 'Gardening', 'tradgard', ['trädgårdsarbete', 'rabatter', 'ogräsrensning']),
  skill('Häckklippning', 'Hedge trimming', 'tradgard', ['klippa häck']),
  skill('Snickeri', 'Carpentry', 'bygg-och-reparation', ['snickare', 'träarbete', 'bygga']),
  skill('Målning', 'Painting', 'bygg-och-reparation', ['måla', 'målare', 'fasadmålning']),
  skill('Takarbete', 'Roofing', 'bygg-och-reparation', ['taktäckning', 'takläggning']),
  skill('Murning', 'Masonry', 'bygg-och-reparation', ['murare', 'mura']),
  skill('Reparationer', 'Repairs', 'bygg-och-reparation', ['fixare', 'reparera', 'underhåll']),
  skill('Städning', 'Cleaning', 'stadning', ['städa', 'lokalvård', 'storstädning']),
  skill('Fönsterputs', 'Window cleaning', 'stadning', ['putsa fönster', 'fönstertvätt']),
  skill('Evenemangsplanering', 'Event planning', 'evenemang', ['arrangera', 'eventplanering']),
  skill('Servering', 'Serving', 'evenemang', ['servera', 'servitör', 'servitris']),
  skill('Matlagning', 'Cooking', 'evenemang', ['laga mat', 'kock', 'catering']),
  skill('Bakning', 'Baking', 'evenemang', ['baka', 'bagare']),
  skill('Ljud och ljus', 'Sound and lighting', 'evenemang', ['ljudtekniker', 'ljustekniker', 'PA']),
  skill('Körning med släp', 'Driving with a trailer', 'transport', ['släpvagn', 'köra släp']),
  skill('Flytthjälp', 'Moving help', 'transport', ['flytt', 'bära', 'flyttning']),
  skill('Budkörning', 'Courier driving', 'transport', ['bud', 'leveranser']),
  skill('Ledsagning', 'Escorting', 'omsorg-och-sallskap', ['ledsagare', 'följeslagare']),
  skill('Sällskap för äldre', 'Company for the elderly', 'omsorg-och-sallskap', ['äldreomsorg', 'besöksvän']),
  skill('Barnpassning', 'Childminding', 'omsorg-och-sallskap', ['barnvakt', 'passa barn']),
  skill('Hundpassning', 'Dog sitting', 'omsorg-och-sallskap', ['hundvakt', 'rasta hund']),
  skill('Datorhjälp', 'Computer help', 'it-och-webb', ['datorsupport', 'it-support', 'IT-hjälp']),
  skill('Webbsidor', 'Websites', 'it-och-webb', ['hemsida', 'webbplats', 'wordpress']),
  skill('Sociala medier', 'Social media', 'it-och-webb', ['facebook', 'instagram']),
  skill('Fotografering', 'Photography', 'kultur', ['fotograf', 'foto']),
  skill('Musik', 'Music', 'kultur', ['musiker', 'spela', 'sång']),
  skill('Hantverk', 'Handicraft', 'kultur', ['slöjd', 'täljning', 'vävning']),
  skill('Guidning', 'Guiding', 'kultur', ['guide', 'visning']),
  skill('Vedhuggning', 'Firewood chopping', 'skog-och-mark', ['hugga ved', 'vedklyvning', 'ved']),
  skill('Trädfällning', 'Tree felling', 'skog-och-mark', ['fälla träd', 'fällning', 'avverkning']),
  skill('Röjning', 'Clearing brush', 'skog-och-mark', ['sly', 'slyröjning', 'röjsåg']),
  skill('Plantering', 'Planting', 'skog-och-mark', ['plantera', 'skogsplantering']),
  skill('Stängsling', 'Fencing', 'skog-och-mark', ['stängsel', 'sätta stängsel', 'hägnad']),
  skill('Bärplockning', 'Berry picking', 'skog-och-mark', ['plocka bär', 'blåbär', 'lingon']),
  skill('Fiske', 'Fishing', 'vatten-och-fiske', ['fiskare', 'nätfiske']),
  skill('Båtvård', 'Boat care', 'vatten-och-fiske', ['båt', 'båtunderhåll']),
  skill('Bryggbygge', 'Jetty building', 'vatten-och-fiske', ['brygga', 'bygga brygga']),
  skill('Bokföring', 'Bookkeeping', 'administration', ['redovisning', 'kassör', 'ekonomi']),
  skill('Föreningsadministration', 'Association administration', 'administration', ['sekreterare', 'protokoll']),
  skill('Bidragsansökningar', 'Grant applications', 'administration', ['söka bidrag', 'projektansökan']),
  certificate(
    'Motorsågskörkort',
    'Chainsaw licence',
    ['motorsåg', 'motorsågskort', 'motorsågskörkort AB', 'motorsågsförare'],
    'skog-och-mark',
  ),
  certificate('Röjsågskörkort', 'Clearing saw licence', ['röjsågskort'], 'skog-och-mark'),
  certificate('B-körkort', 'Driving licence B', ['körkort', 'bilkörkort', 'körkort B']),
  certificate('BE-körkort', 'Driving licence BE', ['släpkörkort', 'körkort BE']),
  certificate('C-körkort', 'Driving licence C', ['lastbilskörkort', 'körkort C']),
  certificate('Traktorkort', 'Tractor licence', ['traktorkörkort']),
  certificate('Truckkort', 'Forklift licence', ['truckkörkort', 'truckförarbevis']),
  certificate('Hygienintyg', 'Food hygiene certificate', ['livsmedelshygien', 'hygienutbildning'], 'evenemang'),
  certificate('Första hjälpen', 'First aid', ['HLR', 'hjärt-lungräddning'], 'omsorg-och-sallskap'),
  certificate('Heta arbeten', 'Hot work certificate', ['heta arbeten-certifikat'], 'bygg-och-reparation'),
  certificate('Ställningsbehörighet', 'Scaffolding certificate', ['ställningsbyggare'], 'bygg-och-reparation'),
  certificate('Fallskyddsutbildning', 'Fall protection training', ['fallskydd'], 'bygg-och-reparation'),
  certificate('Förarbevis för båt', 'Boat driving certificate', ['båtkörkort', 'förarintyg'], 'vatten-och-fiske'),
  certificate('Jägarexamen', 'Hunting licence', ['jaktkort'], 'skog-och-mark'),
  language('Svenska', 'Swedish'),
  language('Engelska', 'English'),
  language('Finska', 'Finnish'),
  language('Meänkieli', 'Meänkieli', ['tornedalsfinska']),
  language('Samiska', 'Sámi', ['nordsamiska', 'sydsamiska', 'lulesamiska', 'sámegiella']),
  language('Arabiska', 'Arabic'),
  language('Tigrinja', 'Tigrinya'),
  language('Somaliska', 'Somali'),
  language('Persiska', 'Persian', ['farsi', 'dari']),
  language('Ukrainska', 'Ukrainian'),
  language('Tyska', 'German'),
  language('Polska', 'Polish'),
  language('Teckenspråk', 'Swedish Sign Language', ['svenskt teckenspråk']),
];

/** The slug and folded match keys of a vocabulary entry: its Swedish and English names and its synonyms. */
export function vocabularyRow(entry: VocabularySkill) {
  const words = [entry.nameSv, entry.nameEn, ...(entry.synonyms ?? [])];
  return {
    slug: slugify(entry.nameSv),
    kind: entry.kind,
    name_sv: entry.nameSv,
    name_en: entry.nameEn,
    category: entry.category ?? null,
    synonyms: [...(entry.synonyms ?? [])],
    match_keys: [...new Set(words.map(foldedKey).filter(Boolean))],
  };
}

/**
 * Adds or updates the curated vocabulary. A free tag with the same slug (a resident typed the word before it was
 * curated) becomes the curated skill, keeping its residents. Synonyms and match keys are joined with those already
 * there (an admin's merges), never replaced.
 */
export async function seedSkillVocabulary(db: Knex): Promise<void> {
  const rows = SKILL_VOCABULARY.map(vocabularyRow);
  const slugs = new Set<string>();
  for (const row of rows) {
    if (slugs.has(row.slug)) throw new Error(`seeds/skills.ts: two entries have the slug ${row.slug}`);
    slugs.add(row.slug);
  }
  await db.raw(
    `INSERT INTO skills (slug, kind, name_sv, name_en, category_id, synonyms, match_keys, curated)
     SELECT v.slug, v.kind, v.name_sv, v.name_en, c.id, v.synonyms, v.match_keys, true
     FROM json_to_recordset(CAST(? AS json))
       AS v(slug text, kind text, name_sv text, name_en text, category text, synonyms text[], match_keys text[])
     LEFT JOIN categories c ON c.slug = v.category
     ON CONFLICT (slug) DO UPDATE SET
       kind = EXCLUDED.kind,
       name_sv = EXCLUDED.name_sv,
       name_en = EXCLUDED.name_en,
       category_id = EXCLUDED.category_id,
       synonyms = ARRAY(SELECT DISTINCT unnest(skills.synonyms || EXCLUDED.synonyms) ORDER BY 1),
       match_keys = ARRAY(SELECT DISTINCT unnest(skills.match_keys || EXCLUDED.match_keys) ORDER BY 1),
       curated = true`,
    [JSON.stringify(rows)],
  );
}
