import type { DbOrTrx } from '../../platform/db.js';

export const FREQUENCIES = ['instant', 'daily', 'off'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface SavedSearchRow {
  id: number;
  user_id: number;
  name: string;
  query: string;
  frequency: Frequency;
  created_at: Date;
  updated_at: Date;
  checked_until: Date;
  last_mailed_at: Date | null;
}

export function selectOwnSavedSearches(db: DbOrTrx, userId: number): Promise<SavedSearchRow[]> {
  return db('saved_searches').where('user_id', userId).orderBy('id').select('*') as Promise<SavedSearchRow[]>;
}

export async function selectOwnSavedSearch(db: DbOrTrx, userId: number, id: number): Promise<SavedSearchRow | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  return (await db('saved_searches').where({ id, user_id: userId }).first()) as SavedSearchRow | undefined;
}

export async function insertSavedSearch(
  db: DbOrTrx,
  row: Pick<SavedSearchRow, 'user_id' | 'name' | 'query' | 'frequency'>,
): Promise<number> {
  const [inserted] = await db('saved_searches').insert(row).returning<{ id: number }[]>('id');
  return inserted!.id;
}
