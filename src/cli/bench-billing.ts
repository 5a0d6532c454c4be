// npm run bench:billing [-- --count N --workers W --concurrency C --report FILE]
//
// The payroll benchmark (issue 12, item 8): in its own embedded PostgreSQL under a temporary DATA_DIR, loads N
// fully paid invoices (with their payments, spread over W workers with enterprise accounts whose personnummer
// is sealed with the runtime's data keys, as account-service.ts does), then times what payroll does with them:
//   1. the salary job's service function (runSalary) for every invoice, C at a time like the job runner;
//   2. every payslip PDF through the worker's own download service (getPayslipPdf);
//   3. the period's SIE export (sieExport) with every invoice, payment and salary voucher.
// Target (issue 12): 10 000 salaries with their payslips and the SIE export in under 60 s on a 2-core machine.
// Prints a table and writes it into docs/PERFORMANCE.md between its own markers, leaving the rest of the file.
// The rows it makes cannot be deleted (salaries and invoices refuse it), so it never runs on DATABASE_URL.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { addDays, todayInStockholm, type CalendarDate } from '../platform/calendar.js';
import type { Db } from '../platform/db.js';
import { encryptSecret, keyedHash, type DataKeys } from '../platform/encryption.js';
import type { Logger } from '../platform/logger.js';
import { multiplyByBasisPoints, ore, type Ore } from '../platform/money.js';
import { ocrReference } from '../platform/ocr.js';
import type { Actor } from '../modules/access/index.js';
import { defaultPeriod, getPayslipPdf, runSalary, sieExport } from '../modules/billing/index.js';
import { openRuntime } from '../runtime.js';
import { machine, runBenchmark, writeReport } from './bench-harness.js';
import { demoOperator } from '../../seeds/demo.js';
import { ensureSyntheticOrganisations } from '../../seeds/synthetic.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const USAGE = 'Usage: npm run bench:billing -- [--count N] [--workers W] [--concurrency C] [--report FILE]';
const TARGET_MS = 60_000;
const BATCH_SIZE = 1_000;
const REPORT_START = '<!-- bench:billing results start -->';
const REPORT_END = '<!-- bench:billing results end -->';
/** What the section says once, when the file has no billing section yet; later runs replace only the markers' part. */
const SECTION_INTRO = `## Billing: payroll

\`npm run bench:billing\` measures payroll on synthetic paid invoices (issue 12, item 8). Options:
\`--count N\` invoices (default 10 000), \`--workers W\` workers they are spread over (default N / 10, at
most 10 000), \`--concurrency C\` salaries and payslips under way at a time (default 5, the job runner's),
\`--report FILE\` (default this file). It starts its own embedded PostgreSQL in a temporary folder, loads
the invoices (paid in full this month, with their payments; workers with enterprise accounts in every tax
mode and age band), then times the salary job's service function for every invoice, every payslip PDF
through the worker's download service and the month's SIE export. Target: 10 000 salaries with payslips
and the SIE export in under 60 s. The part between the markers below is replaced by each run.`;

interface Options {
  count: number;
  workers: number;
  concurrency: number;
  report: string;
}

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '10000' },
      workers: { type: 'string' },
      concurrency: { type: 'string', default: '5' },
      report: { type: 'string', default: path.join(ROOT, 'docs', 'PERFORMANCE.md') },
    },
  });
  const count = Number(values.count);
  const workers = values.workers === undefined ? Math.max(1, Math.ceil(count / 10)) : Number(values.workers);
  const concurrency = Number(values.concurrency);
  if (
    ![count, workers, concurrency].every((n) => Number.isSafeInteger(n) && n > 0) ||
    count > 1_000_000 ||
    workers > count ||
    workers > 10_000
  )
    return undefined;
  return { count, workers, concurrency, report: path.resolve(values.report) };
}

