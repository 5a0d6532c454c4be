import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as prettier from 'prettier';
import { loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../platform/logger.js';

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
