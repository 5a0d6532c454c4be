import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunFile } from '../../src/platform/embedded-service.js';

// Runs the real entry points (`npm start` = src/server.ts, the CLI commands) as
// child processes, the way a user does, and reads their JSON log lines.

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface RunningProcess {
  child: ChildProcess;
  lines: LogLine[];
  stderr: () => string;
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  exited(timeoutMs?: number): Promise<number | null>;
}

/** Every process a test started and that may still run: a failed test must not leave one behind. */
const started = new Set<ChildProcess>();

/** Kills what failed tests left running (root hook, after all files). */
export function killLeftoverProcesses(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  started.clear();
}

/**
 * A set for code that spawns children itself (src/cli/local-cluster.ts takes one): every child added to it is also
 * tracked here, so the root hook kills it if a failed test leaves it running.
 */
export function trackedProcessSet(): Set<ChildProcess> {
  return new (class extends Set<ChildProcess> {
    override add(child: ChildProcess) {
      started.add(child);
      child.once('exit', () => started.delete(child));
      return super.add(child);
    }
  })();
}

export function startProcess(script: string, env: Record<string, string | undefined>, args: string[] = []): RunningProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let stderr = '';
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        lines.push(JSON.parse(text) as LogLine);
      } catch {
        lines.push({ level: 30, msg: text });
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  started.add(child);
  const exit = once(child, 'exit').then(([code]) => {
    started.delete(child);
    return code as number | null;
  });

  const exited = async (timeoutMs = 30_000) => {
    const result = await Promise.race([exit, sleep(timeoutMs, 'timeout' as const, { ref: false })]);
    if (result === 'timeout') throw new Error(`${script} did not exit within ${timeoutMs} ms`);
    return result;
  };

  return {
    child,
    lines,
    stderr: () => stderr,
    async waitForLog(predicate, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(predicate);
        if (found) return found;
        if (child.exitCode !== null) {
          throw new Error(
            `${script} exited (${child.exitCode}) before the expected log line. stderr: ${stderr}\n${JSON.stringify(lines.slice(-5))}`,
          );
        }
        if (Date.now() > deadline)
          throw new Error(`Timed out waiting for a log line from ${script}: ${JSON.stringify(lines.slice(-5))}`);
        await sleep(50);
      }
    },
    async stop(signal = 'SIGINT', timeoutMs = 30_000) {
      if (child.exitCode === null) child.kill(signal);
      return exited(timeoutMs);
    },
    exited,
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A new DATA_DIR under the system's temporary folder, passable for the postgres system user (used under root). */
export function temporaryDataDir(prefix = 'ub-start-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755); // mkdtemp makes 0700; see checkReachable in src/platform/embedded-postgres.ts
  return dir;
}

export const readRunFile = (dataDir: string, name: 'postgres' | 'meilisearch') =>
  JSON.parse(fs.readFileSync(path.join(dataDir, 'run', `${name}.json`), 'utf8')) as RunFile;

/** Kills (SIGKILL) the embedded servers and watchdogs a test's DATA_DIR lists, whatever state the test left. */
export function killEmbeddedServers(dataDir: string): void {
  for (const name of ['postgres', 'meilisearch'] as const) {
    try {
      const run = readRunFile(dataDir, name);
      for (const pid of [run.watchdogPid, run.pid]) if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // no run file, or already gone
    }
  }
}
