import type { CalendarDate } from '../../platform/calendar.js';
import { moneyToDecimalString } from '../../platform/money.js';
import { encodeCp437 } from './ledger-cp437.js';
import type { LedgerAccount, Voucher } from './ledger-vouchers.js';

// SIE type 4I: vouchers only, for a bookkeeping program to import from a pre-system such as payroll or invoicing
// (sie.se/format, "Typ 4i Transaktioner"). Written after SIE-gruppen's "SIE filformat ver 4B" (2008) as read
// through the public summaries at sie.se and the open-source exporter johanwilfer/siephp (SIEDumper.php, which
// cites the specification's section 5.7 on fields and section 11 on #TRANS):
// - a line per record: `#LABEL` and its fields separated by spaces, lines ending in CRLF, the whole file in
//   code page 437 (#FORMAT PC8, ledger-cp437.ts);
// - a field is quoted ("…") when it holds a space or is empty; a quotation mark inside is preceded by a backslash;
//   no control characters (ASCII 0–31 and 127) in a text;
// - #FLAGGA 0 first; dates YYYYMMDD; amounts with a decimal point and at most two decimals, a minus sign for a
//   credit; #TRANS account {object list} amount, inside `{` … `}` lines after its #VER;
// - #VER series number date text: an empty number lets the importing program number the voucher, which is what a
//   pre-system's file should do (the books' own series stay gapless there).
// Not confirmed here from the specification's own text: whether #KPTYP BAS2014 is listed in 4B itself (it is the
// value current programs write for the BAS plans since 2014) and whether 4I needs #RAR (we leave it out: 4I has no
// balances and the period lies in the vouchers' dates).

export interface SieHeader {
  programName: string;
  programVersion: string;
  generatedOn: CalendarDate;
  companyName: string;
  /** 10 digits; written NNNNNN-NNNN. */
  organisationNumber: string;
  chartOfAccounts: string;
}

export function sieFile(header: SieHeader, vouchers: readonly Voucher[]): Buffer {
  const lines = [
    record('FLAGGA', '0'),
    record('PROGRAM', quoted(header.programName), quoted(header.programVersion)),
    record('FORMAT', 'PC8'),
    record('GEN', sieDate(header.generatedOn)),
    record('SIETYP', '4'),
    record('FNAMN', quoted(header.companyName)),
    record('ORGNR', `${header.organisationNumber.slice(0, 6)}-${header.organisationNumber.slice(6)}`),
    record('KPTYP', header.chartOfAccounts),
    ...accountsOf(vouchers).map((account) => record('KONTO', String(account.number), quoted(account.name))),
  ];
  for (const voucher of vouchers) {
    lines.push(record('VER', '""', '""', sieDate(voucher.date), quoted(voucher.text)), '{');
    for (const transaction of voucher.transactions)
      lines.push(`   ${record('TRANS', String(transaction.account.number), '{}', moneyToDecimalString(transaction.amountOre))}`);
    lines.push('}');
  }
  return encodeCp437(`${lines.join('\r\n')}\r\n`);
}

/** The accounts the vouchers use, by number; a number's name is the one of its latest use. */
function accountsOf(vouchers: readonly Voucher[]): LedgerAccount[] {
  const byNumber = new Map<number, LedgerAccount>();
  for (const voucher of vouchers) for (const { account } of voucher.transactions) byNumber.set(account.number, account);
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

const record = (label: string, ...fields: string[]) => [`#${label}`, ...fields].join(' ');

const sieDate = (date: CalendarDate) => date.replaceAll('-', '');

/** Always quoted (the specification allows it for any text); control characters dropped, `\` and `"` escaped. */
function quoted(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/[\\"]/g, (character) => `\\${character}`);
  return `"${clean}"`;
}