/** The same figures on every run: a small linear congruential generator. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const ACTOR_BASE = { isAdmin: false, emailVerified: true, memberships: new Map(), officerOf: new Set<string>() };
const PAYROLL: Actor = { ...ACTOR_BASE, isPayroll: true };
const workerActor = (userId: number): Actor => ({ ...ACTOR_BASE, userId, isPayroll: false });

/** A birth date in one of the contribution bands: youth reduction, full rate, pensioner. */
function birthDateOf(i: number, next: () => number): CalendarDate {
  const year = i % 10 === 0 ? 2005 : i % 10 === 1 ? 1955 : 1970 + Math.floor(next() * 30);
  return `${year}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
}

async function insertWorkers(db: Db, keys: DataKeys, workers: number): Promise<number[]> {
  const next = random(20261206);
  const ids: number[] = [];
  for (let start = 0; start < workers; start += BATCH_SIZE) {
    const users = Array.from({ length: Math.min(BATCH_SIZE, workers - start) }, (_, j) => ({
      email: `bench-billing-${start + j}@example.invalid`,
      name: `Arbetare ${start + j}`,
    }));
    const inserted = await db('users').insert(users).returning<{ id: number }[]>('id');
    const accounts = inserted.map(({ id }, j) => {
      const i = start + j;
      const birthDate = birthDateOf(i, next);
      // Synthetic: the birth date and a serial (unique up to 10 000 workers), never a real person's number.
      const digits = `${birthDate.replaceAll('-', '')}${String(i % 10_000).padStart(4, '0')}`;
      const sealed = encryptSecret(keys, digits, `enterprise_accounts.personal_number:${id}`);
      const taxMode = i % 20 === 0 ? 'sink' : i % 7 === 0 ? 'own' : 'side_income';
      return {
        user_id: id,
        personal_number_ciphertext: sealed.ciphertext,
        personal_number_key_id: sealed.keyId,
        personal_number_hash: keyedHash(keys, digits, 'personal_number'),
        coordination_number: false,
        birth_date: birthDate,
        clearing_number: '8327',
        account_number: String(9_000_000_000 + i),
        tax_mode: taxMode,
        own_tax_bp: taxMode === 'own' ? 2900 + (i % 7) * 50 : null,
        tax_decision_date: taxMode === 'own' ? '2026-01-15' : null,
        terms_accepted_at: db.fn.now(),
      };
    });
    await db('enterprise_accounts').insert(accounts);
    ids.push(...inserted.map(({ id }) => Number(id)));
  }
  return ids;
}

/** N invoices paid in full this month (rows as issueInvoice writes them), each with its matching payment. */
async function insertPaidInvoices(db: Db, options: Options, workerIds: readonly number[], today: CalendarDate) {
  const operator = demoOperator();
  await db('operator_settings').insert(operator).onConflict('valid_from').ignore();
  const settings = (await db('operator_settings').where('valid_from', operator.valid_from).first('id')) as { id: number };
  const organisationIds = await ensureSyntheticOrganisations(db);
  const next = random(20261207);
  const { from } = defaultPeriod(today);
  const invoiceDate = from;
  const invoiceIds: number[] = [];
  for (let start = 0; start < options.count; start += BATCH_SIZE) {
    const rows = Array.from({ length: Math.min(BATCH_SIZE, options.count - start) }, (_, j) => {
      const number = start + j + 1;
      const expenses = ore(number % 5 === 0 ? 5_000 + Math.floor(next() * 45_000) : 0);
      const amountExclVat = ore(20_000 + Math.floor(next() * 780_000) + expenses);
      const vat = multiplyByBasisPoints(amountExclVat, 2500);
      return {
        series: operator.invoice_series,
        number,
        operator_settings_id: settings.id,
        organisation_id: organisationIds[number % organisationIds.length],
        worker_user_id: workerIds[number % workerIds.length],
        buyer_name: 'Syntetisk förening',
        buyer_address: 'Storgatan 1\n921 31 Lycksele',
        buyer_email: 'kassor@example.invalid',
        invoice_date: invoiceDate,
        due_date: addDays(invoiceDate, operator.payment_terms_days),
        delivery_start: addDays(invoiceDate, -14),
        delivery_end: addDays(invoiceDate, -1),
        ocr: ocrReference(number, { lengthDigit: true }),
        vat_bp: 2500,
        amount_excl_vat_ore: amountExclVat,
        vat_ore: vat,
        total_ore: (amountExclVat + vat) as Ore,
        expenses_ore: expenses,
        fee_ore: multiplyByBasisPoints(amountExclVat, operator.fee_bp),
        status: 'paid',
        paid_at: db.fn.now(),
        subject: `Uppdrag ${number}`,
      };
    });
    const inserted = await db('invoices')
      .insert(rows)
      .returning<{ id: number; total_ore: string; ocr: string }[]>(['id', 'total_ore', 'ocr']);
    await db('payments').insert(
      inserted.map((invoice) => ({
        invoice_id: invoice.id,
        amount_ore: invoice.total_ore,
        paid_on: today,
        reference: invoice.ocr,
        source: 'manual',
      })),
    );
    invoiceIds.push(...inserted.map(({ id }) => Number(id)));
  }
  await db('invoice_number_counters')
    .insert({ series: operator.invoice_series, next_number: options.count + 1 })
    .onConflict('series')
    .merge();
  return invoiceIds;
}

/** Runs `work` over the items, `concurrency` at a time. */
async function eachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let nextIndex = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (nextIndex < items.length) await work(items[nextIndex++] as T);
  });
  await Promise.all(lanes);
}

/** The machine, as one line of the report. */
function machineLine(): string {
  const m = machine();
  return `${m.cpus} CPUs (${m.cpu}), ${m.memoryGiB} GiB memory, ${m.os}; Node ${m.node}`;
}

interface Phase {
  label: string;
  ms: number;
  items: number;
  note?: string;
}

interface Report {
  date: string;
  options: Options;
  machine: string;
  postgres: string;
  load: { before: number; after: number };
  seed: Phase;
  phases: Phase[];
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

function renderReport(report: Report): string {
  const { options } = report;
  const total = report.phases.reduce((sum, phase) => sum + phase.ms, 0);
  const rows = report.phases.map(
    (phase) =>
      `| ${phase.label} | ${phase.items} | ${seconds(phase.ms)} | ${(phase.ms / phase.items).toFixed(2)} | ${phase.note ?? ''} |`,
  );
  return [
    `Measured ${report.date} with \`npm run bench:billing -- --count ${options.count} --workers ${options.workers} --concurrency ${options.concurrency}\`.`,
    '',
    `- Machine: ${report.machine}.`,
    `  Load average (1 min) ${report.load.before.toFixed(1)} at the start and ${report.load.after.toFixed(1)} at the end: everything else running on the machine competes for its CPUs.`,
    `- Database: ${report.postgres} (embedded), on the same machine as the benchmark.`,
    `- Data: ${options.count} invoices paid in full this month with their payments, spread over ${options.workers} workers with enterprise accounts (loaded in ${seconds(report.seed.ms)} s, not part of the total).`,
    '',
    '| phase | items | s | ms per item | note |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows,
    `| **total** | | **${seconds(total)}** | | target ${seconds(TARGET_MS)} s: ${total <= TARGET_MS ? 'met' : 'missed'} |`,
  ].join('\n');
}

