import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateDataKeySpec } from './encryption.js';

// Small, dependency-free helpers for the processes that embedded mode manages
// under DATA_DIR: pid/lock files, run files, generated secrets and free ports.

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (e.g. the postgres user).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends `signal`, then waits up to `timeoutMs` for the process to go; SIGKILL after that. */
export async function stopProcess(pid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (!isProcessAlive(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return;
    await sleep(50);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function readJsonFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function writeJsonFile(file: string, value: unknown, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n', { mode });
  fs.renameSync(tmp, file);
}

export class AlreadyRunningError extends Error {
  constructor(
    readonly pid: number,
    dataDir: string,
  ) {
    super(
      `Uppdragsbanken is already running on DATA_DIR ${dataDir} (process ${pid}). ` +
        'Stop it first, or give this one its own DATA_DIR.',
    );
    this.name = 'AlreadyRunningError';
  }
}

/**
 * Takes DATA_DIR/run/app.pid for the web app. A pid file whose process is gone
 * (the app was killed with kill -9) is taken over; a live one is refused.
 * Returns a release function.
 */
export function acquireAppLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'run', 'app.pid');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = readPid(file);
      if (pid !== undefined && pid !== process.pid && isProcessAlive(pid)) throw new AlreadyRunningError(pid, dataDir);
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not take the lock file ${file}`);
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface EmbeddedSecrets {
  sessionSecret: string;
  meiliMasterKey: string;
  postgresPassword: string;
  /** A DATA_ENCRYPTION_KEY value (platform/encryption.ts). Losing the file loses what it encrypted: back it up. */
  dataEncryptionKey: string;
}

/**
 * Secrets for embedded mode: generated on first start and kept in
 * DATA_DIR/secrets.json (mode 0600; DATA_DIR is git-ignored).
 */
export function loadOrCreateSecrets(dataDir: string): EmbeddedSecrets {
  const file = path.join(dataDir, 'secrets.json');
  const existing = readJsonFile<Partial<EmbeddedSecrets>>(file) ?? {};
  const secrets: EmbeddedSecrets = {
    sessionSecret: existing.sessionSecret ?? randomBytes(32).toString('base64url'),
    meiliMasterKey: existing.meiliMasterKey ?? randomBytes(24).toString('base64url'),
    postgresPassword: existing.postgresPassword ?? randomBytes(18).toString('base64url'),
    dataEncryptionKey: existing.dataEncryptionKey ?? generateDataKeySpec(),
  };
  if (JSON.stringify(existing) !== JSON.stringify(secrets)) writeJsonFile(file, secrets);
  return secrets;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not find a free port'));
      });
    });
  });
}

/** The last lines of a log file, to explain why a child process failed. */
export function tailFile(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
