import type { ChildProcess } from 'node:child_process';
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

export interface RunFile {
  pid: number;
  port: number;
  ownerPid: number;
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
  writeJsonFile(spec.runFile, { pid, port, ownerPid: process.pid } satisfies RunFile);

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
