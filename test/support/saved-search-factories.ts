import type { DbOrTrx } from '../../src/platform/db.js';

// Saved searches written straight to the database, for tests about what
// follows (alerts, unsubscribe, ownership); saving through the form is tested
// in test/saved-searches/saved-searches.test.ts.

let sequence = 0;

export async function createSavedSearch(
  db: DbOrTrx,
  overrides: { userId: number; query?: string; name?: string; frequency?: 'instant' | 'daily' | 'off'; createdAt?: Date },
): Promise<number> {
  const [row] = await db('saved_searches')
    .insert({
      user_id: overrides.userId,
      name: overrides.name ?? `Bevakning ${++sequence}`,
      query: overrides.query ?? '',
      frequency: overrides.frequency ?? 'instant',
      ...(overrides.createdAt ? { created_at: overrides.createdAt, checked_until: overrides.createdAt } : {}),
    })
    .returning<{ id: number }[]>('id');
  return row!.id;
}
