import type { DbOrTrx } from '../../platform/db.js';
import {
  selectCategories,
  selectLocalities,
  selectMunicipalities,
  type Category,
  type Locality,
  type Municipality,
} from './queries.js';

export type { Category, Locality, Municipality };

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
