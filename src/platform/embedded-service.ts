import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './logger.js';
import { findFreePort, isProcessAlive, readJsonFile, stopProcess, tailFile, writeJsonFile } from './process-files.js';

// One mechanism for both embedded servers (PostgreSQL and Meilisearch): a child
// process in its own process group (so a Ctrl-C reaches the app first and the
// app decides the order of shutdown), its output in a log file under DATA_DIR
// (so it keeps running healthily if the app dies), and a run file saying which
// pid, which port and which owner. Another process on the same DATA_DIR (a CLI
// command while the app runs) borrows a live owner's server instead of
// starting a second one; a server whose owner is gone (the app was killed with
// kill -9) is stopped and started afresh, so every server has a live owner.
//
// Two guards keep that true while the app runs: the owner restarts a server
// that dies, with backoff, on the same port (so connection URLs stay valid);
// and a small watchdog process beside each server stops it when its owner
// dies, so a crashed app leaves nothing running for long.

const WATCHDOG_INTERVAL_MS = 1000;
const MAX_RESTART_DELAY_MS = 30_000;

export interface RunFile {
  pid: number;
  port: number;
  ownerPid: number;
  /** The process that stops the server if its owner dies (see startWatchdog). */
  watchdogPid?: number;
}

export interface EmbeddedServiceSpec {
  name: string;
  runFile: string;
  logFile: string;
  stopSignal: NodeJS.Signals;
  stopTimeoutMs: number;
  startTimeoutMs: number;
  spawn(port: number, logFd: number): ChildProcess;
  isReady(port: number): Promise<boolean>;
}

export interface EmbeddedService {
  readonly port: number;
  /** True when this process started the server and will stop it. */
  readonly owned: boolean;
  readonly child?: ChildProcess;
  stop(): Promise<void>;
}

export async function acquireEmbeddedService(spec: EmbeddedServiceSpec, log: Logger): Promise<EmbeddedService> {
  const run = readJsonFile<RunFile>(spec.runFile);
  if (run && isProcessAlive(run.pid)) {
    const ownerAlive = run.ownerPid !== process.pid && isProcessAlive(run.ownerPid);
    if (ownerAlive && (await waitUntilReady(spec, run.port, spec.startTimeoutMs))) {
      log.info({ port: run.port, owner: run.ownerPid }, `${spec.name}: using the server started by process ${run.ownerPid}`);
      return { port: run.port, owned: false, stop: async () => {} };
    }
    log.warn({ pid: run.pid }, `${spec.name}: stopping a server left behind by an earlier run`);
    await stopProcess(run.pid, spec.stopSignal, spec.stopTimeoutMs);
  }
  return startEmbeddedService(spec, await findFreePort());
}

/** Starts the server on `port` and resolves once it answers; rejects with its log's tail if it dies first. */
export async function startEmbeddedService(spec: EmbeddedServiceSpec, port: number): Promise<EmbeddedService> {
  const logFd = fs.openSync(spec.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spec.spawn(port, logFd);
  } finally {
    fs.closeSync(logFd);
  }
  const pid = child.pid;
  if (pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`${spec.name} could not be started: ${error.message}`);
  }
  const watchdogPid = startWatchdog(pid, spec);
  writeJsonFile(spec.runFile, { pid, port, ownerPid: process.pid, watchdogPid } satisfies RunFile);

  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
  }).then(() => {
    exited = true;
  });

  const deadline = Date.now() + spec.startTimeoutMs;
  while (!(await spec.isReady(port))) {
    if (exited || Date.now() > deadline) {
      if (!exited) await stopProcess(pid, 'SIGKILL', 1000);
      removeRunFileIfOurs(spec.runFile, pid);
      throw new Error(
        `${spec.name} did not start (${exited ? `it exited with code ${child.exitCode}` : 'timed out'}). ` +
          `Last lines of ${spec.logFile}:\n${tailFile(spec.logFile)}`,
      );
    }
    await sleep(50);
  }

  return {
    port,
    owned: true,
    child,
    async stop() {
      if (!exited) {
        child.kill(spec.stopSignal);
        const stopped = await Promise.race([exitPromise.then(() => true), sleep(spec.stopTimeoutMs, false, { ref: false })]);
        if (!stopped) {
          child.kill('SIGKILL');
          await exitPromise;
        }
      }
      removeRunFileIfOurs(spec.runFile, pid);
    },
  };
}

