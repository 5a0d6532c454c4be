// npm run bench:stats [-- --assignments N --applications M --requests R --report FILE --dry-run]
//
// The statistics benchmark (issue 13, item 6): in its own embedded PostgreSQL under a temporary DATA_DIR, loads a
// synthetic history of N assignments (default 100 000) over 18 months and all 290 municipalities, M applications
// (default 300 000) from residents with profiles, acceptances within the places, and salaries paid for part of
// the accepted work (with their billing bases and paid invoices); then starts the real server (src/server.ts,
// NODE_ENV=production, its own process) and times, one request at a time over HTTP:
//   1. the officer dashboard GET /statistik/kommun/:code as a platform admin, over a few municipalities and periods;
//   2. the open-data API GET /api/v1/statistics over a few periods and filters.
// Targets (issue 13): dashboard p95 ≤ 300 ms and open-data API p95 ≤ 100 ms at the default size.
// --dry-run only loads the data and prints the counts and the time it took. --keep DIR keeps the database in DIR
// (its DATA_DIR) instead of a temporary folder and, when DIR already holds a loaded history, measures that one
// without loading again (minutes saved when measuring a change again and again; new migrations run on it, then VACUUM
// (ANALYZE) as after a load). The table goes into docs/PERFORMANCE.md (or --report FILE) between its own markers,
// leaving the rest of the file.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { Db } from '../platform/db.js';
import type { Logger } from '../platform/logger.js';
import { stopProcess } from '../platform/process-files.js';
import { hashPassword } from '../modules/accounts/index.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { machine, runBenchmark, startAppServer, writeReport } from './bench-harness.js';
import { demoOperator } from '../../seeds/demo.js';
import { ensureSyntheticOrganisations } from '../../seeds/synthetic.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const USAGE =
  'Usage: npm run bench:stats -- [--assignments N] [--applications M] [--requests R] [--report FILE] [--dry-run] [--keep DIR]';
const DASHBOARD_TARGET_MS = 300;
const API_TARGET_MS = 100;
const REPORT_START = '<!-- bench:stats results start -->';
const REPORT_END = '<!-- bench:stats results end -->';
/** What the section says once, when the file has no statistics section yet; later runs replace only the markers' part. */
const SECTION_INTRO = `## Statistics: dashboard and open data

\`npm run bench:stats\` measures the statistics pages on a synthetic history (issue 13, item 6). Options:
\`--assignments N\` (default 100 000) and \`--applications M\` (default 300 000) over 18 months and all 290
municipalities, \`--requests R\` per endpoint (default 200), \`--report FILE\` (default this file), \`--dry-run\`
(load the data, print the counts, measure nothing). It starts its own embedded PostgreSQL in a temporary
folder, loads the history with set-based SQL (residents with profiles, acceptances within the places, salaries
for part of the accepted paid work), starts the real server in production mode and times, one request at a
time over HTTP, the officer dashboard (\`GET /statistik/kommun/:code\`, logged in as a platform admin) over
several municipalities and periods, and the open-data API (\`GET /api/v1/statistics\`). Targets: dashboard
p95 ≤ 300 ms, open-data API p95 ≤ 100 ms. The part between the markers below is replaced by each run.`;

interface Options {
  assignments: number;
  applications: number;
  requests: number;
  report: string;
  dryRun: boolean;
  /** DATA_DIR kept between runs (its loaded history reused), or undefined for a temporary one. */
  keep: string | undefined;
}

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      assignments: { type: 'string', default: '100000' },
      applications: { type: 'string', default: '300000' },
      requests: { type: 'string', default: '200' },
      report: { type: 'string', default: path.join(ROOT, 'docs', 'PERFORMANCE.md') },
      'dry-run': { type: 'boolean', default: false },
      keep: { type: 'string' },
    },
  });
  const assignments = Number(values.assignments);
  const applications = Number(values.applications);
  const requests = Number(values.requests);
  if (
    ![assignments, applications, requests].every((n) => Number.isSafeInteger(n) && n > 0) ||
    assignments > 5_000_000 ||
    applications > 20_000_000 ||
    requests > 100_000
  )
    return undefined;
  return {
    assignments,
    applications,
    requests,
    report: path.resolve(values.report),
    dryRun: values['dry-run'],
    keep: values.keep === undefined ? undefined : path.resolve(values.keep),
  };
}

