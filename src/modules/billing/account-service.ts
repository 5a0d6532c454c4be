import { ageOn, todayInStockholm, type CalendarDate } from '../../platform/calendar.js';
import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { decryptSecret, encryptSecret, keyedHash, keyedHashes, type DataKeys } from '../../platform/encryption.js';
import { AppError, badRequest, FormError, notFound } from '../../platform/errors.js';
import {
  formatPersonnummer,
  parsePersonnummer,
  type Personnummer,
  type PersonnummerProblem,
} from '../../platform/identifiers.js';
import { hasValidLuhnCheckDigit } from '../../platform/luhn.js';
import { bankFor, parseBankAccount } from '../../platform/bank-account.js';
import { dateProblem, formText, hasForbiddenCharacters } from '../../platform/validation.js';
import { authorize, type Actor } from '../access/index.js';
import {
  insertEnterpriseAccount,
  insertPersonalDataView,
  selectAccountsSealedWithOtherKeys,
  selectEnterpriseAccount,
  selectTaxParameters,
  selectUserIdByPersonalNumberHash,
  TAX_MODES,
  updateBankAccount,
  updateSealedPersonalNumber,
  updateTax,
  type EnterpriseAccountRow,
  type TaxMode,
} from './account-queries.js';

// The worker's simplified-enterprise account (PRODUCT.md, "Activation"): personnummer or samordningsnummer, bank
// account and tax choice, once; afterwards the bank account and the tax can change, the number cannot. The number
// is kept encrypted (platform/encryption.ts) with a keyed hash for uniqueness, and shown masked everywhere; the
// full number only to the person and to payroll staff, each view written to personal_data_views. Messages are
// i18n keys of src/locales/<lang>/billing-account.json.

export { TAX_MODES, type TaxMode };

/** The age at which one may be employed here (the Work Environment Act's general minimum). */
export const MINIMUM_AGE = 15;
/** The purpose a person's view of their own number is logged with. */
const OWN_VIEW_PURPOSE = 'self';

const HASH_PURPOSE = 'personal_number';
/** Binds a ciphertext to its row: it cannot be copied to another person's account and opened there. */
const sealingContext = (userId: number) => `enterprise_accounts.personal_number:${userId}`;

const ERRORS = 'enterpriseAccount.errors';

/** The account as every page and other service sees it: never the full number. */
export interface EnterpriseAccount {
  userId: number;
  /** "19900101-****" (a samordningsnummer shows its day + 60, as it is written). */
  maskedPersonalNumber: string;
  coordinationNumber: boolean;
  birthDate: CalendarDate;
  clearingNumber: string;
  accountNumber: string;
  /** The bank the clearing number belongs to (undefined should a clearing range ever be withdrawn). */
  bank: string | undefined;
  taxMode: TaxMode;
  /** Basis points (3250 = 32.5 %), for taxMode 'own' only. */
  ownTaxBp: number | null;
  taxDecisionDate: CalendarDate | null;
  termsAcceptedAt: Date;
}

export interface ActivationForm extends BankForm, TaxForm {
  personalNumber: string;
  terms: boolean;
}
export interface BankForm {
  clearingNumber: string;
  accountNumber: string;
}
export interface TaxForm {
  taxMode: string;
  ownTaxPercent: string;
  taxDecisionDate: string;
}

export interface EnterpriseAccountPage {
  account: EnterpriseAccount | undefined;
  /** False until the e-mail address is verified (invoices and payslips go there). */
  canActivate: boolean;
  /** Withholding in force today for the choices without an own figure. */
  taxRates: { sideIncomeBp: number | undefined; sinkBp: number | undefined };
}

// ---------------------------------------------------------------------------------------------------------------
// For other services (they authorise their own callers)

/** The account of `userId`, masked; undefined when the person has not activated one. */
export async function getEnterpriseAccount(db: DbOrTrx, userId: number): Promise<EnterpriseAccount | undefined> {
  const row = await selectEnterpriseAccount(db, userId);
  return row && present(row);
}

/**
 * The full personnummer ("19900101-0017") of `workerId` for the person themself or payroll staff, written to the
 * audit log with `purpose` (what it is needed for, e.g. "arbetsgivardeklaration 2026-03") in the same breath.
 * 404 when the worker has no account; 403 (401 for a visitor) for anyone else.
 */
