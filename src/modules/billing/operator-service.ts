import { z } from 'zod';
import { todayInStockholm, type CalendarDate } from '../../platform/calendar.js';
import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { FormError } from '../../platform/errors.js';
import { formatOrganisationsnummer, parseOrganisationsnummer } from '../../platform/identifiers.js';
import { hasValidLuhnCheckDigit } from '../../platform/luhn.js';
import { dateField, fieldErrors, formText, textField } from '../../platform/validation.js';
import { authorize, type Actor } from '../access/index.js';
import { recordAudit } from './audit.js';
import {
  insertOperatorSettings,
  operatorVersionExists,
  selectOperatorSettingsOn,
  selectOperatorVersions,
  type OperatorSettingsRow,
} from './operator-queries.js';

// The operator (employer of the workers and seller on every invoice) as dated versions: a change is a new
// version valid from a day, never an edit, so an invoice always shows the settings of its own date.

/** The operator's settings in force on a day; the service fee in basis points (600 = 6 %). */
export type OperatorSettings = OperatorSettingsRow;

/** The version in force on `date` (the latest valid_from on or before it); undefined before the first version. */
export async function operatorSettingsOn(db: DbOrTrx, date: CalendarDate): Promise<OperatorSettings | undefined> {
  return selectOperatorSettingsOn(db, date);
}

/** The form as the page shows it: text as typed, the checkbox as a flag. */
export interface OperatorForm {
  validFrom: string;
  name: string;
  organisationNumber: string;
  vatNumber: string;
  streetAddress: string;
  postalCode: string;
  city: string;
  bankgiro: string;
  fTaxApproved: boolean;
  feePercent: string;
  paymentTermsDays: string;
  invoiceSeries: string;
  email: string;
}

export interface OperatorVersionView extends OperatorSettings {
  inForce: boolean;
  upcoming: boolean;
}

/** PRODUCT.md's defaults for the very first version. */
const DEFAULT_FEE_BP = 600;
const DEFAULT_PAYMENT_TERMS_DAYS = 30;
const MAX_FEE_BP = 5000;
const MAX_PAYMENT_TERMS_DAYS = 120;

const E = 'operator.errors';

