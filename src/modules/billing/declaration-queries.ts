import type { CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import { oreFromDatabase, type Ore } from '../../platform/money.js';

export interface DeclaredSalary {
  id: number;
  workerUserId: number | null;
  workerName: string | null;
  payoutDate: CalendarDate;
  grossOre: Ore;
  taxOre: Ore;
  contributionsOre: Ore;
  /** Empty while the year's pay stayed under the threshold: the pay is then no base for contributions. */
  contributionLineCount: number;
}

/** The salaries paid out on `from` … the day before `until`, oldest first. */
export async function selectSalariesPaidBetween(db: DbOrTrx, from: CalendarDate, until: CalendarDate): Promise<DeclaredSalary[]> {
  const rows = await db('salaries as s')
    .leftJoin('users as u', 'u.id', 's.worker_user_id')
    .where('s.payout_date', '>=', from)
    .andWhere('s.payout_date', '<', until)
    .orderBy([{ column: 's.payout_date' }, { column: 's.id' }])
    .select<
      Array<{
        id: string | number;
        worker_user_id: string | number | null;
        name: string | null;
        payout_date: string;
        gross_ore: string;
        tax_ore: string;
        contributions_ore: string;
        line_count: string | number;
      }>
    >(
      's.id',
      's.worker_user_id',
      'u.name',
      db.raw(`to_char(s.payout_date, 'YYYY-MM-DD') as payout_date`),
      's.gross_ore',
      's.tax_ore',
      's.contributions_ore',
      db.raw('jsonb_array_length(s.contribution_lines) as line_count'),
    );
  return rows.map((row) => ({
    id: Number(row.id),
    workerUserId: row.worker_user_id === null ? null : Number(row.worker_user_id),
    workerName: row.name,
    payoutDate: row.payout_date,
    grossOre: oreFromDatabase(row.gross_ore),
    taxOre: oreFromDatabase(row.tax_ore),
    contributionsOre: oreFromDatabase(row.contributions_ore),
    contributionLineCount: Number(row.line_count),
  }));
}
