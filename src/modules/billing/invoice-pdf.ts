import type { TFunction } from 'i18next';
import { createPdf } from '../../platform/documents/pdf.js';
import { createI18n } from '../../platform/i18n.js';
import { formatOrganisationsnummer } from '../../platform/identifiers.js';
import { formatMoney, type Ore } from '../../platform/money.js';
import type { InvoiceLineRow, InvoiceRow, SellerRow } from './invoice-queries.js';

// The invoice or credit note as a PDF, rendered from its rows alone (the invoice, its lines, the operator's
// settings version it was issued under, and for a credit note the invoice it credits). Every one of those rows
// is immutable, so the same invoice gives the same bytes whenever it is downloaded or mailed: nothing is stored.
//
// What ML 2023:200 17 kap. 24 § asks of a full invoice, and where it is: the date of issue (Fakturadatum); a
// unique number in a series (Fakturanummer); the seller's VAT number (Momsregistreringsnummer); the seller's
// and the buyer's names and addresses (Säljare, Köpare); what was delivered and how much (the lines, Avser);
// when (Tid för tjänsten); the amount excluding VAT per rate, the rate and the VAT in kronor (the totals); and
// the special statements: why the rate is 12, 6 or 0 % (the basis' reason, printed as given), and on a credit
// note the invoice it changes (17 kap. 26 §). "Godkänd för F-skatt" tells the buyer not to withhold tax.
//
// The worker is named only as "Vår referens" (the name the buyer already knows from the application): the
// invoice is from the operator, the worker's employer, and it carries no personnummer, address or bank account.

export interface InvoiceDocument {
  invoice: InvoiceRow;
  lines: readonly InvoiceLineRow[];
  seller: SellerRow;
  /** The invoice a credit note credits. */
  credits?: Pick<InvoiceRow, 'series' | 'number' | 'invoice_date'>;
}

export const invoiceNumberText = (invoice: Pick<InvoiceRow, 'series' | 'number'>) => `${invoice.series}-${invoice.number}`;

export function invoiceFilename(invoice: Pick<InvoiceRow, 'kind' | 'series' | 'number'>): string {
  return `${invoice.kind === 'credit_note' ? 'Kreditfaktura' : 'Faktura'} ${invoiceNumberText(invoice)}.pdf`;
}

/** "1234567" → "123-4567", "12345678" → "1234-5678": how Bankgirot writes a bankgiro number. */
export function formatBankgiro(digits: string): string {
  return /^\d{7,8}$/.test(digits) ? `${digits.slice(0, -4)}-${digits.slice(-4)}` : digits;
}

/** Hours in hundredths as written in Swedish: 250 → "2,5", 1200 → "12". Text arithmetic, no float. */
export function formatHundredths(hundredths: number): string {
  const sign = hundredths < 0 ? '−' : '';
  const digits = String(Math.abs(hundredths)).padStart(3, '0');
  const decimals = digits.slice(-2).replace(/0+$/, '');
  return `${sign}${digits.slice(0, -2)}${decimals ? `,${decimals}` : ''}`;
}

/** 2500 → "25", 1250 → "12,5". */
const formatPercent = (basisPoints: number) => formatHundredths(basisPoints);

let sharedI18n: ReturnType<typeof createI18n> | undefined;
/**
 * The invoice's words. Rendered outside requests (the issuing transaction, downloads), and always in Swedish,
 * line texts stored on the invoice too: it is a Swedish document to a Swedish buyer, whatever language the page
 * that asks for it is in.
 */
export const invoiceTexts = async (): Promise<TFunction> =>
  (sharedTexts ??= memoisedTexts((await (sharedI18n ??= createI18n())).getFixedT('sv')));

let sharedTexts: TFunction | undefined;
/**
 * The same labels are looked up for every invoice and payslip, and i18next's lookup (about 20 µs) was a tenth
 * of a payslip's time (npm run bench:billing): a text without options is remembered. The texts are files
 * read at start, so they cannot change while the process runs.
 */
function memoisedTexts(t: TFunction): TFunction {
  const plain = new Map<string, string>();
  const memoised = (key: string, options?: unknown): string => {
    if (options !== undefined) return (t as (key: string, options: unknown) => string)(key, options);
    let text = plain.get(key);
    if (text === undefined) plain.set(key, (text = (t as (key: string) => string)(key)));
    return text;
  };
  return memoised as unknown as TFunction;
}