async function benchmark(config: Config, log: Logger, options: Options, cleanups: Array<() => Promise<void>>) {
  const runtime = await openRuntime(config, log);
  cleanups.push(() => runtime.close());
  const { db, infra } = runtime;
  if (infra.mode.database === 'external') throw new Error('bench:billing makes rows that cannot be deleted: unset DATABASE_URL');
  if (!infra.dataKeys) throw new Error('No data keys: enterprise accounts cannot be made');
  const today = todayInStockholm();
  const loadBefore = os.loadavg()[0] ?? 0;

  log.info(`Loading ${options.count} paid invoices for ${options.workers} workers`);
  let started = performance.now();
  const workerIds = await insertWorkers(db, infra.dataKeys, options.workers);
  const invoiceIds = await insertPaidInvoices(db, options, workerIds, today);
  await db.raw('ANALYZE');
  const seed: Phase = { label: 'load', ms: performance.now() - started, items: invoiceIds.length };
  log.info({ ms: Math.round(seed.ms) }, 'loaded');

  // The job logs each skipped invoice; the benchmark counts them instead.
  const quiet = log.child({}, { level: 'error' });
  const salaries: Array<{ salaryId: number; workerId: number }> = [];
  const skipped: Record<string, number> = {};
  const workerOfInvoice = new Map(invoiceIds.map((id, i) => [id, workerIds[(i + 1) % workerIds.length]!]));
  started = performance.now();
  await eachConcurrently(invoiceIds, options.concurrency, async (invoiceId) => {
    const run = await runSalary(db, quiet, invoiceId, today);
    if ('salaryId' in run) salaries.push({ salaryId: run.salaryId, workerId: workerOfInvoice.get(invoiceId)! });
    else skipped[run.skipped] = (skipped[run.skipped] ?? 0) + 1;
  });
  const salaryPhase: Phase = {
    label: 'salaries (runSalary, the invoice_paid job)',
    ms: performance.now() - started,
    items: invoiceIds.length,
    note: `${salaries.length} salaries${Object.keys(skipped).length ? `, skipped ${JSON.stringify(skipped)}` : ''}`,
  };
  log.info(salaryPhase, 'salaries computed');
  if (salaries.length === 0) throw new Error('No salary was computed');

  let pdfBytes = 0;
  started = performance.now();
  await eachConcurrently(salaries, options.concurrency, async ({ salaryId, workerId }) => {
    // Awaited first: `pdfBytes += await …` would read the sum before the wait and lose the other lanes' additions.
    const { body } = await getPayslipPdf(db, workerActor(workerId), salaryId);
    pdfBytes += body.length;
  });
  const payslipPhase: Phase = {
    label: 'payslip PDFs (getPayslipPdf)',
    ms: performance.now() - started,
    items: salaries.length,
    note: `${(pdfBytes / 2 ** 20).toFixed(1)} MiB, ${Math.round(pdfBytes / salaries.length / 1024)} KiB each`,
  };
  log.info(payslipPhase, 'payslips rendered');

  const period = defaultPeriod(today);
  started = performance.now();
  const sie = await sieExport(db, PAYROLL, { ...period });
  const siePhase: Phase = {
    label: `SIE export ${period.from} – ${period.to} (sieExport)`,
    ms: performance.now() - started,
    items: sie.body.toString('latin1').match(/^#VER /gm)?.length ?? 0,
    note: `vouchers of invoices, payments and salaries; ${(sie.body.length / 2 ** 20).toFixed(1)} MiB`,
  };
  log.info(siePhase, 'SIE exported');

  const [postgres] = (await db.raw<{ rows: Array<{ version: string }> }>('SELECT version()')).rows;
  const rendered = renderReport({
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    options,
    machine: machineLine(),
    postgres: postgres?.version.split(' on ')[0] ?? 'PostgreSQL',
    load: { before: loadBefore, after: os.loadavg()[0] ?? 0 },
    seed,
    phases: [salaryPhase, payslipPhase, siePhase],
  });
  process.stdout.write(`\n${rendered}\n\n`);
  await writeReport(
    options.report,
    { start: REPORT_START, end: REPORT_END, intro: `${SECTION_INTRO}\n\n### Latest billing measurement` },
    rendered,
  );
  process.stdout.write(`Written to ${path.relative(process.cwd(), options.report)}\n`);
}

const options = parseOptions();
if (!options) {
  console.error(USAGE);
  process.exitCode = 2;
} else {
  await runBenchmark({ tmpPrefix: 'ub-bench-billing-' }, ({ config, log, cleanups }) =>
    benchmark(config, log, options, cleanups),
  );
}
