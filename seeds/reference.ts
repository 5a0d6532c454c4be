import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';
import { inTransaction } from '../src/platform/db.js';
import { slugify } from '../src/platform/slugify.js';
import { seedSkillVocabulary } from './skills.js';

// Reference data: counties, municipalities, localities (villages and towns with
// coordinates) and assignment categories. The CSV files under ./data are the
// project's own copies of public data; see ./data/NOTICE.md for sources and
// licences. Everything here is an idempotent upsert, because this runs after
// every migration so that corrections to the data reach existing databases.

const BATCH_SIZE = 500;

/** Categories in display order; sort_order is the position in this list (1-based). */
export const CATEGORIES: ReadonlyArray<{ slug: string; nameSv: string; nameEn: string }> = [
  { slug: 'snorojning', nameSv: 'Snöröjning', nameEn: 'Snow clearing' },
  { slug: 'tradgard', nameSv: 'Trädgård', nameEn: 'Garden' },
  { slug: 'bygg-och-reparation', nameSv: 'Bygg och reparation', nameEn: 'Building and repair' },
  { slug: 'stadning', nameSv: 'Städning', nameEn: 'Cleaning' },
  { slug: 'evenemang', nameSv: 'Evenemang', nameEn: 'Events' },
  { slug: 'transport', nameSv: 'Transport', nameEn: 'Transport' },
  { slug: 'omsorg-och-sallskap', nameSv: 'Omsorg och sällskap', nameEn: 'Care and company' },
  { slug: 'it-och-webb', nameSv: 'IT och webb', nameEn: 'IT and web' },
  { slug: 'kultur', nameSv: 'Kultur', nameEn: 'Culture' },
  { slug: 'skog-och-mark', nameSv: 'Skog och mark', nameEn: 'Forest and land' },
  { slug: 'vatten-och-fiske', nameSv: 'Vatten och fiske', nameEn: 'Water and fishing' },
  { slug: 'administration', nameSv: 'Administration', nameEn: 'Administration' },
  { slug: 'ovrigt', nameSv: 'Övrigt', nameEn: 'Other' },
];

/**
 * RFC 4180 CSV: quoted fields may contain commas, line breaks and doubled quotes.
 * Returns rows of raw string fields; a trailing empty line is ignored.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a BOM is not part of the first header

  for (; i < text.length; i += 1) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else {
          inQuotes = false;
        }
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      if (field !== '') throw new Error(`CSV: unexpected quote inside an unquoted field on row ${rows.length + 1}`);
      inQuotes = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (inQuotes) throw new Error('CSV: unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Parses a CSV with a header row into records, insisting on the columns we need. */
export function parseCsvRecords<K extends string>(
  text: string,
  required: readonly K[],
  source: string,
): Array<Record<K, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error(`${source}: empty file`);
  const index = new Map(header.map((name, i) => [name.trim(), i]));
  for (const column of required) {
    if (!index.has(column)) throw new Error(`${source}: missing column "${column}"`);
  }
  return rows
    .map((fields, rowNumber) => ({ fields, line: rowNumber + 2 }))
    .filter(({ fields }) => !(fields.length === 1 && fields[0] === ''))
    .map(({ fields, line }) => {
      if (fields.length !== header.length) {
        throw new Error(`${source}:${line}: expected ${header.length} fields, found ${fields.length}`);
      }
      const record = {} as Record<K, string>;
      for (const column of required) record[column] = (fields[index.get(column) as number] ?? '').trim();
      return record;
    });
}

export interface MunicipalityRow {
  code: string;
  name: string;
  shortName: string;
  countyCode: string;
  countyName: string;
  countyShortName: string;
}

export interface LocalityRow {
  name: string;
  municipalityCode: string;
  lat: number;
  lng: number;
}

async function readData(file: string): Promise<string> {
  // Relative to this module, not to the working directory the app was started in.
  return readFile(new URL(`./data/${file}`, import.meta.url), 'utf8');
}

export async function loadMunicipalities(): Promise<MunicipalityRow[]> {
  const source = 'seeds/data/municipalities.csv';
  const records = parseCsvRecords(
    await readData('municipalities.csv'),
    ['code', 'name', 'short_name', 'county_code', 'county_name', 'county_short_name'],
    source,
  );
  return records.map((r) => {
    if (!/^\d{4}$/.test(r.code)) throw new Error(`${source}: bad municipality code "${r.code}"`);
    if (!/^\d{2}$/.test(r.county_code)) throw new Error(`${source}: bad county code "${r.county_code}"`);
    return {
      code: r.code,
      name: r.name,
      shortName: r.short_name,
      countyCode: r.county_code,
      countyName: r.county_name,
      countyShortName: r.county_short_name,
    };
  });
}

