import type { DbOrTrx } from '../../platform/db.js';
import type { CalendarDate } from '../../platform/calendar.js';

/** One version of the operator's settings as stored (operator_settings; rows are never changed). */
export interface OperatorSettingsRow {
  id: number;
  validFrom: CalendarDate;
  name: string;
  organisationNumber: string;
  vatNumber: string;
  streetAddress: string;
  postalCode: string;
  city: string;
  bankgiro: string;
  fTaxApproved: boolean;
  feeBp: number;
  paymentTermsDays: number;
  invoiceSeries: string;
  email: string;
  createdAt: Date;
}

export type NewOperatorSettings = Omit<OperatorSettingsRow, 'id' | 'createdAt'>;

const COLUMNS = {
  id: 'id',
  validFrom: 'valid_from',
  name: 'name',
  organisationNumber: 'organisation_number',
  vatNumber: 'vat_number',
  streetAddress: 'street_address',
  postalCode: 'postal_code',
  city: 'city',
  bankgiro: 'bankgiro',
  fTaxApproved: 'f_tax_approved',
  feeBp: 'fee_bp',
  paymentTermsDays: 'payment_terms_days',
  invoiceSeries: 'invoice_series',
  email: 'email',
  createdAt: 'created_at',
} as const;

/** Every version, the newest validity date first. */
export async function selectOperatorVersions(db: DbOrTrx): Promise<OperatorSettingsRow[]> {
  return db('operator_settings').orderBy('valid_from', 'desc').select(COLUMNS);
}

/** The version in force on `date`: the latest valid_from on or before it. */
export async function selectOperatorSettingsOn(db: DbOrTrx, date: CalendarDate): Promise<OperatorSettingsRow | undefined> {
  return db('operator_settings').where('valid_from', '<=', date).orderBy('valid_from', 'desc').first(COLUMNS);
}

export async function operatorVersionExists(db: DbOrTrx, validFrom: CalendarDate): Promise<boolean> {
  return (await db('operator_settings').where('valid_from', validFrom).first('id')) !== undefined;
}

export async function insertOperatorSettings(
  db: DbOrTrx,
  settings: NewOperatorSettings,
  createdBy: number | null,
): Promise<number> {
  const [row] = await db('operator_settings')
    .insert({
      valid_from: settings.validFrom,
      name: settings.name,
      organisation_number: settings.organisationNumber,
      vat_number: settings.vatNumber,
      street_address: settings.streetAddress,
      postal_code: settings.postalCode,
      city: settings.city,
      bankgiro: settings.bankgiro,
      f_tax_approved: settings.fTaxApproved,
      fee_bp: settings.feeBp,
      payment_terms_days: settings.paymentTermsDays,
      invoice_series: settings.invoiceSeries,
      email: settings.email,
      created_by: createdBy,
    })
    .returning<{ id: number }[]>('id');
  return row!.id;
}
