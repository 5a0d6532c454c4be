import type { CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';

// The dated rows the salary calculation reads: employer_contribution_rates, payroll_parameters and the operator's
// service fee (operator_settings), each as valid on one date.

export interface ContributionRateRow {
  validFrom: CalendarDate;
  validTo: CalendarDate | null;
  minAge: number | null;
  maxAge: number | null;
  rateBp: number;
  monthlyCapOre: number | null;
}

/** Every contribution row whose validity covers `date`. */
export async function selectContributionRatesOn(db: DbOrTrx, date: CalendarDate): Promise<ContributionRateRow[]> {
  return db('employer_contribution_rates')
    .where('valid_from', '<=', date)
    .andWhere((where) => where.whereNull('valid_to').orWhere('valid_to', '>=', date))
    .orderBy('id')
    .select({
      validFrom: 'valid_from',
      validTo: 'valid_to',
      minAge: 'min_age',
      maxAge: 'max_age',
      rateBp: 'rate_bp',
      monthlyCapOre: 'monthly_cap_ore',
    });
}

/** Each payroll parameter's value on `date`: the row with the latest valid_from on or before it. */
export async function selectPayrollParametersOn(db: DbOrTrx, date: CalendarDate): Promise<Map<string, number>> {
  const rows: Array<{ name: string; value: number }> = await db('payroll_parameters')
    .distinctOn('name')
    .where('valid_from', '<=', date)
    .orderBy([{ column: 'name' }, { column: 'valid_from', order: 'desc' }])
    .select('name', 'value');
  return new Map(rows.map((row) => [row.name, row.value]));
}

/** The service fee of the operator's settings version in force on `date`, if there is one. */
export async function selectFeeBpOn(db: DbOrTrx, date: CalendarDate): Promise<number | undefined> {
  const row: { feeBp: number } | undefined = await db('operator_settings')
    .where('valid_from', '<=', date)
    .orderBy('valid_from', 'desc')
    .first({ feeBp: 'fee_bp' });
  return row?.feeBp;
}
