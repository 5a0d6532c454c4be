import { formatMonth, type CalendarDate } from '../../platform/calendar.js';
import { createPdf } from '../../platform/documents/pdf.js';
import { formatOrganisationsnummer } from '../../platform/identifiers.js';
import { formatMoney, negateMoney, sumMoney, type Ore } from '../../platform/money.js';
import { formatHundredths, invoiceTexts } from './invoice-pdf.js';
import type { SellerRow } from './invoice-queries.js';
import type { PayslipSalary, PayslipWorker, SalaryListRow, YearToDate } from './payslip-queries.js';

// The payslip (lönespecifikation) of one salary and the worker's yearly income summary, as PDFs rendered from
// rows alone. Salaries and operator settings are never changed once written, so the same salary gives the same
// bytes whenever it is downloaded: nothing is stored. Always in Swedish, like the invoice: a Swedish document
// for the worker's records and tax return, whatever language the page that links it is in.
//
// The personnummer is printed masked, from the birth date ("19900101-****"): the full number is never read
// here, so no payslip or summary can carry it.

export interface PayslipDocument {
  salary: PayslipSalary;
  worker: PayslipWorker;
  /** The operator's settings valid on the payout date. */
  employer: SellerRow;
  yearToDate: YearToDate;
}

export interface MonthTotals {
  /** 'YYYY-MM' */
  month: string;
  grossOre: Ore;
  taxOre: Ore;
  expensesOre: Ore;
  netOre: Ore;
}

export interface IncomeSummary {
  year: number;
  months: MonthTotals[];
  total: Omit<MonthTotals, 'month'>;
}

export interface IncomeSummaryDocument {
  summary: IncomeSummary;
  worker: PayslipWorker;
  /** The operator's settings of the year's last payout (or of its last day); none before any settings exist. */
  employer: SellerRow | undefined;
  /** Fixes the PDF's creation date: the same salaries give the same bytes. */
  createdAt: Date;
}

/** "19900101-****" (a coordination number's day plus 60), or "–" when no number is known. */
export function maskedPersonalNumber(worker: Pick<PayslipWorker, 'birthDate' | 'coordinationNumber'>): string {
  if (worker.birthDate === null) return '–';
  const [year, month, day] = worker.birthDate.split('-') as [string, string, string];
  return `${year}${month}${worker.coordinationNumber ? String(Number(day) + 60) : day}-****`;
}

/** Each month of the year, with nothing where nothing was paid out, and the year's totals. */
export function summariseYear(
  year: number,
  salaries: ReadonlyArray<Pick<SalaryListRow, 'payoutDate' | 'grossOre' | 'taxOre' | 'expensesOre' | 'netOre'>>,
): IncomeSummary {
  const months = Array.from({ length: 12 }, (_, index): MonthTotals => {
    const month = `${year}-${String(index + 1).padStart(2, '0')}`;
    const paid = salaries.filter((salary) => salary.payoutDate.startsWith(`${month}-`));
    return {
      month,
      grossOre: sumMoney(paid.map((salary) => salary.grossOre)),
      taxOre: sumMoney(paid.map((salary) => salary.taxOre)),
      expensesOre: sumMoney(paid.map((salary) => salary.expensesOre)),
      netOre: sumMoney(paid.map((salary) => salary.netOre)),
    };
  });
  return {
    year,
    months,
    total: {
      grossOre: sumMoney(months.map((month) => month.grossOre)),
      taxOre: sumMoney(months.map((month) => month.taxOre)),
      expensesOre: sumMoney(months.map((month) => month.expensesOre)),
      netOre: sumMoney(months.map((month) => month.netOre)),
    },
  };
}

export const payslipFilename = (salary: Pick<PayslipSalary, 'id' | 'payoutDate'>) =>
  `Lönespecifikation ${salary.payoutDate} nr ${salary.id}.pdf`;

export const incomeSummaryFilename = (year: number, extension: 'pdf' | 'csv') => `Inkomstsammanställning ${year}.${extension}`;

const money = (amount: Ore) => formatMoney(amount, 'sv');
/** 3000 → "30 %", 3250 → "32,5 %". */
const basisPointsText = (basisPoints: number) => `${formatHundredths(basisPoints)} %`;
/** The calculation's "31.42" → "31,42 %". */
const ratePercentText = (ratePercent: string) => `${ratePercent.replace('.', ',')} %`;
const postalAddress = (seller: SellerRow) =>
  [seller.name, seller.street_address, `${seller.postal_code.slice(0, 3)} ${seller.postal_code.slice(3)} ${seller.city}`].join(
    '\n',
  );