export async function revealPersonalNumber(
  db: DbOrTrx,
  dataKeys: DataKeys | undefined,
  actor: Actor,
  workerId: number,
  purpose: string,
): Promise<string> {
  authorize(actor, 'personalNumber.view', { workerId });
  const why = purpose.trim();
  if (!why || why.length > 200 || hasForbiddenCharacters(why))
    throw badRequest('A personnummer is shown only for a stated purpose');
  const keys = requireKeys(dataKeys);
  const row = await selectEnterpriseAccount(db, workerId);
  if (!row) throw notFound();
  const digits = decryptSecret(
    keys,
    { keyId: row.personalNumberKeyId, ciphertext: row.personalNumberCiphertext },
    sealingContext(workerId),
  );
  await insertPersonalDataView(db, { viewerUserId: actor.userId!, subjectUserId: workerId, purpose: why });
  return formatPersonnummer(digits);
}

// ---------------------------------------------------------------------------------------------------------------
// The person's own page

export async function getEnterpriseAccountPage(
  db: DbOrTrx,
  actor: Actor,
  today = todayInStockholm(),
): Promise<EnterpriseAccountPage> {
  authorize(actor, 'account.view');
  const [account, taxRates] = await Promise.all([getEnterpriseAccount(db, actor.userId!), selectTaxParameters(db, today)]);
  return { account, canActivate: actor.emailVerified, taxRates };
}

export function emptyActivationForm(): ActivationForm {
  return {
    personalNumber: '',
    clearingNumber: '',
    accountNumber: '',
    taxMode: 'side_income',
    ownTaxPercent: '',
    taxDecisionDate: '',
    terms: false,
  };
}

export function bankFormOf(account: EnterpriseAccount): BankForm {
  return { clearingNumber: account.clearingNumber, accountNumber: account.accountNumber };
}

export function taxFormOf(account: EnterpriseAccount): TaxForm {
  return {
    taxMode: account.taxMode,
    ownTaxPercent: account.ownTaxBp === null ? '' : percentText(account.ownTaxBp),
    taxDecisionDate: account.taxDecisionDate ?? '',
  };
}

export async function activateEnterpriseAccount(
  db: DbOrTrx,
  dataKeys: DataKeys | undefined,
  actor: Actor,
  body: Record<string, unknown>,
  today = todayInStockholm(),
): Promise<void> {
  authorize(actor, 'enterprise.activate');
  const userId = actor.userId!;
  const form = echoActivation(body);
  const errors: Record<string, string> = {};
  const personnummer = readPersonalNumber(body.personalNumber, today, errors);
  const bank = readBank(body, errors);
  const tax = readTax(body, today, errors);
  if (body.terms !== 'yes') errors.terms = `${ERRORS}.terms`;
  if (!personnummer || !bank || !tax || Object.keys(errors).length) throw new FormError(errors, form);
  const keys = requireKeys(dataKeys);

  const alreadyActive = () => new FormError({ form: `${ERRORS}.alreadyActive` }, form, 'conflict');
  const duplicate = () => new FormError({ personalNumber: `${ERRORS}.duplicate` }, form, 'conflict');
  await inTransaction(
    db,
    async (trx) => {
      if (await selectEnterpriseAccount(trx, userId)) throw alreadyActive();
      // Every known key: a number stored before a key rotation is still found.
      if ((await selectUserIdByPersonalNumberHash(trx, keyedHashes(keys, personnummer.digits, HASH_PURPOSE))) !== undefined)
        throw duplicate();
      const sealed = encryptSecret(keys, personnummer.digits, sealingContext(userId));
      await insertEnterpriseAccount(trx, {
        userId,
        personalNumberCiphertext: sealed.ciphertext,
        personalNumberKeyId: sealed.keyId,
        personalNumberHash: keyedHash(keys, personnummer.digits, HASH_PURPOSE),
        coordinationNumber: personnummer.coordinationNumber,
        birthDate: personnummer.birthDate,
        ...bank,
        ...tax,
      });
    },
    // Two activations at once: the database's keys decide, with the same answers as the checks above.
    {
      constraints: {
        enterprise_accounts_pkey: alreadyActive,
        enterprise_accounts_personal_number_hash_unique: duplicate,
      },
    },
  );
}

export async function changeBankAccount(db: DbOrTrx, actor: Actor, body: Record<string, unknown>): Promise<void> {
  authorize(actor, 'enterprise.activate');
  const errors: Record<string, string> = {};
  const bank = readBank(body, errors);
  // Nothing to change without an account: the same 404 whatever was sent.
  if (!(await selectEnterpriseAccount(db, actor.userId!))) throw notFound();
  if (!bank) throw new FormError(errors, echoBank(body));
  if (!(await updateBankAccount(db, actor.userId!, bank))) throw notFound();
}

