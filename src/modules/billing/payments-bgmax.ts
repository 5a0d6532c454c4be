import { isCalendarDate, type CalendarDate } from '../../platform/calendar.js';
import { ore, type Ore } from '../../platform/money.js';
import { hasForbiddenCharacters } from '../../platform/validation.js';

// Bankgirot's BgMax file ("Bankgiro Inbetalningar"): the incoming payments to the operator's bankgiro, as the
// bank delivers them. Fixed-width records of 80 characters in ISO 8859-1, each beginning with a two-digit
// transaction code (TK). Positions below are 1-based and inclusive, as the manual writes them.
//
//   TK01 start        3–22 layout name "BGMAX", 23–24 version, 25–44 timestamp, 45 test mark (T test, P production)
//   TK05 opening      3–12 payee's bankgiro, 13–22 plusgiro, 23–25 currency (SEK)
//   TK20 payment      3–12 payer's bankgiro, 13–37 reference (right-aligned), 38–55 amount in öre (zero-filled),
//                     56 reference code (2 = an OCR reference that passed the check), 57 channel,
//                     58–69 BGC serial number, 70 image mark
//   TK15 deposit      3–37 payee's bank account, 38–45 payment date YYYYMMDD, 46–50 deposit number,
//                     51–68 deposit amount in öre, 69–71 currency, 72–79 number of payments, 80 deposit type
//   TK70 end          3–10 number of payments (TK20), 11–18 deductions (TK21), 19–26 extra references (TK22/23),
//                     27–34 deposits (TK15)
//
// A section is TK05, its payments (each followed by optional TK21–TK29 records about it), and the TK15 that
// closes it with the date the money came in. Records we do not use (deductions, extra references, names,
// addresses) are skipped, as the manual asks of readers ("records you do not recognise are ignored"): a TK21
// deduction is money going back out, not a payment to an invoice, and is left to payroll's bookkeeping.
//
// Sources (looked up 2026-12): Bankgirot, "Bankgiro Inbetalningar – Teknisk manual", section 3 "Post- och
// filbeskrivning för BgMax-filen" (https://www.bankgirot.se/en/services/incoming-payments/bankgiro-receivables/technical-information;
// the PDF itself was not readable here, its table of contents was, at http://docplayer.se/661720-Bankgiro-inbetalningar-teknisk-manual.html);
// the positions as two independent open-source readers took them from that manual — fabhed/bgmax-parser
// (config.js, "gathered from the Technical Manual") and richardolsson/pybgmax (parser.py) — which agree with each
// other and with Bankgirot's own example file "bankgiroinbetalningar_exempelfil_avtal-om-ocr-kontroll_checksiffra_langd_sv.txt"
// (kept in fabhed/bgmax-parser), where the first payment reads "200003783511" + 19 blanks + "655969" +
// "000000000000100000" (1 000,00 kr) + "2" (OCR) … and its deposit "15…20040525…".

/** A payment record of the file, with the line it stands on (1-based: import_line) and its deposit's date. */
export interface BgMaxPayment {
  line: number;
  /** What the payer gave as reference, blanks removed; '' when none. */
  reference: string;
  amount: Ore;
  paidOn: CalendarDate;
}

export interface BgMaxFile {
  /** When Bankgirot wrote the file, YYYYMMDDhhmmss (its start record's timestamp, to the second). */
  createdAt: string;
  payments: BgMaxPayment[];
}

/** Why a file was refused: an i18n key, and the line it concerns when there is one. */
export class BgMaxError extends Error {
  constructor(
    readonly key: string,
    readonly line?: number,
  ) {
    super(`BgMax: ${key}${line === undefined ? '' : ` (line ${line})`}`);
    this.name = 'BgMaxError';
  }
}

const E = 'payroll.import.errors';
const MAX_LINES = 100_000;

/** The characters of a record from `from` to `to`, 1-based and inclusive like the manual. */
const field = (record: string, from: number, to: number) => record.slice(from - 1, to);