export async function renderPayslipPdf(document: PayslipDocument): Promise<Buffer> {
  const t = await invoiceTexts();
  const { salary, worker, employer, yearToDate } = document;
  const title = t('payslipPdf.title');
  const pdf = createPdf({
    title: t('payslipPdf.documentTitle', { date: salary.payoutDate }),
    author: employer.name,
    creationDate: salary.createdAt,
  });

  pdf.heading(title);
  pdf.keyValues([
    [t('payslipPdf.payoutDate'), salary.payoutDate],
    [t('payslipPdf.period'), t('payslipPdf.periodValue', { start: salary.periodStart, end: salary.periodEnd })],
    [t('payslipPdf.assignment'), salary.assignmentTitle],
  ]);

  pdf.heading(t('payslipPdf.employer'), 2);
  pdf.paragraph(postalAddress(employer));
  pdf.keyValues([[t('payslipPdf.organisationNumber'), formatOrganisationsnummer(employer.organisation_number)]]);

  pdf.heading(t('payslipPdf.employee'), 2);
  pdf.keyValues([
    [t('payslipPdf.name'), worker.name],
    [t('payslipPdf.personalNumber'), maskedPersonalNumber(worker)],
  ]);

  pdf.heading(t('payslipPdf.pay'), 2);
  pdf.table(
    [{ header: t('payslipPdf.item') }, { header: t('payslipPdf.amount'), align: 'right', width: 120 }],
    [
      [t('payslipPdf.gross'), money(salary.grossOre)],
      [t('payslipPdf.vacationPay'), money(salary.vacationPayOre)],
      [t('payslipPdf.tax', { rate: basisPointsText(salary.taxBp) }), money(negateMoney(salary.taxOre))],
      [t('payslipPdf.expenses'), money(salary.expensesOre)],
      [t('payslipPdf.net'), money(salary.netOre)],
    ],
  );

  pdf.heading(t('payslipPdf.contributions'), 2);
  pdf.paragraph(t('payslipPdf.contributionsText'));
  if (salary.contributionLines.length === 0) {
    pdf.paragraph(t('payslipPdf.noContributions'));
  } else {
    pdf.table(
      [
        { header: t('payslipPdf.rate') },
        { header: t('payslipPdf.base'), align: 'right', width: 120 },
        { header: t('payslipPdf.amount'), align: 'right', width: 120 },
      ],
      salary.contributionLines.map((line) => [
        line.earlierPayouts
          ? t('payslipPdf.earlierPayoutsRate', { rate: ratePercentText(line.ratePercent) })
          : ratePercentText(line.ratePercent),
        money(line.baseOre),
        money(line.amountOre),
      ]),
    );
  }
  pdf.keyValues([[t('payslipPdf.contributionsTotal'), money(salary.contributionsOre)]]);

  pdf.heading(t('payslipPdf.fromInvoice'), 2);
  pdf.keyValues([
    [t('payslipPdf.invoiced'), money(salary.invoiceExclVatOre)],
    [t('payslipPdf.fee'), money(negateMoney(salary.feeOre))],
    [t('payslipPdf.contributionsTotal'), money(negateMoney(salary.contributionsOre))],
    [t('payslipPdf.expenses'), money(negateMoney(salary.expensesOre))],
    [t('payslipPdf.rounding'), money(negateMoney(salary.roundingOre))],
    [t('payslipPdf.gross'), money(salary.grossOre)],
  ]);

  pdf.heading(t('payslipPdf.yearToDate', { year: salary.payoutDate.slice(0, 4) }), 2);
  pdf.keyValues([
    [t('payslipPdf.grossShort'), money(yearToDate.grossOre)],
    [t('payslipPdf.taxShort'), money(yearToDate.taxOre)],
    [t('payslipPdf.netShort'), money(yearToDate.netOre)],
  ]);
  return pdf.toBuffer();
}

const firstOfMonth = (month: string): CalendarDate => `${month}-01`;

export async function renderIncomeSummaryPdf(document: IncomeSummaryDocument): Promise<Buffer> {
  const t = await invoiceTexts();
  const { summary, worker, employer } = document;
  const title = t('payslipPdf.summaryTitle', { year: summary.year });
  const pdf = createPdf({ title, author: employer?.name ?? title, creationDate: document.createdAt });

  pdf.heading(title);
  pdf.keyValues([
    ...(employer
      ? ([
          [t('payslipPdf.employer'), employer.name],
          [t('payslipPdf.organisationNumber'), formatOrganisationsnummer(employer.organisation_number)],
        ] as const)
      : []),
    [t('payslipPdf.name'), worker.name],
    [t('payslipPdf.personalNumber'), maskedPersonalNumber(worker)],
  ]);

  pdf.table(
    [
      { header: t('payslipPdf.month') },
      { header: t('payslipPdf.grossShort'), align: 'right', width: 90 },
      { header: t('payslipPdf.taxShort'), align: 'right', width: 90 },
      { header: t('payslipPdf.expenses'), align: 'right', width: 90 },
      { header: t('payslipPdf.netShort'), align: 'right', width: 90 },
    ],
    [
      ...summary.months.map((month) => [
        formatMonth(firstOfMonth(month.month), 'sv'),
        money(month.grossOre),
        money(month.taxOre),
        money(month.expensesOre),
        money(month.netOre),
      ]),
      [
        t('payslipPdf.total'),
        money(summary.total.grossOre),
        money(summary.total.taxOre),
        money(summary.total.expensesOre),
        money(summary.total.netOre),
      ],
    ],
  );
  pdf.paragraph(t('payslipPdf.summaryText'));
  return pdf.toBuffer();
}
