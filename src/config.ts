import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseDataKeys, type DataKeys } from './platform/encryption.js';

// The only module that reads the environment. Everything else receives a
// frozen Config. A bad value stops start-up with one line naming the variable.

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Configuration error: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['development', 'production', 'test'] as const;

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const urlWithProtocols = (protocols: string[], example: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine(
        (value) => {
          try {
            return protocols.includes(new URL(value).protocol);
          } catch {
            return false;
          }
        },
        `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')} (e.g. ${example})`,
      )
      .optional(),
  );

const OPENSTREETMAP_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

// Unset means OpenStreetMap's tiles; a blank value turns the map off (unlike the
// other settings, where blank means unset), for a site that may not use them.
// One server only: the CSP allows images from exactly its origin.
const tileUrl = z.preprocess(
  (value) => (value === undefined ? OPENSTREETMAP_TILES : typeof value === 'string' ? value.trim() : value),
  z.string().refine((value) => {
    if (value === '') return true;
    try {
      const url = new URL(value);
      return (
        ['http:', 'https:'].includes(url.protocol) &&
        // A plain host name keeps the origin a valid CSP source ({s} or ; would not be).
        /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])$/.test(url.hostname) &&
        !url.username &&
        !url.password &&
        ['{z}', '{x}', '{y}'].every((part) => value.slice(url.origin.length).includes(part))
      );
    } catch {
      return false;
    }
  }, `must be empty (no map) or an http(s) URL of one tile server with {z}, {x} and {y} in its path (e.g. ${OPENSTREETMAP_TILES})`),
);

const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    (value) => (blankToUndefined(value) === undefined ? String(fallback) : value),
    z.enum(['true', 'false', '1', '0'], { message: 'must be true or false' }).transform((v) => v === 'true' || v === '1'),
  );

const schema = z.object({
  NODE_ENV: z.preprocess(
    blankToUndefined,
    z.enum(NODE_ENVS, { message: `must be one of ${NODE_ENVS.join(', ')}` }).default('development'),
  ),
  PORT: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: 'must be a whole number between 0 and 65535' })
      .int('must be a whole number between 0 and 65535')
      .min(0, 'must be a whole number between 0 and 65535')
      .max(65535, 'must be a whole number between 0 and 65535')
      .default(3000),
  ),
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./data')),
  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://user:password@localhost:5432/uppdragsbanken'),
  MEILI_HOST: urlWithProtocols(['http:', 'https:'], 'http://127.0.0.1:7700'),
  MEILI_MASTER_KEY: z.preprocess(blankToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  MEILI_API_KEY: z.preprocess(blankToUndefined, z.string().optional()),
  MEILI_INDEX_PREFIX: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{0,40}$/, 'may hold only letters, digits, - and _ (at most 40)')
      .default('ub_'),
  ),
  MEILI_BIN: z.preprocess(blankToUndefined, z.string().optional()),
  SESSION_SECRET: z.preprocess(blankToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  DATA_ENCRYPTION_KEY: z.preprocess(
    blankToUndefined,
    z
      .string()
      .transform((value, context) => {
        try {
          return parseDataKeys(value);
        } catch (error) {
          context.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      })
      .optional(),
  ),
  PUBLIC_URL: urlWithProtocols(['http:', 'https:'], 'https://uppdragsbanken.example.se'),
  SMTP_URL: urlWithProtocols(['smtp:', 'smtps:'], 'smtp://user:password@mail.example.se:587'),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  RUN_WORKER: booleanFlag(true),
  TRUST_PROXY: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: 'must be a whole number of proxies between 0 and 10' })
      .int('must be a whole number of proxies between 0 and 10')
      .min(0, 'must be a whole number of proxies between 0 and 10')
      .max(10, 'must be a whole number of proxies between 0 and 10')
      .optional(),
  ),
  PDF_WORKERS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: 'must be a whole number of threads between 0 and 64' })
      .int('must be a whole number of threads between 0 and 64')
      .min(0, 'must be a whole number of threads between 0 and 64')
      .max(64, 'must be a whole number of threads between 0 and 64')
      .optional(),
  ),
  MAP_TILE_URL: tileUrl,
  MAP_TILE_ATTRIBUTION: z.preprocess(
    blankToUndefined,
    z.string().max(200, 'must be at most 200 characters').default('© OpenStreetMap contributors'),
  ),
  // Object storage (platform/s3-storage.ts). Unset S3_BUCKET: uploads stay on local disk.
  S3_BUCKET: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        'must be a bucket name of 3 to 63 lower-case letters, digits, . and - (e.g. uppdragsbanken)',
      )
      .optional(),
  ),
  S3_ENDPOINT: urlWithProtocols(['http:', 'https:'], 'http://minio:9000'),
  S3_REGION: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/, 'must be a region name of lower-case letters, digits and - (e.g. eu-north-1)')
      .default('us-east-1'),
  ),
  S3_ACCESS_KEY_ID: z.preprocess(blankToUndefined, z.string().optional()),
  S3_SECRET_ACCESS_KEY: z.preprocess(blankToUndefined, z.string().optional()),
  // No default here: it depends on S3_ENDPOINT (see loadConfig).
  S3_FORCE_PATH_STYLE: z.preprocess(
    blankToUndefined,
    z
      .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
      .transform((v) => v === 'true' || v === '1')
      .optional(),
  ),
  S3_PREFIX: z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(200, 'must be at most 200 characters')
      .regex(
        /^(?:[A-Za-z0-9_-]+\/)+$/,
        'may hold only letters, digits, -, _ and /, with no empty folder, and must end with / (e.g. uppdragsbanken/)',
      )
      .optional(),
  ),
});

