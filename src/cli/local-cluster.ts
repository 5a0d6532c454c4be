import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../platform/logger.js';
import { stopProcess, tailFile } from '../platform/process-files.js';
import { startAppServer, type AppServer } from './bench-harness.js';

// A scaled-out deployment on one machine: N app processes (`src/server.ts`,
// NODE_ENV=production, RUN_WORKER=false) and M job workers (`src/cli/worker.ts`,
// what `npm run worker` runs) on one PostgreSQL and one Meilisearch, optionally
// with files in an S3 bucket — what the docker-compose picture runs, minus the
// proxy. The multi-process test (test/app/multi-process.test.ts) and the load
// benchmark (npm run bench:load) both start it. Every process shares the secrets
// a real deployment shares (session secret, data key, public URL): a session
// made by one app must be readable by the others.
//
// Also here: ProxiedClient, a browser behind a TLS-terminating proxy as the apps
// see it (cookies, X-Forwarded-Proto), over node:http with keep-alive.

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** The JSON lines a process wrote to its log file so far (lines that are not JSON come back as plain messages). */
export function readLogLines(logFile: string): LogLine[] {
  const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        return { level: 30, msg: line };
      }
    });
}

export interface ClusterProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Its own DATA_DIR: empty unless something wrote files to the local disk. */
  dataDir: string;
  lines(): LogLine[];
  stop(): Promise<void>;
}

export interface ClusterApp extends ClusterProcess {
  url: string;
}

export interface LocalCluster {
  apps: ClusterApp[];
  workers: ClusterProcess[];
  /** What every process was started with (secrets included): for starting one more later. */
  env: Record<string, string>;
  /** Starts one more worker on the same servers (e.g. to show that two workers still run each job once). */
  addWorker(): Promise<ClusterProcess>;
  /** Stops every process: apps first (no new jobs), then the workers. */
  stop(): Promise<void>;
}

export interface LocalClusterOptions {
  /** Log files (`<name>.log`) and each process's DATA_DIR (`<name>/`) go here. */
  workDir: string;
  databaseUrl: string;
  meili: { host: string; apiKey?: string; indexPrefix: string };
  /** How many app processes (default 2). */
  apps?: number;
  /** How many worker processes (default 1). */
  workers?: number;
  /** Added to every process's environment and winning over the defaults: S3_*, SMTP_URL, LOG_LEVEL… */
  env?: Record<string, string>;
  log: Logger;
  /** Processes still running; the caller's Ctrl-C handler may stop them. */
  children?: Set<ChildProcess>;
}

async function startWorkerProcess(options: {
  name: string;
  workDir: string;
  env: Record<string, string>;
  log: Logger;
  children: Set<ChildProcess>;
}): Promise<ClusterProcess> {
  const { name, workDir, log, children } = options;
  const dataDir = path.join(workDir, name);
  fs.mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(workDir, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'worker.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env, DATA_DIR: dataDir },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  children.add(child);
  const stop = async () => {
    // SIGTERM: the worker finishes the jobs it holds and releases its locks before it exits.
    if (child.pid !== undefined) await stopProcess(child.pid, 'SIGTERM', 15_000);
    children.delete(child);
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The ${name} process exited (${child.exitCode}):\n${tailFile(logFile)}`);
    if (readLogLines(logFile).some((line) => line.msg.startsWith('Worker running'))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The ${name} process did not start within 3 minutes:\n${tailFile(logFile)}`);
    }
    await sleep(100);
  }
  log.info({ logFile }, `${name} up`);
  return { name, pid: child.pid!, logFile, dataDir, lines: () => readLogLines(logFile), stop };
}

/**
 * Starts the processes and resolves once every app answers /healthz and every worker says it runs. The first app
 * starts alone (with the workers): it migrates and builds the search index if missing, so the other apps find both
 * ready instead of building the same index at the same moment.
 */
