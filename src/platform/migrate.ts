import { seedReference } from '../../seeds/reference.js';
import type { Db } from './db.js';
import { migrateJobQueue } from './jobs.js';
import type { Logger } from './logger.js';

/**
 * Brings a database to the current schema: our knex migrations, graphile-worker's
 * own schema, and the reference data (municipalities, localities, categories),
 * which is upserted on every run so corrections to it reach existing databases.
 */
export async function migrateToLatest(db: Db, connectionString: string, log: Logger): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  if (applied.length > 0) log.info({ migrations: applied }, `Applied ${applied.length} migration(s)`);
  await migrateJobQueue(connectionString, log);
  await seedReference(db);
  return applied;
}
