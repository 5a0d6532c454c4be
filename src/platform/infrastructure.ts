import fs from 'node:fs';
import type { Config } from '../config.js';
import { parseDataKeys, type DataKeys } from './encryption.js';
import {
  acquireEmbeddedMeilisearch,
  findMeilisearchBinary,
  MEILISEARCH_HELP,
  type EmbeddedMeilisearch,
} from './embedded-meilisearch.js';
import { acquireEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import type { Logger } from './logger.js';
import { loadOrCreateSecrets, type EmbeddedSecrets } from './process-files.js';

// Turns the configuration into running servers: the ones named by
// DATABASE_URL / MEILI_HOST, or embedded ones under DATA_DIR. Shared by the
// web server and every CLI command, so they all find (or start) the same ones.

export const EMBEDDED_DATABASE_NAME = 'uppdragsbanken';

export interface Infrastructure {
  databaseUrl: string;
  /** Undefined when no Meilisearch can be had (no binary): search runs degraded. */
  search?: { host: string; apiKey?: string };
  sessionSecret: string;
  /**
   * DATA_ENCRYPTION_KEY, or the key generated into DATA_DIR/secrets.json in embedded mode. Undefined only with
   * external servers outside production and no DATA_ENCRYPTION_KEY: then nothing can be encrypted.
   */
  dataKeys?: DataKeys;
  mode: { database: 'embedded' | 'external'; search: 'embedded' | 'external' | 'unavailable' };
  /** True when this run created the embedded database: the place to load demo data. */
  createdDatabase: boolean;
  /** Stops the embedded servers this process started (borrowed ones keep running). */
  stop(): Promise<void>;
}

export async function startInfrastructure(
  config: Config,
  log: Logger,
  hooks: { onSearchRestart?: () => void } = {},
): Promise<Infrastructure> {
  const embedded = !config.databaseUrl || !config.meili.host || !config.sessionSecret;
  if (embedded) fs.mkdirSync(config.dataDir, { recursive: true });
  const secrets = embedded ? loadOrCreateSecrets(config.dataDir) : undefined;

  let postgres: EmbeddedPostgres | undefined;
  let meili: EmbeddedMeilisearch | undefined;
  const stop = async () => {
    await meili?.stop();
    await postgres?.stop();
  };

  try {
    let databaseUrl = config.databaseUrl;
    let createdDatabase = false;
    if (databaseUrl) {
      log.info('Database: external PostgreSQL from DATABASE_URL');
    } else {
      postgres = await acquireEmbeddedPostgres({ dataDir: config.dataDir, password: secrets!.postgresPassword }, log);
      createdDatabase = await postgres.ensureDatabase(EMBEDDED_DATABASE_NAME);
      databaseUrl = postgres.urlFor(EMBEDDED_DATABASE_NAME);
      log.info({ port: postgres.port }, `Database: embedded PostgreSQL in ${config.dataDir}/postgres`);
    }

    let search: Infrastructure['search'];
    let searchMode: Infrastructure['mode']['search'];
    if (config.meili.host) {
      search = { host: config.meili.host, apiKey: config.meili.apiKey };
      searchMode = 'external';
      log.info(`Search: external Meilisearch at ${config.meili.host}`);
    } else {
      const binary = findMeilisearchBinary({ bin: config.meili.bin, dataDir: config.dataDir });
      if (binary) {
        meili = await acquireEmbeddedMeilisearch(
          { binary, dataDir: config.dataDir, masterKey: secrets!.meiliMasterKey, onRestart: hooks.onSearchRestart },
          log,
        );
        search = { host: meili.host, apiKey: secrets!.meiliMasterKey };
        searchMode = 'embedded';
        log.info(`Search: embedded Meilisearch (${binary}) at ${meili.host}`);
      } else {
        searchMode = 'unavailable';
        log.warn(MEILISEARCH_HELP);
      }
    }

    return {
      databaseUrl,
      search,
      sessionSecret: config.sessionSecret ?? secrets!.sessionSecret,
      dataKeys: dataKeysFor(config, secrets, log),
      mode: { database: config.databaseUrl ? 'external' : 'embedded', search: searchMode },
      createdDatabase,
      stop,
    };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

function dataKeysFor(config: Config, secrets: EmbeddedSecrets | undefined, log: Logger): DataKeys | undefined {
  if (config.dataKeys) return config.dataKeys;
  if (secrets) return parseDataKeys(secrets.dataEncryptionKey);
  // External servers and no secrets file: a key made up here would be lost at the next start, and with it the data.
  log.warn('DATA_ENCRYPTION_KEY is not set: personal numbers cannot be stored, so enterprise accounts cannot be activated');
  return undefined;
}
