// Municipalities, localities and categories: the vocabulary every module shares. They change only with
// a migration or the reference seed (seeds/reference.ts), so they live here beside the other shared kits
// rather than in a module: web/'s view helpers and every module read them without importing each other.

import type { DbOrTrx } from './db.js';

export interface Category {
  id: number;
  slug: string;
  nameSv: string;
  nameEn: string;
}

export interface Municipality {
  code: string;
  name: string;
  shortName: string;
  countyName: string;
}

export interface Locality {
  id: number;
  slug: string;
  name: string;
  municipalityCode: string;
  lat: number;
  lng: number;
}

export async function selectCategories(db: DbOrTrx): Promise<Category[]> {
  return db('categories')
    .select({ id: 'id', slug: 'slug', nameSv: 'name_sv', nameEn: 'name_en' })
    .orderBy([{ column: 'sort_order' }, { column: 'id' }]);
}

export async function selectMunicipalities(db: DbOrTrx): Promise<Municipality[]> {
  return db('municipalities as m')
    .join('counties as c', 'c.code', 'm.county_code')
    .select({ code: 'm.code', name: 'm.name', shortName: 'm.short_name', countyName: 'c.name' })
    .orderBy('m.short_name');
}

export async function selectLocalities(db: DbOrTrx): Promise<Locality[]> {
  return db('localities')
    .select({ id: 'id', slug: 'slug', name: 'name', municipalityCode: 'municipality_code', lat: 'lat', lng: 'lng' })
    .orderBy('name');
}

/**
 * Municipalities, localities and categories change only with a migration or a
 * reference seed, so the app reads them once at start and keeps them in memory:
 * filters are validated against them without a query per request.
 */
export interface ReferenceData {
  categories: Category[];
  categoryBySlug: ReadonlyMap<string, Category>;
  municipalities: Municipality[];
  municipalityByCode: ReadonlyMap<string, Municipality>;
  localityBySlug: ReadonlyMap<string, Locality>;
  localitiesOf(municipalityCode: string): Locality[];
}

export async function loadReferenceData(db: DbOrTrx): Promise<ReferenceData> {
  const [categories, municipalities, localities] = await Promise.all([
    selectCategories(db),
    selectMunicipalities(db),
    selectLocalities(db),
  ]);
  const byMunicipality = new Map<string, Locality[]>();
  for (const locality of localities) {
    const list = byMunicipality.get(locality.municipalityCode) ?? [];
    list.push(locality);
    byMunicipality.set(locality.municipalityCode, list);
  }
  return {
    categories,
    categoryBySlug: new Map(categories.map((c) => [c.slug, c])),
    municipalities,
    municipalityByCode: new Map(municipalities.map((m) => [m.code, m])),
    localityBySlug: new Map(localities.map((l) => [l.slug, l])),
    localitiesOf: (code) => byMunicipality.get(code) ?? [],
  };
}
