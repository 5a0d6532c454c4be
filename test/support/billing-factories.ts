import type { DbOrTrx } from '../../src/platform/db.js';

// What every billing test needs first: the operator (seller and employer) in force on the dates it uses.

export const TEST_OPERATOR = {
  name: 'Bygdens Egenanställning ek. för.',
  organisation_number: '7696237614',
  vat_number: 'SE769623761401',
  street_address: 'Storgatan 12',
  postal_code: '92331',
  city: 'Storuman',
  bankgiro: '56781234',
  f_tax_approved: true,
  fee_bp: 600,
  payment_terms_days: 30,
  invoice_series: 'A',
  email: 'faktura@bygdens.example',
};

/** An operator settings version valid from `valid_from` (2026-01-01 unless given); the existing one if there is. */
export async function ensureOperatorSettings(
  db: DbOrTrx,
  overrides: Partial<typeof TEST_OPERATOR> & { valid_from?: string } = {},
): Promise<number> {
  const validFrom = overrides.valid_from ?? '2026-01-01';
  await db('operator_settings')
    .insert({ ...TEST_OPERATOR, ...overrides, valid_from: validFrom })
    .onConflict('valid_from')
    .ignore();
  return ((await db('operator_settings').where({ valid_from: validFrom }).first('id')) as { id: number }).id;
}
