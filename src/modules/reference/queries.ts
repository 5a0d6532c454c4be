import type { DbOrTrx } from '../../platform/db.js';

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
