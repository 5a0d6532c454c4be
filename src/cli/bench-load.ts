// npm run bench:load [-- --count N --users U --duration S --think MS --report FILE]
//
// Load as people make it (issue 16, item 6): seeds N synthetic assignments and U
// residents into its own embedded PostgreSQL and Meilisearch under a temporary
// DATA_DIR (or into DATABASE_URL / MEILI_HOST, removing what it added
// afterwards), starts two app processes (src/server.ts, NODE_ENV=production,
// RUN_WORKER=false) and one job worker (src/cli/worker.ts) through
// src/cli/local-cluster.ts, and lets U simulated people use the site for S
// seconds, each with a think time between steps: searches through the JSON API
// and the /uppdrag page with varying words and filters, assignment pages, log-ins
// (argon2: a small share, as a session lasts many steps), applications and
// messages in their application threads. Requests alternate between the two
// apps as a round-robin proxy would send them; each person keeps one session
// cookie across both. Reports per kind of request the count, p50/p95/p99, errors
// by status and requests/s, the machine's CPU use during the run (in total and
// per process from /proc) and the machine, and writes the table into
// docs/PERFORMANCE.md. Everything it started goes at the end, also on Ctrl-C.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { Db } from '../platform/db.js';
import type { RunFile } from '../platform/embedded-service.js';
import type { Logger } from '../platform/logger.js';
import { stopProcess } from '../platform/process-files.js';
import { hashPassword } from '../modules/accounts/index.js';
import { reindexAssignments } from '../modules/search/index.js';
import { openRuntime } from '../runtime.js';
import { machine, runBenchmark, serversOf, writeReport } from './bench-harness.js';
import { csrfTokenIn, ProxiedClient, startLocalCluster, type ClientResponse, type LocalCluster } from './local-cluster.js';
import { CATEGORIES, loadMunicipalities } from '../../seeds/reference.js';
import {
  ensureSyntheticOrganisations,
  loadSyntheticAssignments,
  random,
  removeSyntheticData,
  syntheticAssignments,
} from '../../seeds/synthetic.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const USAGE =
  'Usage: npm run bench:load -- [--count N] [--users U] [--duration S] [--think MS] [--report FILE]\n' +
  '  --count N     synthetic published assignments (default 20000)\n' +
  '  --users U     simulated people using the site at once (default 50)\n' +
  '  --duration S  seconds of load (default 60)\n' +
  '  --think MS    mean pause between a person’s steps, uniform from half to one and a half times it (default 1000)\n' +
  '  --report FILE where the table is written (default docs/PERFORMANCE.md)';
const SEED = 20261206;
const INDEX_PREFIX = 'benchload_';
const USER_EMAIL_PREFIX = 'bench-load-';
const USER_EMAIL_DOMAIN = '@example.invalid';
const POSTER_EMAIL = `${USER_EMAIL_PREFIX}poster${USER_EMAIL_DOMAIN}`;
const PASSWORD = 'ett långt lösenord för lasttest';
const REPORT_START = '<!-- bench:load results start -->';
const REPORT_END = '<!-- bench:load results end -->';
const REPORT_INTRO = [
  '## Load as people make it',
  '',
  '`npm run bench:load` runs the scaled-out setup on one machine (issue 16, item 6): two app processes (`src/server.ts`,',
  'NODE_ENV=production, RUN_WORKER=false) and one job worker (`npm run worker`) on one PostgreSQL and Meilisearch, started',
  'by `src/cli/local-cluster.ts` like the multi-process test. Simulated people (each with a session cookie and an',
  'address of their own) search through the JSON API and the /uppdrag page with varying words and filters, open',
  'assignment pages, log in (argon2, a small share: a session lasts many steps), apply and write messages in their',
  'application threads, with a think time between steps; the requests alternate between the two apps as a',
  'round-robin proxy would send them. Options: `--count N` assignments (default 20 000), `--users U` people at once',
  '(default 50), `--duration S` seconds (default 60), `--think MS` mean pause between steps (default 1000),',
  '`--report FILE` (default this file). The part between the markers below is replaced by each run.',
  '',
  '### Latest load measurement',
].join('\n');

interface Options {
  count: number;
  users: number;
  duration: number;
  think: number;
  report: string;
}