/** The same rows on every run: PostgreSQL's random() seeded once in the loading transaction. */
const SEED = 0.2026_1213;
const MONTHS = 18;

interface Counts {
  municipalities: number;
  residents: number;
  assignments: number;
  applications: number;
  accepted: number;
  salaries: number;
}

/**
 * The synthetic history, set-based in one transaction (one connection, so setseed holds). Residents are a fifth
 * of the applications; assignments spread over the municipalities with a skew (a few large ones, many small) and
 * their villages; applications pick assignments and residents of the same municipality where possible.
 */
async function loadHistory(db: Db, options: Options, log: Logger): Promise<Counts> {
  const organisationIds = await ensureSyntheticOrganisations(db);
  const operator = demoOperator();
  await db('operator_settings').insert(operator).onConflict('valid_from').ignore();
  const residents = Math.max(100, Math.ceil(options.applications / 5));

  await db.transaction(async (trx) => {
    await trx.raw('SELECT setseed(?)', [SEED]);
    // The municipalities with a size weight (cumulative, for picking by a random number) and their villages.
    await trx.raw(`
      CREATE TEMP TABLE bench_m ON COMMIT DROP AS
      WITH m AS (
        SELECT code, row_number() OVER (ORDER BY code) AS i,
               (SELECT array_agg(id ORDER BY id) FROM localities l WHERE l.municipality_code = municipalities.code) AS villages,
               -- A skew like Sweden's: a few municipalities with much, most with little.
               1.0 / (1 + (row_number() OVER (ORDER BY md5(code)) - 1) * 0.05) AS weight
        FROM municipalities)
      SELECT code, i, villages, weight,
             sum(weight) OVER (ORDER BY i) / sum(weight) OVER () AS upto,
             (sum(weight) OVER (ORDER BY i) - weight) / sum(weight) OVER () AS from_
      FROM m`);
    await trx.raw('CREATE INDEX ON bench_m (upto)');
    // r must be a column of a materialised row, not random() itself: a volatile condition is drawn anew per row scanned.
    const pick = (r: string) => `(SELECT code FROM bench_m WHERE upto >= ${r} ORDER BY upto LIMIT 1)`;

    log.info(`Loading ${residents} residents`);
    await trx.raw(
      `WITH s AS MATERIALIZED (SELECT g, random() AS r FROM generate_series(1, ?) g)
       INSERT INTO users (email, name, home_municipality_code, email_verified_at)
       SELECT 'bench-stats-' || g || '@example.invalid', 'Invånare ' || g, ${pick('s.r')}, now() FROM s`,
      [residents],
    );
    await trx.raw(`
      UPDATE users u SET home_locality_id = m.villages[1 + floor(random() * cardinality(m.villages))::int]
      FROM bench_m m WHERE m.code = u.home_municipality_code AND u.email LIKE 'bench-stats-%' AND cardinality(m.villages) > 0`);
    await trx.raw(`
      INSERT INTO resident_profiles (user_id, visibility)
      SELECT id, CASE WHEN random() < 0.7 THEN 'organisations' ELSE 'hidden' END
      FROM users WHERE email LIKE 'bench-stats-%'`);
    // One skill of six from the curated vocabulary (seeded with the reference data) per resident.
    await trx.raw(`
      INSERT INTO resident_skills (user_id, skill_id, level)
      SELECT u.id, k.ids[1 + floor(random() * cardinality(k.ids))::int],
             (ARRAY['beginner', 'experienced', 'can_teach'])[1 + floor(random() * 3)::int]
      FROM users u
      CROSS JOIN (SELECT array_agg(id) AS ids FROM skills WHERE slug IN
        ('snorojning-med-traktor', 'tradgardsskotsel', 'motorsagskorkort', 'stadning', 'snickeri', 'b-korkort')) k
      WHERE u.email LIKE 'bench-stats-%' AND cardinality(k.ids) > 0`);
    await trx.raw(`
      INSERT INTO resident_categories (user_id, category_id)
      SELECT DISTINCT u.id, c.id FROM users u
      CROSS JOIN LATERAL (SELECT id FROM categories ORDER BY random() + u.id * 0 LIMIT 1 + floor(random() * 2)::int) c
      WHERE u.email LIKE 'bench-stats-%'`);
    await trx.raw(`
      INSERT INTO resident_localities (user_id, locality_id)
      SELECT id, home_locality_id FROM users WHERE email LIKE 'bench-stats-%' AND home_locality_id IS NOT NULL`);

    log.info(`Loading ${options.assignments} assignments`);
    await trx.raw(
      `INSERT INTO assignments (organisation_id, title, description, category_id, municipality_code, locality_id,
         compensation_type, amount_sek, estimated_hours, starts_on, ends_on, apply_by, people_needed, work_training,
         supervisor_available, status, published_at, completed_at, created_at, updated_at)
       SELECT o.ids[1 + (s.g % cardinality(o.ids))], 'Syntetiskt uppdrag ' || s.g, 'Syntetiskt uppdrag för prestandamätning.',
              c.ids[1 + floor(random() * cardinality(c.ids))::int], x.code,
              CASE WHEN cardinality(m.villages) > 0 AND random() < 0.95
                   THEN m.villages[1 + floor(random() * cardinality(m.villages))::int] END,
              x.comp, CASE x.comp WHEN 'hourly' THEN 150 + floor(random() * 20)::int * 10
                                  WHEN 'fixed' THEN 500 + floor(random() * 60)::int * 100 END,
              2 + floor(random() * 30), x.published::date + 14, x.published::date + 14 + floor(random() * 10)::int,
              x.published::date + 7, 1 + (random() < 0.25)::int + (random() < 0.08)::int, x.training, x.training,
              -- Closed by now unless published in the last weeks (then mostly still open).
              CASE WHEN x.published > now() - interval '10 days' THEN 'published'
                   WHEN random() < 0.6 THEN 'completed' WHEN random() < 0.5 THEN 'expired' ELSE 'assigned' END,
              x.published, NULL, x.published, x.published
       FROM (WITH s AS MATERIALIZED (SELECT g, random() AS r FROM generate_series(1, ?) g) SELECT * FROM s) s
       CROSS JOIN LATERAL (SELECT ${pick('s.r')} AS code,
                                  now() - random() * (now() - (now() - interval '${MONTHS} months')) AS published,
                                  (ARRAY['hourly','hourly','fixed','volunteer','by_agreement'])[1 + floor(random() * 5)::int] AS comp,
                                  random() < 0.08 AS training) x
       JOIN bench_m m ON m.code = x.code
       CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM organisations WHERE id = ANY(?)) o
       CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM categories) c`,
      [options.assignments, organisationIds],
    );
    await trx.raw(
      `UPDATE assignments SET completed_at = ends_on + interval '18 hours' WHERE status = 'completed' AND title LIKE 'Syntetiskt uppdrag %'`,
    );

    log.info(`Loading ${options.applications} applications`);
    // Residents and assignments numbered per municipality, so an applicant lives where the work is.
    await trx.raw(`
      CREATE TEMP TABLE bench_r ON COMMIT DROP AS
      SELECT id, home_municipality_code AS code, row_number() OVER (PARTITION BY home_municipality_code ORDER BY id) AS k,
             count(*) OVER (PARTITION BY home_municipality_code) AS n
      FROM users WHERE email LIKE 'bench-stats-%'`);
    await trx.raw('CREATE INDEX ON bench_r (code, k)');
    await trx.raw('CREATE TEMP TABLE bench_n ON COMMIT DROP AS SELECT code, count(*) AS n FROM bench_r GROUP BY code');
    await trx.raw(`
      CREATE TEMP TABLE bench_a ON COMMIT DROP AS
      SELECT id, municipality_code AS code, published_at, row_number() OVER (ORDER BY id) AS k FROM assignments
      WHERE title LIKE 'Syntetiskt uppdrag %'`);
    await trx.raw('CREATE INDEX ON bench_a (k)');
    // Temporary tables get no statistics by themselves: without them the planner joins 300 000 rows blindly.
    await trx.raw('ANALYZE bench_r, bench_n, bench_a');
    // A resident drawn twice for one assignment is skipped (one application each): draw again for the missing ones.
    for (let round = 0; round < 5; round += 1) {
      const { rows } = await trx.raw<{ rows: Array<{ n: string }> }>('SELECT count(*) AS n FROM applications');
      const missing = options.applications - Number(rows[0]!.n);
      if (missing <= 0) break;
      await trx.raw(
        `WITH s AS MATERIALIZED (
           SELECT 1 + floor(random() * ?)::int AS ak, random() AS rr, -ln(1 - random()) * 30 AS hours FROM generate_series(1, ?))
         INSERT INTO applications (assignment_id, applicant_id, message, status, created_at, updated_at)
         SELECT a.id, r.id, 'Jag kan ta det här.', 'submitted', t.at, t.at
         FROM s
         JOIN bench_a a ON a.k = s.ak
         JOIN bench_n n ON n.code = a.code
         JOIN bench_r r ON r.code = a.code AND r.k = 1 + floor(s.rr * n.n)::int
         CROSS JOIN LATERAL (SELECT LEAST(now(), a.published_at + s.hours * interval '1 hour') AS at) t
         ON CONFLICT (assignment_id, applicant_id) DO NOTHING`,
        [options.assignments, missing],
      );
    }
    // The first applicants of most closed assignments are accepted, within the places.
    await trx.raw(`
      WITH ranked AS (
        SELECT ap.id, ap.created_at, row_number() OVER (PARTITION BY ap.assignment_id ORDER BY ap.created_at, ap.id) AS rank,
               a.people_needed, a.status
        FROM applications ap JOIN assignments a ON a.id = ap.assignment_id WHERE a.title LIKE 'Syntetiskt uppdrag %')
      UPDATE applications ap
      SET status = CASE WHEN r.rank <= r.people_needed THEN 'accepted' ELSE 'declined' END,
          decided_at = LEAST(now(), r.created_at + interval '2 days'), updated_at = now()
      FROM ranked r WHERE r.id = ap.id AND r.status IN ('completed', 'assigned')`);

    log.info('Loading salaries for part of the accepted paid work');
    // A fifth of the accepted work on paid assignments, billed and paid: basis, line, invoice, salary whose parts
    // balance (fee 6 %, contributions 31.42 % on top of gross, tax 30 %), paid out after the work ended.
    await trx.raw(`
      CREATE TEMP TABLE bench_paid ON COMMIT DROP AS
      SELECT ap.id AS application_id, ap.applicant_id, a.id AS assignment_id, a.organisation_id, a.starts_on, a.ends_on,
             CASE a.compensation_type WHEN 'hourly' THEN a.estimated_hours * 100 END::int AS hundredths,
             CASE a.compensation_type WHEN 'hourly' THEN (a.estimated_hours * a.amount_sek * 100)::bigint
                  ELSE a.amount_sek::bigint * 100 END AS excl,
             LEAST(CURRENT_DATE - 1, a.ends_on + 20) AS payout,
             row_number() OVER (ORDER BY ap.id) AS number
      FROM applications ap JOIN assignments a ON a.id = ap.assignment_id
      WHERE ap.status = 'accepted' AND a.status = 'completed' AND a.compensation_type IN ('hourly', 'fixed')
        AND a.ends_on < CURRENT_DATE - 1 AND random() < 0.2`);
    await trx.raw(`ALTER TABLE bench_paid ADD COLUMN basis_id bigint, ADD COLUMN invoice_id bigint`);
    await trx.raw(`UPDATE bench_paid SET basis_id = nextval(pg_get_serial_sequence('billing_bases', 'id')),
                                         invoice_id = nextval(pg_get_serial_sequence('invoices', 'id'))`);
    await trx.raw(`
      INSERT INTO billing_bases (id, application_id, worker_user_id, organisation_id, assignment_id, status, period_start,
        period_end, submitted_at, approved_at)
      SELECT basis_id, application_id, applicant_id, organisation_id, assignment_id, 'approved', starts_on, ends_on,
             ends_on + interval '1 day', ends_on + interval '2 days'
      FROM bench_paid`);
    await trx.raw(`
      INSERT INTO billing_basis_lines (basis_id, position, kind, description, quantity_hundredths, unit_price_ore, amount_ore)
      SELECT basis_id, 1, CASE WHEN hundredths IS NULL THEN 'fixed' ELSE 'hours' END, 'Arbete',
             hundredths, CASE WHEN hundredths IS NULL THEN NULL ELSE excl * 100 / hundredths END, excl
      FROM bench_paid`);
    await trx.raw(
      `INSERT INTO invoices (id, series, number, basis_id, operator_settings_id, organisation_id, worker_user_id,
         buyer_name, buyer_address, buyer_email, invoice_date, due_date, delivery_start, delivery_end, ocr, vat_bp,
         amount_excl_vat_ore, vat_ore, total_ore, expenses_ore, fee_ore, status, paid_at)
       SELECT invoice_id, 'BENCH', number, basis_id, (SELECT id FROM operator_settings WHERE valid_from = ?), organisation_id,
              applicant_id, 'Syntetisk förening', 'Storgatan 1', 'kassor@example.invalid', ends_on + 2, ends_on + 32,
              starts_on, ends_on, 'B' || invoice_id, 2500, excl, round(excl * 0.25), excl + round(excl * 0.25), 0,
              round(excl * 0.06), 'paid', payout - 1
       FROM bench_paid`,
      [operator.valid_from],
    );
    await trx.raw(`
      INSERT INTO salaries (invoice_id, worker_user_id, payout_date, invoice_excl_vat_ore, fee_ore, contributions_ore,
        contribution_lines, gross_ore, vacation_pay_ore, tax_bp, tax_ore, expenses_ore, net_ore, rounding_ore, paid_on)
      SELECT invoice_id, applicant_id, payout, excl, fee, excl - fee - gross, '[]'::jsonb, gross, round(gross * 12 / 112.0),
             3000, round(gross * 0.3), 0, gross - round(gross * 0.3), 0, payout
      FROM (SELECT *, round(excl * 0.06) AS fee, floor((excl - round(excl * 0.06)) / 1.3142) AS gross FROM bench_paid) p`);
  });
  // What autovacuum does within minutes of a bulk load in production: statistics, and the visibility map without
  // which an index-only scan still visits every heap page (the statistics' covering indexes rely on it).
  await db.raw('VACUUM (ANALYZE)');
  return countHistory(db);
}

