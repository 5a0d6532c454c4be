import { addDays, todayInStockholm } from '../../src/platform/calendar.js';
import type { Db } from '../../src/platform/db.js';
import { ocrReference } from '../../src/platform/ocr.js';
import { ensureOperatorSettings as ensureOperatorOn } from './billing-factories.js';

// Invoices for the tests of payments and reminders, written straight to the database (issuing them is another
// helper's work and another test's subject): the operator's settings they refer to, and the invoice itself with
// realistic amounts (25 % VAT) and an OCR reference of its own.

let sequence = 0;

/** The operator's settings valid from 2026-01-01 (one per database), under the name and bankgiro the reminder tests read. */
export const ensureOperatorSettings = (db: Db): Promise<number> =>
  ensureOperatorOn(db, {
    name: 'Testoperatören AB',
    bankgiro: '12345678',
    invoice_series: 'UB',
    email: 'faktura@operator.example.se',
  });

export interface TestInvoice {
  id: number;
  series: string;
  number: number;
  ocr: string;
  totalOre: number;
}

/** An issued invoice to `organisationId`: 1 000 kr + 25 % VAT = 1 250 kr unless told otherwise, due in 30 days. */
export async function createInvoiceF(
  db: Db,
  overrides: {
    organisationId: number;
    workerUserId?: number | null;
    /** Excl. VAT, divisible by 4 so the VAT is whole öre. */
    amountExclVatOre?: number;
    dueDate?: string;
    status?: 'unpaid' | 'paid' | 'credited' | 'collection';
    buyerEmail?: string;
  },
): Promise<TestInvoice> {
  const n = ++sequence;
  const operatorSettingsId = await ensureOperatorSettings(db);
  const excl = overrides.amountExclVatOre ?? 100_000;
  const vat = excl / 4;
  const dueDate = overrides.dueDate ?? addDays(todayInStockholm(), 30);
  const invoiceDate = addDays(dueDate, -30);
  const ocr = ocrReference(`7${process.pid}${n}`, { lengthDigit: true });
  const [row] = await db('invoices')
    .insert({
      series: 'UB',
      number: n,
      operator_settings_id: operatorSettingsId,
      organisation_id: overrides.organisationId,
      worker_user_id: overrides.workerUserId ?? null,
      buyer_name: `Köparföreningen ${n}`,
      buyer_address: 'Byvägen 2, 98132 Kiruna',
      buyer_email: overrides.buyerEmail ?? `faktura${n}@forening.example.se`,
      invoice_date: invoiceDate,
      due_date: dueDate,
      delivery_start: invoiceDate,
      delivery_end: invoiceDate,
      ocr,
      vat_bp: 2500,
      amount_excl_vat_ore: excl,
      vat_ore: vat,
      total_ore: excl + vat,
      fee_ore: (excl * 6) / 100,
      status: overrides.status ?? 'unpaid',
      paid_at: overrides.status === 'paid' ? new Date() : null,
    })
    .returning<{ id: number }[]>('id');
  return { id: row!.id, series: 'UB', number: n, ocr, totalOre: excl + vat };
}

/** Makes `userId` payroll staff. */
export async function makePayroll(db: Db, userId: number): Promise<void> {
  await db('payroll_staff').insert({ user_id: userId });
}

/** One BgMax payment: what the bank reports for it. */
export interface BgMaxTestPayment {
  reference: string;
  amountOre: number;
}

const pad = (text: string, length: number, fill = ' ', left = false) =>
  left ? text.padStart(length, fill).slice(-length) : text.padEnd(length, fill).slice(0, length);

/**
 * A BgMax file (Bankgirot's record layout, see src/modules/billing/payments-bgmax.ts) with one section per entry
 * of `deposits`, each paid on its date. Records are 80 characters, lines end in CRLF as the bank's do.
 */
export function bgmaxFile(
  deposits: Array<{ date: string; payments: BgMaxTestPayment[] }>,
  options: { testMark?: 'T' | 'P'; timestamp?: string } = {},
): string {
  const lines = [pad(`01${pad('BGMAX', 20)}01${options.timestamp ?? '20261204073035010331'}${options.testMark ?? 'P'}`, 80)];
  let paymentCount = 0;
  for (const deposit of deposits) {
    lines.push(pad(`05${pad('12345678', 10, '0', true)}${pad('', 10)}SEK`, 80));
    for (const payment of deposit.payments) {
      paymentCount++;
      const ocr = /^\d+$/.test(payment.reference);
      lines.push(
        pad(
          `20${pad('9912346', 10, '0', true)}${pad(payment.reference, 25, ' ', true)}${pad(String(payment.amountOre), 18, '0', true)}${ocr ? '2' : '4'}1${pad(String(paymentCount), 12, '0', true)}0`,
          80,
        ),
      );
      lines.push(pad('26Betalande förening', 80));
    }
    const total = deposit.payments.reduce((sum, payment) => sum + payment.amountOre, 0);
    lines.push(
      `15${pad('58410000010098', 35, '0', true)}${deposit.date.replaceAll('-', '')}${pad('1', 5, '0', true)}${pad(String(total), 18, '0', true)}SEK${pad(String(deposit.payments.length), 8, '0', true)} `,
    );
  }
  lines.push(
    pad(
      `70${pad(String(paymentCount), 8, '0', true)}${pad('0', 8, '0', true)}${pad('0', 8, '0', true)}${pad(String(deposits.length), 8, '0', true)}`,
      80,
    ),
  );
  return `${lines.join('\r\n')}\r\n`;
}

/** The file's bytes as the bank sends them: ISO 8859-1. */
export const latin1 = (text: string) => Buffer.from(text, 'latin1');