function parseOptions(): Options | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        count: { type: 'string', default: '20000' },
        users: { type: 'string', default: '50' },
        duration: { type: 'string', default: '60' },
        think: { type: 'string', default: '1000' },
        report: { type: 'string', default: path.join(ROOT, 'docs', 'PERFORMANCE.md') },
      },
    }));
  } catch {
    return undefined;
  }
  const [count, users, duration, think] = [values.count, values.users, values.duration, values.think].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const whole = (n: number, min: number, max: number) => Number.isSafeInteger(n) && n >= min && n <= max;
  if (!whole(count, 1, 2_000_000) || !whole(users, 1, 2000) || !whole(duration, 1, 3600) || !whole(think, 0, 60_000))
    return undefined;
  return { count, users, duration, think, report: path.resolve(values.report) };
}

// ---------------------------------------------------------------------------
// What a person does

/** A deterministic random source (the synthetic data's mulberry32), so two runs with the same options make the same choices. */
function randomSource(seed: number) {
  const next = random(seed);
  return {
    next,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
type Random = ReturnType<typeof randomSource>;

/** Words people type: the synthetic data's own, with typos, without diacritics, and some that find little. */
const WORDS = [
  'snöskottning',
  'snöskotning',
  'snoskottning',
  'gräsklippning',
  'grasklippning',
  'ved',
  'vedhuggning',
  'hemsida',
  'målning',
  'städning',
  'flytt',
  'läxhjälp',
  'bygdegården',
  'takskottning',
  'trädgård',
  'snöröjning',
  'barnvakt',
  'datorhjälp',
  'fönsterputs',
  'hundpromenad',
];
const SORTS = ['', '', '', 'newest', 'pay'];

/** A search as people make them: a word or not, a category or a municipality or not, a sort, now and then page 2. */
function randomSearch(random: Random, municipalityCodes: readonly string[]): string {
  const params = new URLSearchParams();
  if (random.next() < 0.7) params.set('q', random.pick(WORDS));
  if (random.next() < 0.3) params.set('category', random.pick(CATEGORIES).slug);
  if (random.next() < 0.3) params.set('municipality', random.pick(municipalityCodes));
  const sort = random.pick(SORTS);
  if (sort) params.set('sort', sort);
  if (sort === 'pay') params.set('compensation', 'hourly');
  if (random.next() < 0.15) params.set('page', '2');
  return params.toString();
}

type Kind =
  | 'search API'
  | 'search page'
  | 'assignment page'
  | 'log-in form'
  | 'log in (argon2)'
  | 'page after log-in'
  | 'log out'
  | 'apply'
  | 'my applications'
  | 'message thread'
  | 'send message';

/** The steps a person takes and how often, relative to each other. Logging in happens when a step needs it. */
const STEPS: ReadonlyArray<{
  step: 'searchApi' | 'searchPage' | 'view' | 'apply' | 'message' | 'myApplications';
  weight: number;
}> = [
  { step: 'searchApi', weight: 30 },
  { step: 'searchPage', weight: 24 },
  { step: 'view', weight: 26 },
  { step: 'apply', weight: 5 },
  { step: 'message', weight: 10 },
  { step: 'myApplications', weight: 5 },
];
/** Per step, the chance that a signed-in person leaves (logs out): sessions last ~40 steps on average. */
const LEAVE_CHANCE = 1 / 40;

interface Sample {
  kind: Kind;
  ms: number;
  /** HTTP status, or 0 for an exception (connection refused, reset, timeout). */
  status: number;
}

interface Person {
  email: string;
  client: ProxiedClient;
  random: Random;
  signedIn: boolean;
  csrf: string;
  /** Assignment paths seen in search answers. */
  seen: string[];
  applied: Set<string>;
  applications: number[];
}

class LoadRun {
  readonly samples: Sample[] = [];
  private turn = 0;
  /** Requests that start within [from, until) (performance.now()) are recorded: the warm-up's are not. */
  window = { from: Number.POSITIVE_INFINITY, until: Number.POSITIVE_INFINITY };

  constructor(
    private readonly cluster: LocalCluster,
    private readonly municipalityCodes: readonly string[],
  ) {}

  /** The next app, round robin over all requests, as a proxy without sticky sessions sends them. */
  private app(): string {
    const apps = this.cluster.apps;
    return apps[this.turn++ % apps.length]!.url;
  }

  private async send(person: Person, kind: Kind, requestPath: string, form?: Record<string, string>): Promise<ClientResponse> {
    const started = performance.now();
    const recorded = started >= this.window.from && started < this.window.until;
    try {
      const response = await person.client.request(this.app(), requestPath, form ? { form } : {});
      if (recorded) this.samples.push({ kind, ms: performance.now() - started, status: response.status });
      return response;
    } catch (error) {
      if (recorded) this.samples.push({ kind, ms: performance.now() - started, status: 0 });
      throw error;
    }
  }

  private async signIn(person: Person): Promise<boolean> {
    const form = await this.send(person, 'log-in form', '/logga-in');
    const login = await this.send(person, 'log in (argon2)', '/logga-in', {
      email: person.email,
      password: PASSWORD,
      _csrf: csrfTokenIn(form.text),
    });
    if (login.status !== 303) return false;
    // Where a browser goes next: the page the 303 names. Its forms carry the session's new CSRF token.
    const next = await this.send(person, 'page after log-in', login.headers.location ?? '/');
    person.csrf = csrfTokenIn(next.text);
    if (!person.csrf) person.csrf = csrfTokenIn((await this.send(person, 'my applications', '/konto/ansokningar')).text);
    person.signedIn = true;
    return true;
  }

  private async searchApi(person: Person) {
    const response = await this.send(
      person,
      'search API',
      `/api/v1/assignments?${randomSearch(person.random, this.municipalityCodes)}`,
    );
    if (response.status !== 200) return;
    const { hits } = JSON.parse(response.text) as { hits: Array<{ url: string }> };
    for (const hit of hits.slice(0, 5)) person.seen.push(new URL(hit.url, 'http://x').pathname);
    if (person.seen.length > 50) person.seen.splice(0, person.seen.length - 50);
  }

  /** One step of a person, chosen by weight. */
  async step(person: Person) {
    const { random } = person;
    let roll = random.next() * STEPS.reduce((sum, s) => sum + s.weight, 0);
    let step = STEPS[0]!.step;
    for (const s of STEPS) {
      roll -= s.weight;
      if (roll < 0) {
        step = s.step;
        break;
      }
    }
    // Nothing seen yet: a person searches before opening or applying to anything.
    if (person.seen.length === 0 && (step === 'view' || step === 'apply')) step = 'searchApi';
    if (step === 'message' && person.applications.length === 0) step = 'apply';
    if ((step === 'apply' || step === 'message' || step === 'myApplications') && !person.signedIn) {
      if (!(await this.signIn(person))) return;
    }
    switch (step) {
      case 'searchApi':
        await this.searchApi(person);
        break;
      case 'searchPage':
        await this.send(person, 'search page', `/uppdrag?${randomSearch(random, this.municipalityCodes)}`);
        break;
      case 'view':
        await this.send(person, 'assignment page', random.pick(person.seen));
        break;
      case 'apply': {
        const target = person.seen.find((seen) => !person.applied.has(seen));
        if (!target) {
          await this.searchApi(person);
          break;
        }
        person.applied.add(target);
        const response = await this.send(person, 'apply', `${target}/ansok`, {
          message: 'Hej! Jag bor i närheten och har gjort liknande arbete förut. Jag kan börja när ni vill.',
          shareProfile: 'on',
          _csrf: person.csrf,
        });
        const id = /^\/ansokningar\/(\d+)/.exec(response.headers.location ?? '')?.[1];
        if (response.status === 303 && id) person.applications.push(Number(id));
        break;
      }
      case 'message': {
        const thread = `/ansokningar/${random.pick(person.applications)}/meddelanden`;
        await this.send(person, 'message thread', thread);
        await this.send(person, 'send message', thread, {
          body: `Hej! En fråga om uppdraget: passar det om jag kommer på ${random.pick(['måndag', 'tisdag', 'torsdag', 'lördag'])}?`,
          _csrf: person.csrf,
        });
        break;
      }
      case 'myApplications':
        await this.send(person, 'my applications', '/konto/ansokningar');
        break;
    }
    if (person.signedIn && random.next() < LEAVE_CHANCE) {
      await this.send(person, 'log out', '/logga-ut', { _csrf: person.csrf });
      person.signedIn = false;
    }
  }
}

// ---------------------------------------------------------------------------
// CPU

/** utime + stime in clock ticks, parent and command name of every process now (Linux /proc). */
function processTimes(): Map<number, { name: string; ppid: number; ticks: number }> {
  const times = new Map<number, { name: string; ppid: number; ticks: number }>();
  if (!fs.existsSync('/proc')) return times;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses; the fields after the last ")" are fixed.
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      // After comm: state (index 0), ppid (1); utime and stime are fields 14 and 15 of the line (indexes 11 and 12).
      times.set(Number(entry), {
        name: stat.slice(stat.indexOf('(') + 1, close),
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // gone meanwhile
    }
  }
  return times;
}

/** This run's servers on this machine: the postmaster (its children are the backends and helpers) and Meilisearch. */
interface ServerProcesses {
  postmaster?: number;
  meilisearch?: number;
}

const cpuTotals = () =>
  os.cpus().reduce(
    (sum, cpu) => {
      const total = Object.values(cpu.times).reduce((a, b) => a + b, 0);
      return { busy: sum.busy + total - cpu.times.idle, total: sum.total + total };
    },
    { busy: 0, total: 0 },
  );

interface CpuUse {
  /** Share of all CPUs busy during the run, from os.cpus(). */
  machineBusy: number;
  /** CPU seconds per group of processes, from /proc/<pid>/stat. */
  groups: Array<{ group: string; seconds: number }>;
}

/** Starts measuring; the returned function ends it. */
function measureCpu(cluster: LocalCluster, servers: ServerProcesses): () => CpuUse {
  const ticksPerSecond = 100; // USER_HZ: 100 on every Linux architecture Node runs on
  const before = processTimes();
  const machineBefore = cpuTotals();
  return () => {
    const after = processTimes();
    const machineAfter = cpuTotals();
    const names = new Map<number, string>([
      ...cluster.apps.map((app) => [app.pid, `${app.name} (node)`] as const),
      ...cluster.workers.map((worker) => [worker.pid, `${worker.name} (node)`] as const),
      [process.pid, 'load generator (this process)'],
    ]);
    const groups = new Map<string, number>();
    for (const [pid, { name, ticks }] of after) {
      const ppid = after.get(pid)!.ppid;
      // Other PostgreSQL or Meilisearch servers on the machine (another test run, say) are not this run's.
      const group =
        names.get(pid) ??
        (servers.postmaster !== undefined && (pid === servers.postmaster || ppid === servers.postmaster)
          ? 'PostgreSQL (postmaster and its backends)'
          : pid === servers.meilisearch
            ? 'Meilisearch'
            : 'everything else on the machine');
      // A process started during the run counts from zero; one that ended during it is missing (short-lived ones).
      const used = ticks - (before.get(pid)?.name === name ? before.get(pid)!.ticks : 0);
      groups.set(group, (groups.get(group) ?? 0) + used / ticksPerSecond);
    }
    return {
      machineBusy: (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
      groups: [...groups].map(([group, seconds]) => ({ group, seconds })).sort((a, b) => b.seconds - a.seconds),
    };
  };
}

/** Where this run's PostgreSQL and Meilisearch run, when they run on this machine. */
async function serverProcesses(db: Db, config: Config): Promise<ServerProcesses> {
  const { rows } = await db.raw<{ rows: Array<{ pid: number }> }>('SELECT pg_backend_pid() AS pid');
  const backend = processTimes().get(rows[0]!.pid);
  let meilisearch: number | undefined;
  try {
    // The embedded Meilisearch's run file (platform/embedded-service.ts); an external one is not measured here.
    meilisearch = (JSON.parse(fs.readFileSync(path.join(config.dataDir, 'run', 'meilisearch.json'), 'utf8')) as RunFile).pid;
  } catch {
    meilisearch = undefined;
  }
  return { postmaster: backend?.ppid, meilisearch };
}

// ---------------------------------------------------------------------------
// Report

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Row {
  kind: string;
  count: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: string;
}

function summarise(samples: readonly Sample[], seconds: number): Row[] {
  const byKind = new Map<string, Sample[]>();
  for (const sample of samples) byKind.set(sample.kind, [...(byKind.get(sample.kind) ?? []), sample]);
  const row = (kind: string, list: readonly Sample[]): Row => {
    const sorted = list.map((s) => s.ms).sort((a, b) => a - b);
    const failures = new Map<string, number>();
    for (const s of list) {
      // 2xx and 3xx are answers a browser goes on with; anything else, and no answer at all, is an error.
      if (s.status >= 200 && s.status < 400) continue;
      const label = s.status === 0 ? 'exception' : `HTTP ${s.status}`;
      failures.set(label, (failures.get(label) ?? 0) + 1);
    }
    return {
      kind,
      count: list.length,
      rps: list.length / seconds,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      errors: failures.size ? [...failures].map(([label, n]) => `${n} × ${label}`).join(', ') : '0',
    };
  };
  return [
    ...[...byKind].sort((a, b) => b[1].length - a[1].length).map(([kind, list]) => row(kind, list)),
    row('all requests', samples),
  ];
}

interface Report {
  date: string;
  options: Options;
  machine: ReturnType<typeof machine>;
  versions: { postgres: string; meilisearch: string };
  databaseMode: string;
  seedMs: number;
  indexMs: number;
  seconds: number;
  rows: Row[];
  cpu: CpuUse;
  load: { before: number; after: number };
  appliedTotal: number;
  messagesTotal: number;
  jobsLeft: number;
  /** How long the worker took after the load to finish the jobs that were due (60 s at most). */
  drainMs: number;
}

function renderReport(report: Report): string {
  const ms = (value: number) => (Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(1) : value.toFixed(0));
  const { options } = report;
  const cores = report.machine.cpus;
  return [
    `Measured ${report.date} with \`npm run bench:load -- --count ${options.count} --users ${options.users} --duration ${options.duration} --think ${options.think}\`.`,
    '',
    `- Machine: ${cores} CPUs (${report.machine.cpu}), ${report.machine.memoryGiB} GiB memory, ${report.machine.os}; Node ${report.machine.node}.`,
    `  Load average (1 min) ${report.load.before.toFixed(1)} at the start and ${report.load.after.toFixed(1)} at the end: everything else running on the machine competes for its CPUs.`,
    `- Servers: ${report.versions.postgres}, Meilisearch ${report.versions.meilisearch} (${report.databaseMode}); two app processes and one worker (src/cli/local-cluster.ts) and the load generator, all on this machine.`,
    `- Data: ${options.count.toLocaleString('en')} synthetic published assignments (seeds/synthetic.ts, seed ${SEED}), loaded in ${(report.seedMs / 1000).toFixed(1)} s, indexed in ${(report.indexMs / 1000).toFixed(1)} s; ${options.users} residents.`,
    `- Load: ${options.users} people for ${report.seconds.toFixed(0)} s, each pausing ${options.think / 2}–${(options.think * 3) / 2} ms between steps; steps by weight: ${STEPS.map((s) => `${s.step} ${s.weight}`).join(', ')}; a signed-in person logs out after a step with chance 1/${1 / LEAVE_CHANCE} and logs in again when a step needs it. Requests alternate between the two apps. During the run: ${report.appliedTotal} applications and ${report.messagesTotal} messages written; ${
      report.jobsLeft === 0
        ? 'no job was waiting when the load stopped (the worker kept up)'
        : `${report.jobsLeft} jobs were due and not done when the load stopped, done ${(report.drainMs / 1000).toFixed(1)} s later`
    }.`,
    '- Errors: answers other than 2xx/3xx, by status, and requests without an answer ("exception"). A 409 on apply is the app refusing an application it must refuse (the assignment closed meanwhile, or the person applied already); anything else is a fault.',
    '',
    '| request | count | req/s | p50 ms | p95 ms | p99 ms | errors |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...report.rows.map(
      (r) => `| ${r.kind} | ${r.count} | ${r.rps.toFixed(1)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.errors} |`,
    ),
    '',
    `CPU during the run: the machine's ${cores} CPUs were ${(100 * report.cpu.machineBusy).toFixed(0)} % busy (os.cpus()). Per process (/proc/<pid>/stat, user + system time; % of one CPU):`,
    '',
    '| process | CPU s | % of one CPU |',
    '|---|---:|---:|',
    ...report.cpu.groups.map(
      (g) => `| ${g.group} | ${g.seconds.toFixed(1)} | ${((100 * g.seconds) / report.seconds).toFixed(0)} |`,
    ),
  ].join('\n');
}

// ---------------------------------------------------------------------------

const children = new Set<ChildProcess>();
let stopLoad = () => {};

async function benchmark(config: Config, log: Logger, options: Options, workDir: string, cleanups: Array<() => Promise<void>>) {
  const runtime = await openRuntime(config, log);
  cleanups.push(() => runtime.close());
  const { db, search, infra } = runtime;
  if (!search || !infra.search) throw new Error('No Meilisearch is available: set MEILI_HOST or install the embedded binary');
  if (infra.mode.database === 'external') {
    log.warn('Using the database from DATABASE_URL: the synthetic data is removed again at the end');
    cleanups.push(async () => {
      const users = db('users').where('email', 'like', `${USER_EMAIL_PREFIX}%${USER_EMAIL_DOMAIN}`).select('id');
      await db('applications').whereIn('applicant_id', users).delete();
      await removeSyntheticData(db);
      await db('users').where('email', 'like', `${USER_EMAIL_PREFIX}%${USER_EMAIL_DOMAIN}`).delete();
    });
  }
  if (infra.mode.search === 'external') {
    cleanups.push(async () => {
      const { results } = await search.getIndexes({ limit: 1000 });
      for (const index of results.filter((i) => i.uid.startsWith(INDEX_PREFIX))) await search.deleteIndex(index.uid).waitTask();
    });
  }
  const loadBefore = os.loadavg()[0] ?? 0;

  log.info(`Seeding ${options.count} synthetic assignments and ${options.users} residents`);
  let started = performance.now();
  await loadSyntheticAssignments(db, await syntheticAssignments(options.count, SEED));
  // The posting organisations get a member, so that applications and messages notify someone (jobs for the worker).
  const organisationIds = await ensureSyntheticOrganisations(db);
  const passwordHash = await hashPassword(PASSWORD); // one hash for everyone: seeding U argon2 hashes only costs time
  const [poster] = await db('users')
    .insert({
      email: POSTER_EMAIL,
      name: 'Lasttestets uppdragsgivare',
      password_hash: passwordHash,
      email_verified_at: new Date(),
    })
    .onConflict('email')
    .merge()
    .returning<{ id: number }[]>('id');
  await db('organisation_members')
    .insert(organisationIds.map((id) => ({ organisation_id: id, user_id: poster!.id, role: 'admin' })))
    .onConflict(['organisation_id', 'user_id'])
    .ignore();
  const emails = Array.from({ length: options.users }, (_, i) => `${USER_EMAIL_PREFIX}${i + 1}${USER_EMAIL_DOMAIN}`);
  await db('users')
    .insert(
      emails.map((email, i) => ({
        email,
        name: `Lasttestare ${i + 1}`,
        password_hash: passwordHash,
        email_verified_at: new Date(),
        home_municipality_code: '2481',
      })),
    )
    .onConflict('email')
    .merge();
  await db.raw('ANALYZE');
  const seedMs = performance.now() - started;
  started = performance.now();
  await reindexAssignments({ db, search, indexPrefix: INDEX_PREFIX, log });
  const indexMs = performance.now() - started;
  log.info({ seedMs: Math.round(seedMs), indexMs: Math.round(indexMs) }, 'seeded and indexed');

  const cluster = await startLocalCluster({
    workDir: path.join(workDir, 'cluster'),
    databaseUrl: infra.databaseUrl,
    meili: { host: infra.search.host, apiKey: infra.search.apiKey, indexPrefix: INDEX_PREFIX },
    apps: 2,
    workers: 1,
    log,
    children,
  });
  cleanups.push(cluster.stop);

  const municipalityCodes = (await loadMunicipalities()).map((m) => m.code);
  const run = new LoadRun(cluster, municipalityCodes);
  // One keep-alive pool for all people, like a proxy's connections to its upstreams.
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.users * 2 });
  const people: Person[] = emails.map((email, i) => ({
    email,
    // An address of their own: limits per client address apply to each person, as behind a real proxy.
    client: new ProxiedClient(agent, `10.${Math.floor(i / 250) % 250}.${i % 250}.${(i % 200) + 1}`),
    random: randomSource(SEED + i),
    signedIn: false,
    csrf: '',
    seen: [],
    applied: new Set(),
    applications: [],
  }));

  const thinkTime = (person: Person) => options.think * (0.5 + person.random.next());
  let stopping = false;
  stopLoad = () => {
    stopping = true;
  };
  const personLoop = async (person: Person, until: number) => {
    // People arrive spread over one think time, not all in the same millisecond.
    await sleep(person.random.next() * options.think);
    while (!stopping && performance.now() < until) {
      try {
        await run.step(person);
      } catch (error) {
        log.debug({ err: error }, 'a step failed');
      }
      await sleep(thinkTime(person));
    }
  };

  // Warm-up: a few seconds of the same load, not recorded (first requests compile views and fill caches).
  const warmUpSeconds = Math.min(10, Math.max(2, Math.round(options.duration / 10)));
  log.info(`Warm-up: ${warmUpSeconds} s`);
  await Promise.all(people.map((person) => personLoop(person, performance.now() + warmUpSeconds * 1000)));
  const [applicationsBefore, messagesBefore] = await Promise.all([countApplications(db), countMessages(db)]);

  log.info(`Load: ${options.users} people for ${options.duration} s`);
  const endCpu = measureCpu(cluster, await serverProcesses(db, config));
  const runStarted = performance.now();
  run.window = { from: runStarted, until: runStarted + options.duration * 1000 };
  const load = Promise.all(people.map((person) => personLoop(person, run.window.until)));
  await sleep(options.duration * 1000);
  const cpu = endCpu();
  const seconds = (performance.now() - runStarted) / 1000;
  // The requests under way at the end finish (and count: they started in the window); then everyone stops.
  await load;
  agent.destroy();

  // Did the one worker keep up? The jobs the load caused (notifications, mails) that are due and not yet done.
  const dueJobs = async () =>
    Number(
      (
        await db.raw<{ rows: Array<{ due: number }> }>(
          'SELECT count(*)::int AS due FROM graphile_worker.jobs WHERE run_at <= now()',
        )
      ).rows[0]?.due ?? 0,
    );
  const jobsLeft = await dueJobs();
  const drainStarted = performance.now();
  while ((await dueJobs()) > 0 && performance.now() - drainStarted < 60_000) await sleep(200);
  const drainMs = performance.now() - drainStarted;
  const report: Report = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    options,
    machine: machine(),
    ...(await serversOf(runtime)),
    seedMs,
    indexMs,
    seconds,
    rows: summarise(run.samples, seconds),
    cpu,
    load: { before: loadBefore, after: os.loadavg()[0] ?? 0 },
    appliedTotal: (await countApplications(db)) - applicationsBefore,
    messagesTotal: (await countMessages(db)) - messagesBefore,
    jobsLeft,
    drainMs,
  };
  const rendered = renderReport(report);
  process.stdout.write(`\n${rendered}\n\n`);
  await writeReport(options.report, { start: REPORT_START, end: REPORT_END, intro: REPORT_INTRO }, rendered);
  process.stdout.write(`Written to ${path.relative(process.cwd(), options.report)}\n`);
}

const countRows = async (db: Db, table: string) =>
  Number((await db(table).count<Array<{ count: string }>>('* as count'))[0]?.count ?? 0);
const countApplications = (db: Db) => countRows(db, 'applications');
const countMessages = (db: Db) => countRows(db, 'application_messages');

const options = parseOptions();
if (!options) {
  console.error(USAGE);
  process.exitCode = 2;
} else {
  await runBenchmark(
    {
      tmpPrefix: 'ub-bench-load-',
      env: { MEILI_INDEX_PREFIX: INDEX_PREFIX },
      beforeCleanup: async () => {
        stopLoad();
        for (const child of children) if (child.pid !== undefined) await stopProcess(child.pid, 'SIGTERM', 15_000);
      },
    },
    ({ config, log, workDir, cleanups }) => benchmark(config, log, options, workDir, cleanups),
  );
}