/** True when the bytes look like a BgMax file (its start record), for telling it from other uploads. */
function looksLikeBgMax(text: string): boolean {
  return text.startsWith('01BGMAX');
}

/** Decodes a BgMax file: ISO 8859-1, so every byte is a character and nothing is refused at this step. */
export function decodeBgMax(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes);
}

/**
 * Reads the payments of a BgMax file, or throws BgMaxError naming what is wrong and where: not BgMax, a test
 * file, a currency other than SEK, a payment outside a section, an amount or date that is no number or day,
 * counts in the end record that disagree with the records (a file cut short), or anything after the end record.
 */
export function parseBgMax(text: string): BgMaxFile {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length > MAX_LINES) throw new BgMaxError(`${E}.tooManyLines`);
  if (hasForbiddenCharacters(text, { multiline: true })) throw new BgMaxError(`${E}.notText`);

  const start = lines[0] ?? '';
  if (!looksLikeBgMax(start) || field(start, 3, 22).trim() !== 'BGMAX') throw new BgMaxError(`${E}.notBgMax`, 1);
  if (!/^\d{2}$/.test(field(start, 23, 24)) || !/^\d{20}$/.test(field(start, 25, 44)))
    throw new BgMaxError(`${E}.malformedRecord`, 1);
  if (field(start, 45, 45) === 'T') throw new BgMaxError(`${E}.testFile`, 1);

  const payments: BgMaxPayment[] = [];
  /** The open section's payments, waiting for the date of their deposit record. */
  let section: Array<Omit<BgMaxPayment, 'paidOn'>> | undefined;
  let deposits = 0;
  let ended = false;

  for (let index = 1; index < lines.length; index++) {
    const line = index + 1;
    const record = lines[index]!;
    if (ended) {
      if (record.trim() !== '') throw new BgMaxError(`${E}.afterEnd`, line);
      continue;
    }
    switch (record.slice(0, 2)) {
      case '05': {
        if (section) throw new BgMaxError(`${E}.sectionNotClosed`, line);
        if (field(record, 23, 25) !== 'SEK') throw new BgMaxError(`${E}.currency`, line);
        section = [];
        break;
      }
      case '20': {
        if (!section) throw new BgMaxError(`${E}.outsideSection`, line);
        const digits = field(record, 38, 55);
        if (!/^\d{18}$/.test(digits)) throw new BgMaxError(`${E}.amount`, line);
        const amount = Number(digits);
        if (amount <= 0 || !Number.isSafeInteger(amount)) throw new BgMaxError(`${E}.amount`, line);
        section.push({ line, reference: field(record, 13, 37).replace(/\s+/g, ''), amount: ore(amount) });
        break;
      }
      case '15': {
        if (!section) throw new BgMaxError(`${E}.outsideSection`, line);
        const date = field(record, 38, 45);
        const paidOn = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
        if (!/^\d{8}$/.test(date) || !isCalendarDate(paidOn)) throw new BgMaxError(`${E}.date`, line);
        if (field(record, 69, 71) !== 'SEK') throw new BgMaxError(`${E}.currency`, line);
        payments.push(...section.map((payment) => ({ ...payment, paidOn })));
        section = undefined;
        deposits++;
        break;
      }
      case '70': {
        if (section) throw new BgMaxError(`${E}.sectionNotClosed`, line);
        const counts = [field(record, 3, 10), field(record, 27, 34)];
        if (!counts.every((count) => /^\d{8}$/.test(count))) throw new BgMaxError(`${E}.malformedRecord`, line);
        if (Number(counts[0]) !== payments.length || Number(counts[1]) !== deposits) throw new BgMaxError(`${E}.counts`, line);
        ended = true;
        break;
      }
      case '01':
        throw new BgMaxError(`${E}.malformedRecord`, line);
      default:
        // TK21–TK29 and records a later version may add: nothing this import uses.
        if (!/^\d{2}/.test(record)) throw new BgMaxError(`${E}.malformedRecord`, line);
    }
  }
  if (!ended) throw new BgMaxError(`${E}.noEnd`);
  return { createdAt: field(start, 25, 38), payments };
}
