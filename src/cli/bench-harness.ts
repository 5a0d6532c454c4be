import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as prettier from 'prettier';
import { loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { findFreePort, stopProcess, tailFile } from '../platform/process-files.js';
import type { Runtime } from '../runtime.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

// What the benchmark commands (bench-search.ts, bench-billing.ts, bench-stats.ts) share: a throwaway embedded DATA_DIR, cleanup
// in reverse order also after Ctrl-C, and the description of the machine for docs/PERFORMANCE.md.

export interface BenchmarkRun {
  config: Config;
  log: Logger;
  workDir: string;
  /** Steps to undo, run last first (app servers before the database and search they use). */
  cleanups: Array<() => Promise<void>>;
}

/**
 * Runs `benchmark` on its own embedded servers in a temporary folder, removed at the end or on SIGINT/SIGTERM.
 * `beforeCleanup` runs first when stopping (e.g. child processes the benchmark started).
 */
export async function runBenchmark(
  options: { tmpPrefix: string; env?: Record<string, string>; beforeCleanup?: () => Promise<void> },
  benchmark: (run: BenchmarkRun) => Promise<void>,
): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix));
  // mkdtemp makes a 0700 directory; the postgres system user (used when running as root) must enter it.
  fs.chmodSync(workDir, 0o755);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: path.join(workDir, 'data'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    ...options.env,
  });
  const log = createLogger(config);
  const cleanups: Array<() => Promise<void>> = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await options.beforeCleanup?.();
      for (const cleanup of cleanups.reverse())
        await cleanup().catch((error: unknown) => log.warn({ err: error }, 'cleanup step failed'));
      fs.rmSync(workDir, { recursive: true, force: true });
    })());
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    log.warn(`${signal}: stopping the benchmark and removing its data`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await benchmark({ config, log, workDir, cleanups });
  } catch (error) {
    // After Ctrl-C the steps under way fail as their servers go: that is no error of the benchmark.
    if (!interrupted) log.fatal({ err: error }, (error as Error).message);
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}

/** The machine a measurement ran on. */
export function machine() {
  const cpu = fs.existsSync('/proc/cpuinfo')
    ? (/^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model)
    : os.cpus()[0]?.model;
  return {
    cpus: os.availableParallelism(),
    cpu: cpu ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

/** Where a benchmark writes in its report file: between its own markers, with what the file says when they are new. */
export interface ReportSection {
  start: string;
  end: string;
  /** Written once before the markers when the file has none of them yet (the section's heading and intro). */
  intro: string;
}

/** Replaces the generated part of the report file, keeping the notes written around it; formatted as `npm run lint` wants. */
export async function writeReport(file: string, section: ReportSection, body: string): Promise<void> {
  const block = `${section.start}\n${body}\n${section.end}`;
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const start = existing.indexOf(section.start);
  const end = existing.indexOf(section.end);
  const next =
    start >= 0 && end > start
      ? existing.slice(0, start) + block + existing.slice(end + section.end.length)
      : `${existing || '# Performance\n\n'}\n${section.intro}\n\n${block}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, await prettier.format(next, { ...(await prettier.resolveConfig(file)), filepath: file }));
}

export interface AppServer {
  url: string;
  logFile: string;
  /** The server's process id (e.g. for its CPU time in /proc/<pid>/stat). */
  pid: number;
  stop: () => Promise<void>;
}

/**
 * The real server (`src/server.ts`, production mode, no worker) as a child process on a free port, answering
 * once /healthz does; its output goes to `<workDir>/<name>.log`. `env` adds to or overrides the basics (search,
 * keys, log level); `children` holds it until it is stopped, so a benchmark's cleanup can stop what is left.
 */
export async function startAppServer(options: {
  name: string;
  workDir: string;
  databaseUrl: string;
  env: Record<string, string>;
  log: Logger;
  children: Set<ChildProcess>;
  /** Node options before the script, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}): Promise<AppServer> {
  const { name, workDir, log, children } = options;
  const port = await findFreePort();
  const dataDir = path.join(workDir, name);
  fs.mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(workDir, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, 'src', 'server.ts')],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: options.databaseUrl,
        SESSION_SECRET: randomBytes(32).toString('hex'),
        // Production requires a data key (personnummer at rest); a benchmark's is thrown away with its data.
        DATA_ENCRYPTION_KEY: `bench:${randomBytes(32).toString('base64')}`,
        PUBLIC_URL: url,
        RUN_WORKER: 'false',
        ...options.env,
      },
      stdio: ['ignore', out, out],
    },
  );
  fs.closeSync(out);
  children.add(child);
  const stop = async () => {
    if (child.pid !== undefined) await stopProcess(child.pid, 'SIGTERM', 15_000);
    children.delete(child);
  };
  // The first start compiles the TypeScript and may run migrations: minutes on a loaded machine.
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The ${name} server exited (${child.exitCode}):\n${tailFile(logFile)}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (healthy) {
      log.info({ url, logFile }, `${name} server up`);
      return { url, logFile, pid: child.pid!, stop };
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The ${name} server did not answer within 3 minutes:\n${tailFile(logFile)}`);
    }
    await sleep(100);
  }
}

/** The servers a benchmark ran on, for its report: versions and whether they were embedded or external. */
export async function serversOf(
  runtime: Runtime,
): Promise<{ versions: { postgres: string; meilisearch: string }; databaseMode: string }> {
  const [postgres] = (await runtime.db.raw<{ rows: Array<{ version: string }> }>('SELECT version()')).rows;
  const { mode } = runtime.infra;
  return {
    versions: {
      postgres: postgres?.version.split(' on ')[0] ?? 'PostgreSQL',
      meilisearch: runtime.search ? (await runtime.search.getVersion()).pkgVersion : 'none',
    },
    databaseMode: `${mode.database} PostgreSQL, ${mode.search} Meilisearch`,
  };
}