export async function changeTax(
  db: DbOrTrx,
  actor: Actor,
  body: Record<string, unknown>,
  today = todayInStockholm(),
): Promise<void> {
  authorize(actor, 'enterprise.activate');
  const errors: Record<string, string> = {};
  const tax = readTax(body, today, errors);
  if (!(await selectEnterpriseAccount(db, actor.userId!))) throw notFound();
  if (!tax) throw new FormError(errors, echoTax(body));
  if (!(await updateTax(db, actor.userId!, tax))) throw notFound();
}

export function revealOwnPersonalNumber(db: DbOrTrx, dataKeys: DataKeys | undefined, actor: Actor): Promise<string> {
  authorize(actor, 'account.view');
  return revealPersonalNumber(db, dataKeys, actor, actor.userId!, OWN_VIEW_PURPOSE);
}

// ---------------------------------------------------------------------------------------------------------------
// Key rotation

/**
 * Seals every personnummer stored under an older key again under the current one (and its keyed hash with it),
 * in batches of `batchSize`, each in its own transaction. Returns how many were sealed again. Once it returns,
 * the older keys can be removed from DATA_ENCRYPTION_KEY. Throws when a row names a key that is not configured.
 */
export async function rotatePersonalNumberKeys(db: DbOrTrx, dataKeys: DataKeys, batchSize = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await inTransaction(
      db,
      async (trx) => {
        const rows = await selectAccountsSealedWithOtherKeys(trx, dataKeys.current.id, batchSize);
        for (const row of rows) {
          const context = sealingContext(row.userId);
          const digits = decryptSecret(dataKeys, { keyId: row.keyId, ciphertext: row.ciphertext }, context);
          const sealed = encryptSecret(dataKeys, digits, context);
          await updateSealedPersonalNumber(trx, row.userId, { ...sealed, hash: keyedHash(dataKeys, digits, HASH_PURPOSE) });
        }
        return rows.length;
      },
      { databaseErrors: 'raw' },
    );
    total += done;
    if (done < batchSize) return total;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the forms

function requireKeys(dataKeys: DataKeys | undefined): DataKeys {
  if (!dataKeys) throw new AppError('unavailable', `${ERRORS}.noKey`);
  return dataKeys;
}

export type PersonalNumberCheck = { ok: true; value: Personnummer } | { ok: false; message: string };

/**
 * A personnummer or samordningsnummer as typed on the activation form: valid (the package's date and check digit
 * checks), born on or before `today` and at least MINIMUM_AGE years old; else the message (an i18n key) to show.
 */
export function checkPersonalNumber(input: unknown, today = todayInStockholm()): PersonalNumberCheck {
  const text = typeof input === 'string' ? input.trim() : '';
  if (!text) return { ok: false, message: `${ERRORS}.personalNumberRequired` };
  const result = text.length <= 20 ? parsePersonnummer(text, { today }) : ({ ok: false, problem: 'format' } as const);
  if (!result.ok) return { ok: false, message: `${ERRORS}.${personalNumberProblem(text, result.problem)}` };
  if (ageOn(result.value.birthDate, today) < MINIMUM_AGE) return { ok: false, message: `${ERRORS}.personalNumberTooYoung` };
  return result;
}

function readPersonalNumber(input: unknown, today: CalendarDate, errors: Record<string, string>): Personnummer | undefined {
  const checked = checkPersonalNumber(input, today);
  if (checked.ok) return checked.value;
  errors.personalNumber = checked.message;
  return undefined;
}

/** Why parsePersonnummer refused: the shape, the check digit, or the date (no such day, or after today). */
function personalNumberProblem(text: string, problem: PersonnummerProblem): string {
  if (problem !== 'invalid') return 'personalNumberFormat';
  const lastTen = text.replace(/[\s+-]/g, '').slice(-10);
  return hasValidLuhnCheckDigit(lastTen) ? 'personalNumberDate' : 'personalNumberCheckDigit';
}

function readBank(body: Record<string, unknown>, errors: Record<string, string>): BankForm | undefined {
  const clearing = typeof body.clearingNumber === 'string' ? body.clearingNumber : '';
  const account = typeof body.accountNumber === 'string' ? body.accountNumber : '';
  const before = Object.keys(errors).length;
  if (!clearing.trim()) errors.clearingNumber = `${ERRORS}.clearingNumberRequired`;
  else if (clearing.length > 40) errors.clearingNumber = `${ERRORS}.clearingFormat`;
  if (!account.trim()) errors.accountNumber = `${ERRORS}.accountNumberRequired`;
  else if (account.length > 40) errors.accountNumber = `${ERRORS}.accountFormat`;
  if (Object.keys(errors).length > before) return undefined;
  const result = parseBankAccount(clearing, account);
  if (!result.ok) {
    errors[result.field] = `${ERRORS}.${result.problem}`;
    return undefined;
  }
  return { clearingNumber: result.value.clearingNumber, accountNumber: result.value.accountNumber };
}

function readTax(
  body: Record<string, unknown>,
  today: CalendarDate,
  errors: Record<string, string>,
): { taxMode: TaxMode; ownTaxBp: number | null; taxDecisionDate: CalendarDate | null } | undefined {
  const mode = TAX_MODES.find((candidate) => candidate === body.taxMode);
  if (!mode) {
    errors.taxMode = `${ERRORS}.taxMode`;
    return undefined;
  }
  if (mode !== 'own') return { taxMode: mode, ownTaxBp: null, taxDecisionDate: null };
  const ownTaxBp = parsePercentToBasisPoints(formText(body.ownTaxPercent, 40));
  if (ownTaxBp === undefined) errors.ownTaxPercent = `${ERRORS}.ownTaxPercent`;
  const date = formText(body.taxDecisionDate, 40).trim();
  const problem = date ? dateProblem(date) : `${ERRORS}.taxDecisionDateRequired`;
  if (problem) errors.taxDecisionDate = problem;
  else if (date > today) errors.taxDecisionDate = `${ERRORS}.taxDecisionDateFuture`;
  if (ownTaxBp === undefined || errors.taxDecisionDate) return undefined;
  return { taxMode: mode, ownTaxBp, taxDecisionDate: date };
}

/** "32", "32,5", "32.25 %" → 3200, 3250, 3225; at most two decimals and 100 %. */
export function parsePercentToBasisPoints(input: string): number | undefined {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(input.replace(/\s*%\s*$/, '').trim());
  if (!match) return undefined;
  const basisPoints = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return basisPoints <= 10_000 ? basisPoints : undefined;
}

/** 3250 → "32,5" ("32.5" in English); 3000 → "30". The form reads either back. */
export function percentText(basisPoints: number, lang = 'sv'): string {
  const whole = Math.trunc(basisPoints / 100);
  const fraction = String(basisPoints % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}${lang === 'en' ? '.' : ','}${fraction}` : String(whole);
}

function echoActivation(body: Record<string, unknown>): ActivationForm {
  return { personalNumber: formText(body.personalNumber, 40), ...echoBank(body), ...echoTax(body), terms: body.terms === 'yes' };
}

function echoBank(body: Record<string, unknown>): BankForm {
  return { clearingNumber: formText(body.clearingNumber, 40), accountNumber: formText(body.accountNumber, 40) };
}

function echoTax(body: Record<string, unknown>): TaxForm {
  return {
    taxMode: formText(body.taxMode, 20),
    ownTaxPercent: formText(body.ownTaxPercent, 40),
    taxDecisionDate: formText(body.taxDecisionDate, 40),
  };
}

function present(row: EnterpriseAccountRow): EnterpriseAccount {
  return {
    userId: row.userId,
    maskedPersonalNumber: maskedFromBirthDate(row.birthDate, row.coordinationNumber),
    coordinationNumber: row.coordinationNumber,
    birthDate: row.birthDate,
    clearingNumber: row.clearingNumber,
    accountNumber: row.accountNumber,
    bank: bankFor(row.clearingNumber)?.name,
    taxMode: row.taxMode,
    ownTaxBp: row.ownTaxBp,
    taxDecisionDate: row.taxDecisionDate,
    termsAcceptedAt: row.termsAcceptedAt,
  };
}

/** The masked number from the stored birth date, so showing it never needs the key (identifiers' maskPersonnummer). */
function maskedFromBirthDate(birthDate: CalendarDate, coordinationNumber: boolean): string {
  const [year, month, day] = birthDate.split('-');
  const writtenDay = coordinationNumber ? String(Number(day) + 60) : day;
  return `${year}${month}${writtenDay}-****`;
}
