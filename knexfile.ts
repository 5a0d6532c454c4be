import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';

// Migration settings shared by the app (src/platform/db.ts) and the knex CLI.
// `npm run migrate` is the supported command: it also works in embedded mode
// (it starts or finds the embedded PostgreSQL). The knex CLI needs DATABASE_URL.

const root = path.dirname(fileURLToPath(import.meta.url));

export const migrations: Knex.MigratorConfig = {
  directory: path.join(root, 'migrations'),
  loadExtensions: ['.ts'],
  tableName: 'knex_migrations',
};

const config: Knex.Config = {
  client: 'pg',
  // The knex CLI is an operator tool: it may read the environment directly.
  connection: process.env.DATABASE_URL,
  migrations,
};

export default config;
