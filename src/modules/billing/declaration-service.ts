import { addDays, addMonths, STOCKHOLM_TIME_ZONE, todayInStockholm, type CalendarDate } from '../../platform/calendar.js';
import { inTransaction, type Db } from '../../platform/db.js';
import type { DataKeys } from '../../platform/encryption.js';
import { AppError } from '../../platform/errors.js';
import { ore, type Ore } from '../../platform/money.js';
import { authorize, type Actor } from '../access/index.js';
import { getEnterpriseAccount, revealPersonalNumber } from './account-service.js';
import { selectSalariesPaidBetween, type DeclaredSalary } from './declaration-queries.js';
import { declarationXml, type IndividualReturn } from './declaration-xml.js';
import { operatorSettingsOn } from './operator-service.js';

// The monthly employer declaration for payroll staff: a preview (masked numbers) and the XML file (full numbers,
// each one written to personal_data_views with the purpose "arbetsgivardeklaration YYYY-MM"). A month holds
// the salaries whose payout date falls in it; payout dates are Stockholm calendar dates, so the month's bounds
// are too. Messages are i18n keys of src/locales/<lang>/declaration.json.

const ERRORS = 'declaration.errors';
export const DECLARATION_PATH = '/lon/arbetsgivardeklaration';
export const DECLARATION_FILE_PATH = '/lon/arbetsgivardeklaration.xml';

export type MonthCheck = { ok: true; month: string } | { ok: false; message: string; typed: string };

/** 'YYYY-MM' from the query; nothing at all means the month before this one (the one declared now). */
export function checkDeclarationMonth(input: unknown, today: CalendarDate = todayInStockholm()): MonthCheck {
  if (input === undefined || input === '') return { ok: true, month: addMonths(today, -1).slice(0, 7) };
  const typed = typeof input === 'string' ? input.slice(0, 40) : '';
  if (typeof input !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(input))
    return { ok: false, message: `${ERRORS}.month`, typed };
  const year = Number(input.slice(0, 4));
  if (year < 2019 || year > Number(today.slice(0, 4)) + 1) return { ok: false, message: `${ERRORS}.monthRange`, typed };
  return { ok: true, month: input };
}

export interface PreviewReturn {
  salaryId: number;
  specificationNumber: number;
  workerName: string | null;
  /** "19900101-****"; null when the worker's account is gone (no number to declare). */
  maskedPersonalNumber: string | null;
  payoutDate: CalendarDate;
  cashPayKr: number;
  contributionBase: boolean;
  taxKr: number;
}

export interface DeclarationPreview {
  month: string;
  period: string;
  contributionsKr: number;
  taxKr: number;
  cashPayKr: number;
  individuals: PreviewReturn[];
  /** Salaries whose worker has no account any more: they cannot be declared from here. */
  missingNumbers: number;
}

const wholeKronor = (amount: Ore) => Math.floor(amount / 100);

function monthBounds(month: string): { from: CalendarDate; until: CalendarDate } {
  const from = `${month}-01`;
  return { from, until: addMonths(from, 1) };
}

/**
 * The specification number (field 570) is the salary's own id: unique per person and period as the schema asks,
 * and the same in every file made for the month, so a corrected file replaces the same individual returns.
 */
function individualOf(salary: DeclaredSalary): Omit<IndividualReturn, 'personalNumber'> {
  return {
    specificationNumber: salary.id,
    cashPayKr: wholeKronor(salary.grossOre),
    contributionBase: salary.contributionLineCount > 0,
    taxKr: wholeKronor(salary.taxOre),
  };
}

function totals(salaries: DeclaredSalary[]) {
  const individuals = salaries.map(individualOf);
  return {
    contributionsKr: wholeKronor(ore(salaries.reduce((sum, salary) => sum + salary.contributionsOre, 0))),
    taxKr: individuals.reduce((sum, individual) => sum + individual.taxKr, 0),
    cashPayKr: individuals.reduce((sum, individual) => sum + individual.cashPayKr, 0),
  };
}

export async function getDeclarationPreview(db: Db, actor: Actor, month: string): Promise<DeclarationPreview> {
  authorize(actor, 'payroll.manage');
  const { from, until } = monthBounds(month);
  const salaries = await selectSalariesPaidBetween(db, from, until);
  const masked = new Map<number, string | null>();
  for (const salary of salaries) {
    if (salary.workerUserId === null || masked.has(salary.workerUserId)) continue;
    masked.set(salary.workerUserId, (await getEnterpriseAccount(db, salary.workerUserId))?.maskedPersonalNumber ?? null);
  }
  const individuals = salaries.map((salary) => ({
    ...individualOf(salary),
    salaryId: salary.id,
    workerName: salary.workerName,
    maskedPersonalNumber: salary.workerUserId === null ? null : (masked.get(salary.workerUserId) ?? null),
    payoutDate: salary.payoutDate,
  }));
  return {
    month,
    period: month.replace('-', ''),
    ...totals(salaries),
    individuals,
    missingNumbers: individuals.filter((individual) => individual.maskedPersonalNumber === null).length,
  };
}

export interface DeclarationDownload {
  filename: string;
  body: Buffer;
}

/** The XML file for Skatteverket's e-service. It holds full personnummer: every one is audited as it is read. */
export async function getDeclarationFile(
  db: Db,
  dataKeys: DataKeys | undefined,
  actor: Actor,
  month: string,
  now: Date = new Date(),
): Promise<DeclarationDownload> {
  authorize(actor, 'payroll.manage');
  const { from, until } = monthBounds(month);
  // The employer as it stood when the month ended; a month before the first version takes the current one.
  const employer = (await operatorSettingsOn(db, addDays(until, -1))) ?? (await operatorSettingsOn(db, todayInStockholm(now)));
  if (!employer) throw new AppError('conflict', `${ERRORS}.noOperator`);
  return inTransaction(db, async (trx) => {
    const salaries = await selectSalariesPaidBetween(trx, from, until);
    if (salaries.some((salary) => salary.workerUserId === null)) throw new AppError('conflict', `${ERRORS}.missingNumbers`);
    const purpose = `arbetsgivardeklaration ${month}`;
    const numbers = new Map<number, string>();
    for (const { workerUserId } of salaries) {
      if (numbers.has(workerUserId!)) continue;
      const formatted = await revealPersonalNumber(trx, dataKeys, actor, workerUserId!, purpose);
      numbers.set(workerUserId!, formatted.replace('-', ''));
    }
    const period = month.replace('-', '');
    const xml = declarationXml({
      employer: { organisationNumber: employer.organisationNumber, name: employer.name, email: employer.email },
      period,
      ...totals(salaries),
      individuals: salaries.map((salary) => ({
        ...individualOf(salary),
        personalNumber: numbers.get(salary.workerUserId!)!,
      })),
      createdAt: stockholmTimestamp(now),
    });
    return { filename: `arbetsgivardeklaration-${period}.xml`, body: Buffer.from(xml, 'utf8') };
  });
}

/** 'YYYY-MM-DDTHH:MM:SS' on the Stockholm wall clock. */
function stockholmTimestamp(now: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: STOCKHOLM_TIME_ZONE,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}