export async function renderInvoicePdf(document: InvoiceDocument): Promise<Buffer> {
  const t = await invoiceTexts();
  const { invoice, lines, seller, credits } = document;
  const creditNote = invoice.kind === 'credit_note';
  const number = invoiceNumberText(invoice);
  const money = (amount: Ore) => formatMoney(amount, 'sv');
  const rate = formatPercent(invoice.vat_bp);

  const title = t(creditNote ? 'invoicePdf.titleCreditNote' : 'invoicePdf.titleInvoice', { number });
  const pdf = createPdf({
    title,
    author: seller.name,
    subject: invoice.subject ?? undefined,
    creationDate: invoice.created_at,
  });

  pdf.heading(title);
  pdf.keyValues([
    [t(creditNote ? 'invoicePdf.creditNoteNumber' : 'invoicePdf.number'), number],
    [t('invoicePdf.invoiceDate'), invoice.invoice_date],
    ...(creditNote
      ? []
      : ([
          [t('invoicePdf.dueDate'), invoice.due_date],
          [t('invoicePdf.paymentTerms'), t('invoicePdf.paymentTermsDays', { count: seller.payment_terms_days })],
          [t('invoicePdf.ocr'), invoice.ocr],
        ] as const)),
    [t('invoicePdf.period'), t('invoicePdf.periodValue', { start: invoice.delivery_start, end: invoice.delivery_end })],
    ...(invoice.subject ? ([[t('invoicePdf.subject'), invoice.subject]] as const) : []),
    ...(invoice.our_reference ? ([[t('invoicePdf.ourReference'), invoice.our_reference]] as const) : []),
  ]);

  pdf.heading(t('invoicePdf.seller'), 2);
  pdf.paragraph(
    [seller.name, seller.street_address, `${seller.postal_code.slice(0, 3)} ${seller.postal_code.slice(3)} ${seller.city}`].join(
      '\n',
    ),
  );
  pdf.keyValues([
    [t('invoicePdf.organisationNumber'), formatOrganisationsnummer(seller.organisation_number)],
    [t('invoicePdf.vatNumber'), seller.vat_number],
    ...(seller.f_tax_approved ? ([[t('invoicePdf.fTaxLabel'), t('invoicePdf.fTax')]] as const) : []),
    [t('invoicePdf.bankgiro'), formatBankgiro(seller.bankgiro)],
    [t('invoicePdf.email'), seller.email],
  ]);

  pdf.heading(t('invoicePdf.buyer'), 2);
  pdf.paragraph([invoice.buyer_name, invoice.buyer_address].join('\n'));
  if (invoice.buyer_organisation_number)
    pdf.keyValues([[t('invoicePdf.organisationNumber'), formatOrganisationsnummer(invoice.buyer_organisation_number)]]);

  pdf.heading(t('invoicePdf.lines'), 2);
  pdf.table(
    [
      { header: t('invoicePdf.description') },
      { header: t('invoicePdf.quantity'), align: 'right', width: 60 },
      { header: t('invoicePdf.unitPrice'), align: 'right', width: 85 },
      { header: t('invoicePdf.amount'), align: 'right', width: 95 },
    ],
    lines.map((line) => [
      line.description,
      line.quantity_hundredths === null ? '' : t('invoicePdf.hours', { hours: formatHundredths(line.quantity_hundredths) }),
      line.unit_price_ore === null ? '' : money(line.unit_price_ore),
      money(line.amount_ore),
    ]),
  );
  pdf.keyValues([
    [t('invoicePdf.amountExclVat', { rate }), money(invoice.amount_excl_vat_ore)],
    [t('invoicePdf.vat', { rate }), money(invoice.vat_ore)],
    [t(creditNote ? 'invoicePdf.totalCredit' : 'invoicePdf.total'), money(invoice.total_ore)],
  ]);

  const statements = [
    ...(invoice.vat_reason
      ? [t(invoice.vat_bp === 0 ? 'invoicePdf.vatExempt' : 'invoicePdf.vatReduced', { rate, reason: invoice.vat_reason })]
      : []),
    ...(credits ? [t('invoicePdf.credits', { number: invoiceNumberText(credits), date: credits.invoice_date })] : []),
    ...(invoice.credit_reason ? [t('invoicePdf.creditReason', { reason: invoice.credit_reason })] : []),
  ];
  if (statements.length > 0) {
    pdf.heading(t('invoicePdf.statements'), 2);
    for (const statement of statements) pdf.paragraph(statement);
  }

  if (!creditNote) {
    pdf.heading(t('invoicePdf.payment'), 2);
    pdf.paragraph(
      t('invoicePdf.paymentText', {
        total: money(invoice.total_ore),
        bankgiro: formatBankgiro(seller.bankgiro),
        dueDate: invoice.due_date,
        ocr: invoice.ocr,
      }),
    );
  }
  return pdf.toBuffer();
}
