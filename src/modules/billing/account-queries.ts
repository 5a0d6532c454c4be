import type { DbOrTrx } from '../../platform/db.js';
import type { CalendarDate } from '../../platform/calendar.js';

// The simplified-enterprise account (enterprise_accounts) and the audit log of full personnummer views
// (personal_data_views). The migration 202612061400 explains the columns.

export const TAX_MODES = ['side_income', 'own', 'sink'] as const;
export type TaxMode = (typeof TAX_MODES)[number];

export interface EnterpriseAccountRow {
  userId: number;
  personalNumberCiphertext: Buffer;
  personalNumberKeyId: string;
  coordinationNumber: boolean;
  birthDate: CalendarDate;
  clearingNumber: string;
  accountNumber: string;
  taxMode: TaxMode;
  ownTaxBp: number | null;
  taxDecisionDate: CalendarDate | null;
  termsAcceptedAt: Date;
}

export async function selectEnterpriseAccount(db: DbOrTrx, userId: number): Promise<EnterpriseAccountRow | undefined> {
  return db('enterprise_accounts')
    .where('user_id', userId)
    .first<EnterpriseAccountRow | undefined>(
      'user_id as userId',
      'personal_number_ciphertext as personalNumberCiphertext',
      'personal_number_key_id as personalNumberKeyId',
      'coordination_number as coordinationNumber',
      'birth_date as birthDate',
      'clearing_number as clearingNumber',
      'account_number as accountNumber',
      'tax_mode as taxMode',
      'own_tax_bp as ownTaxBp',
      'tax_decision_date as taxDecisionDate',
      'terms_accepted_at as termsAcceptedAt',
    );
}

/** The user whose stored personnummer has one of these keyed hashes (one per known key), if any. */
export async function selectUserIdByPersonalNumberHash(db: DbOrTrx, hashes: Buffer[]): Promise<number | undefined> {
  const row = await db('enterprise_accounts')
    .whereIn('personal_number_hash', hashes)
    .first<{ user_id: number } | undefined>('user_id');
  return row?.user_id;
}

export interface NewEnterpriseAccount {
  userId: number;
  personalNumberCiphertext: Buffer;
  personalNumberKeyId: string;
  personalNumberHash: Buffer;
  coordinationNumber: boolean;
  birthDate: CalendarDate;
  clearingNumber: string;
  accountNumber: string;
  taxMode: TaxMode;
  ownTaxBp: number | null;
  taxDecisionDate: CalendarDate | null;
}

export async function insertEnterpriseAccount(db: DbOrTrx, account: NewEnterpriseAccount): Promise<void> {
  await db('enterprise_accounts').insert({
    user_id: account.userId,
    personal_number_ciphertext: account.personalNumberCiphertext,
    personal_number_key_id: account.personalNumberKeyId,
    personal_number_hash: account.personalNumberHash,
    coordination_number: account.coordinationNumber,
    birth_date: account.birthDate,
    clearing_number: account.clearingNumber,
    account_number: account.accountNumber,
    tax_mode: account.taxMode,
    own_tax_bp: account.ownTaxBp,
    tax_decision_date: account.taxDecisionDate,
    terms_accepted_at: db.fn.now(),
  });
}

/** Returns false when the user has no account. */
export async function updateBankAccount(
  db: DbOrTrx,
  userId: number,
  bank: { clearingNumber: string; accountNumber: string },
): Promise<boolean> {
  const changed = await db('enterprise_accounts')
    .where('user_id', userId)
    .update({ clearing_number: bank.clearingNumber, account_number: bank.accountNumber, updated_at: db.fn.now() });
  return changed > 0;
}

/** Returns false when the user has no account. */
export async function updateTax(
  db: DbOrTrx,
  userId: number,
  tax: { taxMode: TaxMode; ownTaxBp: number | null; taxDecisionDate: CalendarDate | null },
): Promise<boolean> {
  const changed = await db('enterprise_accounts').where('user_id', userId).update({
    tax_mode: tax.taxMode,
    own_tax_bp: tax.ownTaxBp,
    tax_decision_date: tax.taxDecisionDate,
    updated_at: db.fn.now(),
  });
  return changed > 0;
}

export async function insertPersonalDataView(
  db: DbOrTrx,
  view: { viewerUserId: number; subjectUserId: number; purpose: string },
): Promise<void> {
  await db('personal_data_views').insert({
    viewer_user_id: view.viewerUserId,
    subject_user_id: view.subjectUserId,
    purpose: view.purpose,
  });
}

/** Up to `limit` accounts sealed under another key than `currentKeyId`, locked until the transaction ends. */
export async function selectAccountsSealedWithOtherKeys(
  db: DbOrTrx,
  currentKeyId: string,
  limit: number,
): Promise<Array<{ userId: number; keyId: string; ciphertext: Buffer }>> {
  const rows = await db('enterprise_accounts')
    .whereNot('personal_number_key_id', currentKeyId)
    .orderBy('user_id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .select<Array<{ user_id: number; personal_number_key_id: string; personal_number_ciphertext: Buffer }>>(
      'user_id',
      'personal_number_key_id',
      'personal_number_ciphertext',
    );
  return rows.map((row) => ({
    userId: row.user_id,
    keyId: row.personal_number_key_id,
    ciphertext: row.personal_number_ciphertext,
  }));
}

export async function updateSealedPersonalNumber(
  db: DbOrTrx,
  userId: number,
  sealed: { keyId: string; ciphertext: Buffer; hash: Buffer },
): Promise<void> {
  await db('enterprise_accounts').where('user_id', userId).update({
    personal_number_key_id: sealed.keyId,
    personal_number_ciphertext: sealed.ciphertext,
    personal_number_hash: sealed.hash,
    updated_at: db.fn.now(),
  });
}

/** The withholding percentages in force on `date` for the tax choices that have no own figure. */
export async function selectTaxParameters(
  db: DbOrTrx,
  date: CalendarDate,
): Promise<{ sideIncomeBp: number | undefined; sinkBp: number | undefined }> {
  const rows = await db('payroll_parameters')
    .distinctOn('name')
    .whereIn('name', ['tax_side_income_bp', 'tax_sink_bp'])
    .where('valid_from', '<=', date)
    .orderBy([{ column: 'name' }, { column: 'valid_from', order: 'desc' }])
    .select<Array<{ name: string; value: string | number }>>('name', 'value');
  const value = (name: string) => {
    const row = rows.find((r) => r.name === name);
    return row === undefined ? undefined : Number(row.value);
  };
  return { sideIncomeBp: value('tax_side_income_bp'), sinkBp: value('tax_sink_bp') };
}