const S3_VARIABLES = [
  'S3_ENDPOINT',
  'S3_REGION',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'S3_FORCE_PATH_STYLE',
  'S3_PREFIX',
] as const;

/** Uploads as files under DATA_DIR/uploads: the embedded default, one machine. */
export interface DiskStorageSettings {
  readonly kind: 'disk';
  /** Absolute path. */
  readonly root: string;
}

/** Uploads as objects in an S3-compatible bucket: several app processes or machines share them. */
export interface S3StorageSettings {
  readonly kind: 's3';
  readonly bucket: string;
  /** A self-hosted server (MinIO…); undefined = AWS. */
  readonly endpoint?: string;
  readonly region: string;
  /** Undefined: the SDK's default credential chain (AWS_* variables, instance role…). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly forcePathStyle: boolean;
  /** '' or folders ending with '/', put before every key. */
  readonly prefix: string;
}

export type StorageSettings = DiskStorageSettings | S3StorageSettings;

export interface Config {
  readonly env: (typeof NODE_ENVS)[number];
  readonly isProduction: boolean;
  readonly port: number;
  /** Absolute path. */
  readonly dataDir: string;
  /** Unset: embedded PostgreSQL under dataDir/postgres. */
  readonly databaseUrl?: string;
  readonly meili: {
    /** Unset: embedded Meilisearch under dataDir/meilisearch. */
    readonly host?: string;
    /** MEILI_MASTER_KEY, else MEILI_API_KEY; generated in embedded mode. */
    readonly apiKey?: string;
    readonly indexPrefix: string;
    readonly bin?: string;
  };
  /** Generated and kept under dataDir in embedded mode when unset. */
  readonly sessionSecret?: string;
  /**
   * DATA_ENCRYPTION_KEY, `id:base64key[,id:base64key…]` (the first encrypts; all decrypt): personal data at rest
   * (platform/encryption.ts). Generated and kept under dataDir in embedded mode when unset; required in production.
   */
  readonly dataKeys?: DataKeys;
  readonly publicUrl: string;
  readonly smtpUrl?: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Run the job worker inside the web process (default) or only via `npm run worker`. */
  readonly runWorker: boolean;
  /**
   * How many reverse proxies stand before the app: the client's address is read that
   * many hops back in X-Forwarded-For (per-address rate limits, logs). 0 = none.
   */
  readonly trustProxy: number;
  /** Worker threads that render PDFs beside the requests; 0 renders them in the thread that asks. */
  readonly pdfWorkers: number;
  /** The map on the posting form; undefined when MAP_TILE_URL is blank. */
  readonly map?: {
    /** A Leaflet tile URL template ({z}/{x}/{y}). */
    readonly tileUrl: string;
    /** The only origin the CSP lets images come from besides the site itself. */
    readonly tileOrigin: string;
    /** Plain text shown on the map, as the tile server's licence asks. */
    readonly attribution: string;
  };
  /** Where uploaded files (logos, CVs, attachments, receipts) live: S3_BUCKET set → S3, else disk. */
  readonly storage: StorageSettings;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(variable, `${issue.message} (got ${describe(variable, env[variable])})`);
  }
  const v = parsed.data;
  const isProduction = v.NODE_ENV === 'production';

  if (isProduction) {
    // Embedded mode may generate its own secrets; a production deployment must not
    // depend on a file that a redeploy can lose.
    if (!v.SESSION_SECRET) throw new ConfigError('SESSION_SECRET', 'must be set when NODE_ENV=production');
    // Losing it loses every encrypted personnummer: it belongs with the deployment's other secrets, not in a file.
    if (!v.DATA_ENCRYPTION_KEY) throw new ConfigError('DATA_ENCRYPTION_KEY', 'must be set when NODE_ENV=production');
    if (!v.PUBLIC_URL) throw new ConfigError('PUBLIC_URL', 'must be set when NODE_ENV=production');
    if (v.MEILI_HOST && !v.MEILI_MASTER_KEY && !v.MEILI_API_KEY) {
      throw new ConfigError('MEILI_MASTER_KEY', 'or MEILI_API_KEY must be set when MEILI_HOST is set and NODE_ENV=production');
    }
  }
  const dataDir = path.resolve(v.DATA_DIR);
  return Object.freeze({
    env: v.NODE_ENV,
    isProduction,
    port: v.PORT,
    dataDir,
    databaseUrl: v.DATABASE_URL,
    meili: Object.freeze({
      host: v.MEILI_HOST,
      apiKey: v.MEILI_MASTER_KEY ?? v.MEILI_API_KEY,
      indexPrefix: v.MEILI_INDEX_PREFIX,
      bin: v.MEILI_BIN,
    }),
    sessionSecret: v.SESSION_SECRET,
    dataKeys: v.DATA_ENCRYPTION_KEY,
    publicUrl: (v.PUBLIC_URL ?? `http://localhost:${v.PORT}`).replace(/\/+$/, ''),
    smtpUrl: v.SMTP_URL,
    logLevel: v.LOG_LEVEL,
    runWorker: v.RUN_WORKER,
    // Production is served over HTTPS through a proxy (see README): one hop unless told otherwise.
    trustProxy: v.TRUST_PROXY ?? (isProduction ? 1 : 0),
    pdfWorkers: v.PDF_WORKERS ?? os.availableParallelism(),
    map: v.MAP_TILE_URL
      ? Object.freeze({
          tileUrl: v.MAP_TILE_URL,
          tileOrigin: new URL(v.MAP_TILE_URL).origin,
          attribution: v.MAP_TILE_ATTRIBUTION,
        })
      : undefined,
    storage: storageSettings(v, env, dataDir),
  });
}