async function countHistory(db: Db): Promise<Counts> {
  const count = async (table: string, where = 'true') =>
    Number((await db.raw<{ rows: Array<{ n: string }> }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)).rows[0]!.n);
  return {
    municipalities: Number(
      (await db.raw<{ rows: Array<{ n: string }> }>('SELECT count(DISTINCT municipality_code) AS n FROM assignments')).rows[0]!.n,
    ),
    residents: await count('users', `email LIKE 'bench-stats-%' AND email <> 'bench-stats-admin@example.invalid'`),
    assignments: await count('assignments'),
    applications: await count('applications'),
    accepted: await count('applications', `status = 'accepted'`),
    salaries: await count('salaries'),
  };
}

// Timings use node:http with keep-alive (see bench-search.ts: Node's fetch can stall on larger answers).
const keepAlive = new http.Agent({ keepAlive: true });

function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; setCookie: string[]; location?: string }>((resolve, reject) => {
    const request = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent: keepAlive }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          setCookie: response.headers['set-cookie'] ?? [],
          location: response.headers.location,
        }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(init.body);
  });
}

/** The server runs in production behind an imagined TLS proxy: its session cookie is Secure. */
const PROXY_HEADERS = { 'x-forwarded-proto': 'https' };

/** Logs in through the real form (CSRF token and all); returns the Cookie header of the session. */
async function logIn(appUrl: string, email: string, password: string): Promise<string> {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const keep = (setCookie: string[]) => {
    for (const line of setCookie) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const form = await send(`${appUrl}/logga-in`, { headers: PROXY_HEADERS });
  keep(form.setCookie);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (!csrf) throw new Error(`No CSRF token on the login page (HTTP ${form.status})`);
  const posted = await send(`${appUrl}/logga-in`, {
    method: 'POST',
    headers: { ...PROXY_HEADERS, 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader() },
    body: new URLSearchParams({ email, password, _csrf: csrf }).toString(),
  });
  keep(posted.setCookie);
  if (posted.status !== 303) throw new Error(`Logging in failed: HTTP ${posted.status}`);
  return cookieHeader();
}

/** The real server on the benchmark's database and search. */
function startApp(runtime: Runtime, workDir: string, log: Logger, children: Set<ChildProcess>) {
  const search = runtime.infra.search;
  return startAppServer({
    name: 'app',
    workDir,
    databaseUrl: runtime.infra.databaseUrl,
    env: {
      ...(search ? { MEILI_HOST: search.host, MEILI_MASTER_KEY: search.apiKey ?? 'bench-without-a-key-0000' } : {}),
      LOG_LEVEL: 'warn',
    },
    log,
    children,
  });
}

interface Measurement {
  label: string;
  paths: number;
  requests: number;
  p50: number;
  p95: number;
  max: number;
  failures: number;
  target: number;
  note?: string;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/** R requests cycling through the paths, one at a time; a warm-up round first (not counted). */
async function measure(
  label: string,
  appUrl: string,
  paths: string[],
  requests: number,
  headers: Record<string, string>,
  target: number,
  log: Logger,
): Promise<Measurement> {
  const failures = new Map<number, number>();
  for (const p of paths) await send(`${appUrl}${p}`, { headers });
  const times: number[] = [];
  for (let i = 0; i < requests; i += 1) {
    const started = performance.now();
    const response = await send(`${appUrl}${paths[i % paths.length]}`, { headers });
    times.push(performance.now() - started);
    if (response.status !== 200) failures.set(response.status, (failures.get(response.status) ?? 0) + 1);
  }
  times.sort((a, b) => a - b);
  const failed = [...failures.values()].reduce((sum, n) => sum + n, 0);
  const measurement: Measurement = {
    label,
    paths: paths.length,
    requests,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: times.at(-1) ?? NaN,
    failures: failed,
    target,
    ...(failed ? { note: [...failures].map(([status, n]) => `${n} × HTTP ${status}`).join(', ') } : {}),
  };
  log.info(measurement, `measured: ${label}`);
  return measurement;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '–');
const seconds = (value: number) => (value / 1000).toFixed(1);

interface Report {
  date: string;
  options: Options;
  machine: string;
  postgres: string;
  load: { before: number; after: number };
  counts: Counts;
  /** Undefined when a kept history was measured again. */
  loadMs: number | undefined;
  measurements: Measurement[];
  municipalities: string[];
  periods: string[];
}

function renderReport(report: Report): string {
  const { options, counts } = report;
  const rows = report.measurements.map(
    (m) =>
      `| ${m.label} | ${m.requests} (${m.paths} URLs) | ${ms(m.p50)} | ${ms(m.p95)} | ${ms(m.max)} | ${m.target} | ${m.p95 <= m.target && m.failures === 0 ? 'met' : 'missed'}${m.note ? ` (${m.note})` : ''} |`,
  );
  return [
    `Measured ${report.date} with \`npm run bench:stats -- --assignments ${options.assignments} --applications ${options.applications} --requests ${options.requests}\`.`,
    '',
    `- Machine: ${report.machine}.`,
    `  Load average (1 min) ${report.load.before.toFixed(1)} at the start and ${report.load.after.toFixed(1)} at the end: everything else running on the machine competes for its CPUs.`,
    `- Database: ${report.postgres} (embedded), the app (\`src/server.ts\`, NODE_ENV=production, its own process) and the client on the same machine.`,
    `- Data: ${counts.assignments} assignments in ${counts.municipalities} municipalities over ${MONTHS} months, ${counts.applications} applications (${counts.accepted} accepted) from ${counts.residents} residents, ${counts.salaries} salaries (${report.loadMs === undefined ? 'reused from a kept data folder' : `loaded in ${seconds(report.loadMs)} s, not measured`}).`,
    `- Requests: one at a time after one warm-up round, cycling through municipalities ${report.municipalities.join(', ')} and periods ${report.periods.join(', ')}.`,
    '',
    '| endpoint | requests | p50 ms | p95 ms | max ms | target p95 ms | result |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}

/** The municipalities measured: the pilot ones and the two with the most assignments. */
async function chosenMunicipalities(db: Db): Promise<string[]> {
  const largest: string[] = await db('assignments')
    .groupBy('municipality_code')
    .orderByRaw('count(*) DESC, municipality_code')
    .limit(2)
    .pluck('municipality_code');
  return [...new Set(['2481', '2417', '0188', ...largest])];
}

async function benchmark(
  config: Config,
  log: Logger,
  options: Options,
  workDir: string,
  cleanups: Array<() => Promise<void>>,
  children: Set<ChildProcess>,
) {
  const runtime = await openRuntime(config, log);
  cleanups.push(() => runtime.close());
  const { db, infra } = runtime;
  if (infra.mode.database === 'external') throw new Error('bench:stats loads rows that cannot be deleted: unset DATABASE_URL');
  const loadBefore = os.loadavg()[0] ?? 0;

  const started = performance.now();
  let loadMs: number | undefined;
  let counts = await countHistory(db);
  if (counts.assignments > 0 && options.keep) {
    if (counts.assignments !== options.assignments)
      throw new Error(
        `${options.keep} holds ${counts.assignments} assignments, not ${options.assignments}: remove it to load anew`,
      );
    // Migrations ran on it when the runtime opened; one that filled a table (statistics_acceptances) leaves it
    // without statistics or visibility map until autovacuum comes by, as after the bulk load below.
    await db.raw('VACUUM (ANALYZE)');
    process.stdout.write(`\nReusing the history in ${options.keep}: ${JSON.stringify(counts)}\n`);
  } else {
    log.info(`Loading ${options.assignments} assignments and ${options.applications} applications`);
    counts = await loadHistory(db, options, log);
    loadMs = performance.now() - started;
    process.stdout.write(`\nLoaded in ${seconds(loadMs)} s: ${JSON.stringify(counts)}\n`);
  }
  if (options.dryRun) return;

  const password = randomBytes(12).toString('base64url');
  await db('users')
    .insert({
      email: 'bench-stats-admin@example.invalid',
      name: 'Benchmark admin',
      password_hash: await hashPassword(password),
      password_changed_at: db.fn.now(),
      email_verified_at: db.fn.now(),
      is_admin: true,
    })
    .onConflict('email')
    .merge(['password_hash', 'password_changed_at']);
  const app = await startApp(runtime, workDir, log, children);
  cleanups.push(app.stop);
  const cookie = await logIn(app.url, 'bench-stats-admin@example.invalid', password);

  const municipalities = await chosenMunicipalities(db);
  const periods = ['quarter', 'year', 'last30', 'month'];
  const dashboardPaths = municipalities.flatMap((code) => periods.map((period) => `/statistik/kommun/${code}?period=${period}`));
  const probe = await send(`${app.url}${dashboardPaths[0]}`, { headers: { ...PROXY_HEADERS, cookie } });
  if (probe.status !== 200)
    log.warn({ status: probe.status }, `The dashboard answers HTTP ${probe.status}: is its route mounted?`);
  const dashboard = await measure(
    'dashboard `GET /statistik/kommun/:code` (admin)',
    app.url,
    dashboardPaths,
    options.requests,
    { ...PROXY_HEADERS, cookie },
    DASHBOARD_TARGET_MS,
    log,
  );
  const apiPaths = [
    ...periods.map((period) => `/api/v1/statistics?period=${period}`),
    ...municipalities.slice(0, 3).map((code) => `/api/v1/statistics?period=year&municipality=${code}`),
    '/api/v1/statistics?period=quarter&county=24',
  ];
  const api = await measure(
    'open data `GET /api/v1/statistics`',
    app.url,
    apiPaths,
    options.requests,
    PROXY_HEADERS,
    API_TARGET_MS,
    log,
  );

  const [postgres] = (await db.raw<{ rows: Array<{ version: string }> }>('SELECT version()')).rows;
  const m = machine();
  const rendered = renderReport({
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    options,
    machine: `${m.cpus} CPUs (${m.cpu}), ${m.memoryGiB} GiB memory, ${m.os}; Node ${m.node}`,
    postgres: postgres?.version.split(' on ')[0] ?? 'PostgreSQL',
    load: { before: loadBefore, after: os.loadavg()[0] ?? 0 },
    counts,
    loadMs,
    measurements: [dashboard, api],
    municipalities,
    periods,
  });
  process.stdout.write(`\n${rendered}\n\n`);
  await writeReport(
    options.report,
    { start: REPORT_START, end: REPORT_END, intro: `${SECTION_INTRO}\n\n### Latest statistics measurement` },
    rendered,
  );
  process.stdout.write(`Written to ${path.relative(process.cwd(), options.report)}\n`);
}

const options = parseOptions();
if (!options) {
  console.error(USAGE);
  process.exitCode = 2;
} else {
  const children = new Set<ChildProcess>();
  await runBenchmark(
    {
      tmpPrefix: 'ub-bench-stats-',
      ...(options.keep ? { env: { DATA_DIR: options.keep } } : {}),
      beforeCleanup: async () => {
        for (const child of children) if (child.pid !== undefined) await stopProcess(child.pid, 'SIGTERM', 15_000);
      },
    },
    ({ config, log, workDir, cleanups }) => benchmark(config, log, options, workDir, cleanups, children),
  );
}