export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const { workDir, log } = options;
  const children = options.children ?? new Set<ChildProcess>();
  fs.mkdirSync(workDir, { recursive: true });
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: options.databaseUrl,
    MEILI_HOST: options.meili.host,
    ...(options.meili.apiKey ? { MEILI_MASTER_KEY: options.meili.apiKey } : {}),
    MEILI_INDEX_PREFIX: options.meili.indexPrefix,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: `cluster:${randomBytes(32).toString('base64')}`,
    // The address of the proxy the apps stand behind: one for all of them, as in links in mails.
    PUBLIC_URL: 'https://uppdragsbanken.test',
    RUN_WORKER: 'false',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const apps: ClusterApp[] = [];
  const workers: ClusterProcess[] = [];
  let workerCount = 0;

  const startApp = async (index: number): Promise<ClusterApp> => {
    const name = `app-${String.fromCharCode(97 + index)}`;
    const server: AppServer = await startAppServer({ name, workDir, databaseUrl: options.databaseUrl, env, log, children });
    return {
      name,
      pid: server.pid,
      url: server.url,
      logFile: server.logFile,
      dataDir: path.join(workDir, name),
      lines: () => readLogLines(server.logFile),
      stop: server.stop,
    };
  };
  const addWorker = async () => {
    const worker = await startWorkerProcess({ name: `worker-${++workerCount}`, workDir, env, log, children });
    workers.push(worker);
    return worker;
  };
  const stop = async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await Promise.all(workers.map((worker) => worker.stop()));
  };

  try {
    const appCount = options.apps ?? 2;
    const [first] = await Promise.all([startApp(0), ...Array.from({ length: options.workers ?? 1 }, () => addWorker())]);
    apps.push(first as ClusterApp);
    apps.push(...(await Promise.all(Array.from({ length: appCount - 1 }, (_, i) => startApp(i + 1)))));
  } catch (error) {
    for (const child of children) if (child.pid !== undefined) await stopProcess(child.pid, 'SIGTERM', 15_000);
    throw error;
  }
  return { apps, workers, env, addWorker, stop };
}

// ---------------------------------------------------------------------------
// A client as the apps see it behind a TLS-terminating proxy.

export interface ClientResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface ClientRequest {
  method?: string;
  /** Sent url-encoded, as an HTML form posts. */
  form?: Record<string, string>;
  /** A raw body with its content type (e.g. multipart). */
  body?: { bytes: Buffer; contentType: string };
  headers?: Record<string, string>;
}

/**
 * One browser: its cookies (the session) travel with it from app to app, the way a load balancer without sticky
 * sessions sends one person's requests to any process. Every request says X-Forwarded-Proto: https (the apps
 * trust one proxy in production, and the session cookie is Secure) and, when given, the client's address in
 * X-Forwarded-For. Node's fetch is not used: it stalls ~40 ms on some larger answers (see bench-search.ts).
 */
export class ProxiedClient {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly agent: http.Agent,
    private readonly forwardedFor?: string,
  ) {}

  request(baseUrl: string, requestPath: string, init: ClientRequest = {}): Promise<ClientResponse> {
    const body = init.form
      ? { bytes: Buffer.from(new URLSearchParams(init.form).toString()), contentType: 'application/x-www-form-urlencoded' }
      : init.body;
    const headers: Record<string, string> = {
      'X-Forwarded-Proto': 'https',
      ...(this.forwardedFor ? { 'X-Forwarded-For': this.forwardedFor } : {}),
      ...(this.cookies.size ? { Cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {}),
      ...(body ? { 'Content-Type': body.contentType, 'Content-Length': String(body.bytes.length) } : {}),
      ...init.headers,
    };
    return new Promise((resolve, reject) => {
      const request = http.request(
        new URL(requestPath, baseUrl),
        { method: init.method ?? (body ? 'POST' : 'GET'), headers, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            this.remember(response.headers['set-cookie'] ?? []);
            const bytes = Buffer.concat(chunks);
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: bytes,
              get text() {
                return bytes.toString('utf8');
              },
            });
          });
        },
      );
      request.on('error', reject);
      request.end(body?.bytes);
    });
  }

  get(baseUrl: string, requestPath: string): Promise<ClientResponse> {
    return this.request(baseUrl, requestPath);
  }

  private remember(setCookies: string[]) {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      const name = pair.slice(0, equals).trim();
      const expired = attributes.some(
        (attribute) =>
          /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(attribute) ||
          (/^\s*expires\s*=/i.test(attribute) && Date.parse(attribute.split('=')[1] ?? '') <= Date.now()),
      );
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(equals + 1).trim());
    }
  }
}

/** The CSRF token of the first form in a page. */
export const csrfTokenIn = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