async function waitUntilReady(spec: EmbeddedServiceSpec, port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  do {
    if (await spec.isReady(port)) return true;
    await sleep(100);
  } while (Date.now() < deadline);
  return false;
}

function removeRunFileIfOurs(runFile: string, pid: number): void {
  if (readJsonFile<RunFile>(runFile)?.pid === pid) fs.rmSync(runFile, { force: true });
}

/**
 * The watchdog: a detached `node -e` process (about 40 MB) that checks every
 * second whether the owner still lives. When the owner is gone it stops the
 * server (the server's stop signal, then SIGKILL after its stop timeout); when
 * the server is gone it exits. Plain JavaScript with no imports, so it starts
 * in ~50 ms and needs nothing from node_modules. Operating systems offer no
 * portable "die with your parent" for a detached child, hence a process.
 */
const WATCHDOG_SOURCE = `
const [owner, server, signal, graceMs] = process.argv.slice(1);
const alive = (pid) => { try { process.kill(Number(pid), 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const watch = setInterval(() => {
  if (!alive(server)) process.exit(0);
  if (alive(owner)) return;
  clearInterval(watch);
  try { process.kill(Number(server), signal); } catch {}
  const deadline = Date.now() + Number(graceMs);
  setInterval(() => {
    if (!alive(server)) process.exit(0);
    if (Date.now() > deadline) { try { process.kill(Number(server), 'SIGKILL'); } catch {} process.exit(0); }
  }, 100);
}, ${WATCHDOG_INTERVAL_MS});
`;

function startWatchdog(serverPid: number, spec: EmbeddedServiceSpec): number | undefined {
  const watchdog = spawn(
    process.execPath,
    ['-e', WATCHDOG_SOURCE, String(process.pid), String(serverPid), spec.stopSignal, String(spec.stopTimeoutMs)],
    // No NODE_OPTIONS: a loader such as tsx is not needed and would only slow it down.
    { detached: true, stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  watchdog.on('error', () => {}); // without a watchdog the next start still cleans up
  watchdog.unref();
  return watchdog.pid;
}

export interface SupervisedService {
  stop(): Promise<void>;
}

/**
 * Restarts an owned server when it exits unexpectedly: after 0.5 s, doubling
 * up to 30 s while restarts fail, on the same port so clients keep their URL.
 * A borrowed server (another process owns it) is its owner's to supervise.
 */
export function superviseEmbeddedService(
  spec: EmbeddedServiceSpec,
  initial: EmbeddedService,
  log: Logger,
  hooks: { onRestart?: () => void } = {},
): SupervisedService {
  let service = initial;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const watch = (current: EmbeddedService) => {
    current.child?.once('exit', (code, signal) => {
      if (stopping) return;
      scheduleRestart(`${spec.name} exited unexpectedly (code ${code}, signal ${signal})`);
    });
  };
  const scheduleRestart = (reason: string) => {
    const delayMs = Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** failures);
    log.warn({ delayMs }, `${reason}; restarting it in ${delayMs} ms`);
    restartTimer = setTimeout(async () => {
      if (stopping) return;
      try {
        const restarted = await startEmbeddedService(spec, initial.port);
        if (stopping) {
          await restarted.stop();
          return;
        }
        service = restarted;
        failures = 0;
        watch(service);
        log.info({ port: initial.port }, `${spec.name} restarted`);
        hooks.onRestart?.();
      } catch (error) {
        failures++;
        scheduleRestart(`${spec.name} restart failed: ${(error as Error).message.split('\n')[0]}`);
      }
    }, delayMs);
    restartTimer.unref();
  };
  watch(service);

  return {
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      await service.stop();
    },
  };
}