function storageSettings(v: z.infer<typeof schema>, env: NodeJS.ProcessEnv, dataDir: string): StorageSettings {
  if (!v.S3_BUCKET) {
    // An S3 setting without a bucket is a half-done deployment: uploads would quietly land on one machine's disk.
    const stray = S3_VARIABLES.find((name) => blankToUndefined(env[name]) !== undefined);
    if (stray) throw new ConfigError('S3_BUCKET', `must be set when ${stray} is set (or unset ${stray} to keep uploads on disk)`);
    return Object.freeze({ kind: 'disk', root: path.join(dataDir, 'uploads') });
  }
  if (Boolean(v.S3_ACCESS_KEY_ID) !== Boolean(v.S3_SECRET_ACCESS_KEY)) {
    const missing = v.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
    const given = v.S3_ACCESS_KEY_ID ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY';
    throw new ConfigError(missing, `must be set when ${given} is set (both, or neither for the default credential chain)`);
  }
  return Object.freeze({
    kind: 's3',
    bucket: v.S3_BUCKET,
    endpoint: v.S3_ENDPOINT,
    region: v.S3_REGION,
    credentials:
      v.S3_ACCESS_KEY_ID && v.S3_SECRET_ACCESS_KEY
        ? Object.freeze({ accessKeyId: v.S3_ACCESS_KEY_ID, secretAccessKey: v.S3_SECRET_ACCESS_KEY })
        : undefined,
    // Self-hosted servers seldom have a DNS name per bucket (bucket.minio:9000); AWS wants virtual-host style.
    forcePathStyle: v.S3_FORCE_PATH_STYLE ?? v.S3_ENDPOINT !== undefined,
    prefix: v.S3_PREFIX ?? '',
  });
}

// Values that may carry passwords are never echoed, only measured.
const SECRET_VARIABLES = new Set([
  'DATABASE_URL',
  'MEILI_MASTER_KEY',
  'MEILI_API_KEY',
  'SESSION_SECRET',
  'DATA_ENCRYPTION_KEY',
  'SMTP_URL',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
]);

/** Shows a bad value without echoing secrets or huge strings into the log. */
function describe(variable: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  if (SECRET_VARIABLES.has(variable) || value.length > 60) return `a ${value.length}-character value`;
  // Any URL may carry user:password@ (MEILI_HOST, PUBLIC_URL…): mask it.
  return JSON.stringify(value.replace(/\/\/[^/@]*@/, '//***@'));
}