/** 600 → "6", 650 → "6,5", 625 → "6,25": how a Swedish form shows a percentage. */
export function basisPointsAsPercent(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const decimals = String(basisPoints % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return decimals ? `${whole},${decimals}` : String(whole);
}

/** "50501055" → "5050-1055", "1234566" → "123-4566": the four last digits apart, as Bankgirot writes them. */
export function formatBankgiro(digits: string): string {
  return `${digits.slice(0, -4)}-${digits.slice(-4)}`;
}

/** "6", "6,5", "6.25", "6 %" → basis points; undefined for anything else (at most two decimals). */
function percentAsBasisPoints(text: string): number | undefined {
  const match = /^(\d{1,2})(?:[.,](\d{1,2}))?$/.exec(text.replace(/\s*%$/, ''));
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

const required = (field: string, max: number) =>
  textField({ typeMessage: `${E}.${field}Required` })
    .trim()
    .min(1, `${E}.${field}Required`)
    .max(max, `${E}.tooLong`);

const withoutSpaces = (value: string) => value.replace(/[\s-]/g, '');

function versionSchema(today: CalendarDate) {
  return z.object({
    validFrom: dateField({ typeMessage: `${E}.validFromRequired` }).refine((value) => value >= today, `${E}.validFromPast`),
    name: required('name', 200),
    organisationNumber: required('organisationNumber', 20)
      .refine((value) => parseOrganisationsnummer(value)?.legalPerson === true, `${E}.organisationNumberInvalid`)
      .transform((value) => parseOrganisationsnummer(value)!.digits),
    vatNumber: required('vatNumber', 30)
      .transform((value) => withoutSpaces(value).toUpperCase())
      .refine((value) => /^SE\d{10}01$/.test(value), `${E}.vatNumberFormat`),
    streetAddress: required('streetAddress', 200),
    postalCode: required('postalCode', 10)
      .transform(withoutSpaces)
      .refine((value) => /^\d{5}$/.test(value), `${E}.postalCodeInvalid`),
    city: required('city', 100),
    bankgiro: required('bankgiro', 20)
      .transform(withoutSpaces)
      .refine((value) => /^\d{7,8}$/.test(value), { message: `${E}.bankgiroFormat`, abort: true })
      .refine(hasValidLuhnCheckDigit, `${E}.bankgiroCheckDigit`),
    fTaxApproved: z
      .literal('yes', { message: `${E}.fTaxApproved` })
      .optional()
      .transform((value) => value === 'yes'),
    feePercent: required('feePercent', 10)
      .transform(percentAsBasisPoints)
      .refine((value) => value !== undefined && value <= MAX_FEE_BP, `${E}.feePercentInvalid`)
      .transform((value) => value!),
    paymentTermsDays: required('paymentTermsDays', 10)
      .refine((value) => /^\d{1,3}$/.test(value) && Number(value) <= MAX_PAYMENT_TERMS_DAYS, `${E}.paymentTermsDaysInvalid`)
      .transform(Number),
    invoiceSeries: required('invoiceSeries', 10)
      .transform((value) => value.toUpperCase())
      .refine((value) => /^[A-Z0-9]{1,10}$/.test(value), `${E}.invoiceSeriesInvalid`),
    email: required('email', 254).pipe(z.email({ message: `${E}.emailInvalid` })),
  });
}

/** What was submitted, bounded, so a refused form shows it again as typed. */
function echo(body: Record<string, unknown>): OperatorForm {
  return {
    validFrom: formText(body.validFrom, 20),
    name: formText(body.name, 300),
    organisationNumber: formText(body.organisationNumber, 40),
    vatNumber: formText(body.vatNumber, 40),
    streetAddress: formText(body.streetAddress, 300),
    postalCode: formText(body.postalCode, 20),
    city: formText(body.city, 200),
    bankgiro: formText(body.bankgiro, 40),
    fTaxApproved: body.fTaxApproved === 'yes',
    feePercent: formText(body.feePercent, 20),
    paymentTermsDays: formText(body.paymentTermsDays, 20),
    invoiceSeries: formText(body.invoiceSeries, 20),
    email: formText(body.email, 300),
  };
}

/** The form for a new version: the one in force today (else the newest) with today's date, or the defaults. */
function formFrom(base: OperatorSettings | undefined, today: CalendarDate): OperatorForm {
  return {
    validFrom: today,
    name: base?.name ?? '',
    organisationNumber: base ? formatOrganisationsnummer(base.organisationNumber) : '',
    vatNumber: base?.vatNumber ?? '',
    streetAddress: base?.streetAddress ?? '',
    postalCode: base?.postalCode ?? '',
    city: base?.city ?? '',
    bankgiro: base?.bankgiro ?? '',
    fTaxApproved: base?.fTaxApproved ?? true,
    feePercent: basisPointsAsPercent(base?.feeBp ?? DEFAULT_FEE_BP),
    paymentTermsDays: String(base?.paymentTermsDays ?? DEFAULT_PAYMENT_TERMS_DAYS),
    invoiceSeries: base?.invoiceSeries ?? '',
    email: base?.email ?? '',
  };
}

/** Every version, newest first, marked in force today or upcoming. */
export async function listOperatorVersions(
  db: DbOrTrx,
  actor: Actor,
  today: CalendarDate = todayInStockholm(),
): Promise<OperatorVersionView[]> {
  authorize(actor, 'operator.manage');
  const versions = await selectOperatorVersions(db);
  const inForce = versions.find((version) => version.validFrom <= today);
  return versions.map((version) => ({ ...version, inForce: version === inForce, upcoming: version.validFrom > today }));
}

/** The page: the versions and a form prefilled from the version in force. */
export async function getOperatorPage(
  db: DbOrTrx,
  actor: Actor,
  today: CalendarDate = todayInStockholm(),
): Promise<{ versions: OperatorVersionView[]; form: OperatorForm }> {
  const versions = await listOperatorVersions(db, actor, today);
  const base = versions.find((version) => version.inForce) ?? versions[0];
  return { versions, form: formFrom(base, today) };
}

/**
 * Adds a version valid from a day that has not begun to be invoiced yet (today or later); one version a day.
 * Throws FormError<OperatorForm> for refused input (400) or a day that already has a version (409).
 */
export async function addOperatorVersion(
  db: DbOrTrx,
  actor: Actor,
  body: Record<string, unknown>,
  today: CalendarDate = todayInStockholm(),
): Promise<number> {
  authorize(actor, 'operator.manage');
  const parsed = versionSchema(today).safeParse(body);
  if (!parsed.success) throw new FormError(fieldErrors(parsed.error), echo(body));
  const { feePercent, ...fields } = parsed.data;
  const settings = { ...fields, feeBp: feePercent };
  if (settings.vatNumber !== `SE${settings.organisationNumber}01`)
    throw new FormError({ vatNumber: `${E}.vatNumberMismatch` }, echo(body));

  const taken = () => new FormError({ validFrom: `${E}.validFromTaken` }, echo(body), 'conflict');
  return inTransaction(
    db,
    async (trx) => {
      if (await operatorVersionExists(trx, settings.validFrom)) throw taken();
      const id = await insertOperatorSettings(trx, settings, actor.userId ?? null);
      await recordAudit(trx, {
        actorUserId: actor.userId,
        kind: 'operator_settings',
        subject: `operator settings ${settings.validFrom}`,
        details: { operatorSettingsId: id, validFrom: settings.validFrom, feeBp: settings.feeBp },
      });
      return id;
    },
    { constraints: { operator_settings_valid_from_unique: taken } },
  );
}