export async function loadLocalities(): Promise<LocalityRow[]> {
  const source = 'seeds/data/localities.csv';
  const records = parseCsvRecords(await readData('localities.csv'), ['name', 'municipality_code', 'lat', 'lng'], source);
  return records.map((r) => {
    const lat = Number(r.lat);
    const lng = Number(r.lng);
    if (!r.name || !/^\d{4}$/.test(r.municipality_code) || !Number.isFinite(lat) || !Number.isFinite(lng)) {
      throw new Error(`${source}: bad row ${JSON.stringify(r)}`);
    }
    return { name: r.name, municipalityCode: r.municipality_code, lat, lng };
  });
}

/**
 * Gives every locality its slug: slugify(name) + '-' + slugify(municipality short
 * name), with '-2', '-3' … when that is taken. A locality that already has a slug
 * keeps it, so published URLs never change when the data file is corrected.
 */
export function assignLocalitySlugs(
  localities: readonly LocalityRow[],
  shortNameOf: ReadonlyMap<string, string>,
  existing: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const key = (l: { municipalityCode: string; name: string }) => `${l.municipalityCode}\u0000${l.name}`;
  const taken = new Set(existing.values());
  const slugs = new Map<string, string>();
  // A fixed order makes the '-2' suffixes the same on every fresh database.
  const ordered = [...localities].sort((a, b) =>
    a.municipalityCode === b.municipalityCode
      ? a.name < b.name
        ? -1
        : a.name > b.name
          ? 1
          : 0
      : a.municipalityCode < b.municipalityCode
        ? -1
        : 1,
  );
  for (const locality of ordered) {
    const k = key(locality);
    const kept = existing.get(k);
    if (kept) {
      slugs.set(k, kept);
      continue;
    }
    const shortName = shortNameOf.get(locality.municipalityCode);
    if (shortName === undefined)
      throw new Error(`Locality "${locality.name}" has unknown municipality ${locality.municipalityCode}`);
    const base = `${slugify(locality.name)}-${slugify(shortName)}`;
    let slug = base;
    for (let n = 2; taken.has(slug); n += 1) slug = `${base}-${n}`;
    taken.add(slug);
    slugs.set(k, slug);
  }
  return slugs;
}

async function upsertInBatches(
  trx: Knex.Transaction,
  table: string,
  rows: ReadonlyArray<Record<string, unknown>>,
  conflict: string[],
  merge: string[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    await trx(table)
      .insert(rows.slice(start, start + BATCH_SIZE))
      .onConflict(conflict)
      .merge(merge);
  }
}

export async function seedReference(db: Knex): Promise<void> {
  const [municipalities, localities] = await Promise.all([loadMunicipalities(), loadLocalities()]);

  const counties = new Map<string, { code: string; name: string; short_name: string }>();
  for (const m of municipalities)
    counties.set(m.countyCode, { code: m.countyCode, name: m.countyName, short_name: m.countyShortName });
  const shortNameOf = new Map(municipalities.map((m) => [m.code, m.shortName]));

  const seen = new Set<string>();
  for (const l of localities) {
    const k = `${l.municipalityCode}\u0000${l.name}`;
    if (seen.has(k)) throw new Error(`seeds/data/localities.csv: "${l.name}" appears twice in ${l.municipalityCode}`);
    seen.add(k);
  }

  await inTransaction(
    db,
    async (trx) => {
      await upsertInBatches(trx, 'counties', [...counties.values()], ['code'], ['name', 'short_name']);
      await upsertInBatches(
        trx,
        'municipalities',
        municipalities.map((m) => ({ code: m.code, name: m.name, short_name: m.shortName, county_code: m.countyCode })),
        ['code'],
        ['name', 'short_name', 'county_code'],
      );

      const existingRows: Array<{ municipality_code: string; name: string; slug: string }> = await trx('localities').select(
        'municipality_code',
        'name',
        'slug',
      );
      const existing = new Map(existingRows.map((r) => [`${r.municipality_code}\u0000${r.name}`, r.slug]));
      const slugs = assignLocalitySlugs(localities, shortNameOf, existing);
      await upsertInBatches(
        trx,
        'localities',
        localities.map((l) => ({
          municipality_code: l.municipalityCode,
          name: l.name,
          slug: slugs.get(`${l.municipalityCode}\u0000${l.name}`) as string,
          lat: l.lat,
          lng: l.lng,
        })),
        ['municipality_code', 'name'],
        ['lat', 'lng'],
      );

      await upsertInBatches(
        trx,
        'categories',
        CATEGORIES.map((c, i) => ({ slug: c.slug, name_sv: c.nameSv, name_en: c.nameEn, sort_order: i + 1 })),
        ['slug'],
        ['name_sv', 'name_en', 'sort_order'],
      );
      await seedSkillVocabulary(trx);
    },
    { databaseErrors: 'raw' },
  );
}
