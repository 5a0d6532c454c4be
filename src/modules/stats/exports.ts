import type { TFunction } from 'i18next';
import { csvContentType, toCsv } from '../../platform/documents/csv.js';
import type { CellValue, DocumentColumn, DocumentTable } from '../../platform/documents/table.js';
import { toXlsx, xlsxContentType } from '../../platform/documents/xlsx.js';
import type { Ore } from '../../platform/money.js';
import type { Download } from '../../web/downloads.js';
import { FIGURES, unitValue, type Unit } from './dashboard-charts.js';
import type { Cell, Dashboard, Village } from './types.js';

// The dashboard as files (issue 13 item 4), with the figures the page shows and no others. Kolada's convention
// for what is not shown: the value cell is empty and the status column beside it holds "..", whichever the
// reason (fewer than 5, or hidden so that another hidden figure cannot be worked out). No person's name,
// e-mail or personnummer: the unanswered assignments are titles and organisations.
//
// - CSV: one long table (municipality, period, table, measure, group, month, unit, value, status) in the CSV
//   kit's Swedish Excel dialect, so one file holds every table and a pivot table can be made of it.
// - XLSX: one sheet per table as on the page, frozen header, numbers as numbers (amounts in kronor).

export const HIDDEN_STATUS = '..';

const statusOf = (cell: Cell) => (cell.status === 'shown' ? null : HIDDEN_STATUS);

function fileName(dashboard: Dashboard, t: TFunction, extension: string): string {
  const { period } = dashboard.filters;
  return `${t('stats.export.fileName', { municipality: dashboard.municipality.name, from: period.from, to: period.to })}.${extension}`;
}

/** A value as the files hold it: kronor and hours as decimals, counts, per cents and days as they are. */
function fileValue(cell: Cell, unit: Unit): number | null {
  return cell.status === 'shown' ? unitValue(cell.value, unit) : null;
}

const villageName = (t: TFunction, village: Village | null) => village?.name ?? t('stats.charts.villages.noVillage');

// ---------------------------------------------------------------------------------------------------------------
// CSV

export function dashboardCsv(dashboard: Dashboard, t: TFunction): Download {
  const T = (key: string) => t(`stats.export.${key}`);
  const { period } = dashboard.filters;
  const rows: CellValue[][] = [];
  const add = (table: string, measure: string, group: string, month: string, unit: Unit, cell: Cell) =>
    rows.push([
      dashboard.municipality.name,
      period.from,
      period.to,
      T(`tables.${table}`),
      measure,
      group,
      month,
      T(`units.${unit}`),
      fileValue(cell, unit),
      statusOf(cell),
    ]);

  for (const { figures } of FIGURES) {
    for (const { key, unit } of figures) {
      const comparison = dashboard.headline[key];
      const label = t(`stats.figures.${key}.label`);
      add('figures', label, T('current'), '', unit, comparison.current);
      add('figures', label, T('previous'), '', unit, comparison.previous);
      add('figures', label, T('changePercent'), '', 'percent', comparison.changePercent);
    }
  }
  const posted = dashboard.postedByMonthAndCategory;
  const postedMeasure = t('stats.charts.posted.count');
  const total = t('stats.charts.posted.total');
  posted.rows.forEach((category, row) => {
    posted.columns.forEach((month, column) =>
      add('posted', postedMeasure, category.name, month, 'count', posted.cells[row]![column]!),
    );
    add('posted', postedMeasure, category.name, total, 'count', posted.rowTotals[row]!);
  });
  posted.columns.forEach((month, column) => add('posted', postedMeasure, total, month, 'count', posted.columnTotals[column]!));
  add('posted', postedMeasure, total, total, 'count', posted.total);

  for (const row of dashboard.byVillage) {
    const name = villageName(t, row.village);
    add('villages', t('stats.villageTable.posted'), name, '', 'count', row.posted);
    add('villages', t('stats.villageTable.placesFilled'), name, '', 'count', row.placesFilled);
    add('villages', t('stats.villageTable.fillRate'), name, '', 'percent', row.fillRatePercent);
    add('villages', t('stats.villageTable.gross'), name, '', 'kronor', row.paidGrossOre);
    add('villages', t('stats.villageTable.workers'), name, '', 'count', row.workersPaid);
  }
  for (const row of dashboard.skills) {
    add('skills', t('stats.charts.skills.demanded'), row.category.name, '', 'count', row.demanded);
    add('skills', t('stats.charts.skills.offered'), row.category.name, '', 'count', row.offered);
  }
  for (const row of dashboard.skillDemand) {
    add('tags', t('stats.charts.skills.asked'), row.skill.name, '', 'count', row.asked);
    add('tags', t('stats.charts.skills.residents'), row.skill.name, '', 'count', row.offered);
  }
  const income = (table: string, name: string, row: Dashboard['income']['total']) => {
    add(table, t('stats.charts.income.gross'), name, '', 'kronor', row.grossOre);
    add(table, t('stats.charts.income.hours'), name, '', 'hours', row.hoursHundredths);
    add(table, t('stats.charts.income.workers'), name, '', 'count', row.workers);
  };
  for (const row of dashboard.income.byCategory) income('incomeCategory', row.category.name, row);
  income('incomeCategory', t('stats.charts.income.total'), dashboard.income.total);
  for (const row of dashboard.income.byVillage) income('incomeVillage', villageName(t, row.village), row);
  for (const row of dashboard.county) {
    add('county', t('stats.county.posted'), row.municipality.name, '', 'count', row.posted);
    add('county', t('stats.county.fillRate'), row.municipality.name, '', 'percent', row.fillRatePercent);
    add('county', t('stats.county.gross'), row.municipality.name, '', 'kronor', row.paidGrossOre);
  }
  const median = t('stats.county.median');
  const { nationalMedian } = dashboard;
  add('county', t('stats.county.posted'), median, '', 'count', { status: 'shown', value: nationalMedian.posted });
  if (nationalMedian.fillRatePercent !== null)
    add('county', t('stats.county.fillRate'), median, '', 'percent', { status: 'shown', value: nationalMedian.fillRatePercent });
  add('county', t('stats.county.gross'), median, '', 'kronor', { status: 'shown', value: nationalMedian.paidGrossOre });

  const columns: DocumentColumn[] = [
    { header: T('municipality') },
    { header: T('from'), kind: 'date' },
    { header: T('to'), kind: 'date' },
    { header: T('table') },
    { header: T('measure') },
    { header: T('group') },
    { header: T('month') },
    { header: T('unit') },
    { header: T('value'), kind: 'decimal' },
    { header: T('status') },
  ];
  return {
    filename: fileName(dashboard, t, 'csv'),
    contentType: csvContentType,
    body: toCsv({ columns, rows }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// XLSX

/** A value column and its status column, as Kolada writes them. */
function valueColumns(header: string, unit: Unit, status: string): DocumentColumn[] {
  const kind = unit === 'kronor' ? 'amount' : unit === 'count' || unit === 'percent' ? 'integer' : 'decimal';
  return [{ header, kind, ...(kind === 'decimal' ? { decimals: unit === 'hours' ? 2 : 1 } : {}) }, { header: status }];
}

/** The cell pair of valueColumns: amounts as öre (the XLSX kit shows kronor), hidden ones empty with "..". */
function valueCells(cell: Cell, unit: Unit): CellValue[] {
  if (cell.status !== 'shown') return [null, HIDDEN_STATUS];
  if (unit === 'kronor') return [Math.round(cell.value) as Ore, null];
  return [unitValue(cell.value, unit), null];
}

export async function dashboardXlsx(dashboard: Dashboard, t: TFunction): Promise<Download> {
  const status = t('stats.export.status');
  const title = (key: string) => t(`stats.export.tables.${key}`);
  const tables: DocumentTable[] = [];

  tables.push({
    title: title('figures'),
    columns: [
      { header: t('stats.export.measure') },
      { header: t('stats.export.unit') },
      { header: t('stats.export.current'), kind: 'decimal' },
      { header: status },
      { header: t('stats.export.previous'), kind: 'decimal' },
      { header: t('stats.export.previousStatus') },
      { header: t('stats.export.changePercent'), kind: 'integer' },
      { header: t('stats.export.changeStatus') },
    ],
    rows: FIGURES.flatMap(({ figures }) =>
      figures.map(({ key, unit }) => {
        const comparison = dashboard.headline[key];
        return [
          t(`stats.figures.${key}.label`),
          t(`stats.export.units.${unit}`),
          fileValue(comparison.current, unit),
          statusOf(comparison.current),
          fileValue(comparison.previous, unit),
          statusOf(comparison.previous),
          fileValue(comparison.changePercent, 'percent'),
          statusOf(comparison.changePercent),
        ];
      }),
    ),
  });

  const posted = dashboard.postedByMonthAndCategory;
  const total = t('stats.charts.posted.total');
  tables.push({
    title: title('posted'),
    columns: [
      { header: t('stats.charts.posted.category') },
      { header: t('stats.export.month') },
      ...valueColumns(t('stats.charts.posted.count'), 'count', status),
    ],
    rows: [
      ...posted.rows.flatMap((category, row) => [
        ...posted.columns.map((month, column) => [category.name, month, ...valueCells(posted.cells[row]![column]!, 'count')]),
        [category.name, total, ...valueCells(posted.rowTotals[row]!, 'count')],
      ]),
      ...posted.columns.map((month, column) => [total, month, ...valueCells(posted.columnTotals[column]!, 'count')]),
      [total, total, ...valueCells(posted.total, 'count')],
    ],
  });

  tables.push({
    title: title('villages'),
    columns: [
      { header: t('stats.charts.villages.village') },
      ...valueColumns(t('stats.villageTable.posted'), 'count', status),
      ...valueColumns(t('stats.villageTable.placesFilled'), 'count', status),
      ...valueColumns(t('stats.villageTable.fillRate'), 'percent', status),
      ...valueColumns(t('stats.villageTable.gross'), 'kronor', status),
      ...valueColumns(t('stats.villageTable.workers'), 'count', status),
    ],
    rows: dashboard.byVillage.map((row) => [
      villageName(t, row.village),
      ...valueCells(row.posted, 'count'),
      ...valueCells(row.placesFilled, 'count'),
      ...valueCells(row.fillRatePercent, 'percent'),
      ...valueCells(row.paidGrossOre, 'kronor'),
      ...valueCells(row.workersPaid, 'count'),
    ]),
  });

  tables.push({
    title: title('skills'),
    columns: [
      { header: t('stats.charts.skills.category') },
      ...valueColumns(t('stats.charts.skills.demanded'), 'count', status),
      ...valueColumns(t('stats.charts.skills.offered'), 'count', status),
    ],
    rows: dashboard.skills.map((row) => [
      row.category.name,
      ...valueCells(row.demanded, 'count'),
      ...valueCells(row.offered, 'count'),
    ]),
  });

  tables.push({
    title: title('tags'),
    columns: [
      { header: t('stats.charts.skills.tag') },
      ...valueColumns(t('stats.charts.skills.asked'), 'count', status),
      ...valueColumns(t('stats.charts.skills.residents'), 'count', status),
    ],
    rows: dashboard.skillDemand.map((row) => [
      row.skill.name,
      ...valueCells(row.asked, 'count'),
      ...valueCells(row.offered, 'count'),
    ]),
  });

  const incomeColumns = (first: string) => [
    { header: first },
    ...valueColumns(t('stats.charts.income.gross'), 'kronor', status),
    ...valueColumns(t('stats.charts.income.hours'), 'hours', status),
    ...valueColumns(t('stats.charts.income.workers'), 'count', status),
  ];
  const incomeCells = (row: Dashboard['income']['total']) => [
    ...valueCells(row.grossOre, 'kronor'),
    ...valueCells(row.hoursHundredths, 'hours'),
    ...valueCells(row.workers, 'count'),
  ];
  tables.push({
    title: title('incomeCategory'),
    columns: incomeColumns(t('stats.charts.income.category')),
    rows: [
      ...dashboard.income.byCategory.map((row) => [row.category.name, ...incomeCells(row)]),
      [t('stats.charts.income.total'), ...incomeCells(dashboard.income.total)],
    ],
  });
  tables.push({
    title: title('incomeVillage'),
    columns: incomeColumns(t('stats.charts.income.village')),
    rows: dashboard.income.byVillage.map((row) => [villageName(t, row.village), ...incomeCells(row)]),
  });

  tables.push({
    title: title('unanswered'),
    columns: [
      { header: t('stats.unanswered.title') },
      { header: t('stats.unanswered.organisation') },
      { header: t('stats.unanswered.published'), kind: 'date' },
      { header: t('stats.unanswered.village') },
    ],
    rows: dashboard.unanswered.map((row) => [row.title, row.organisationName, row.publishedOn, row.village ?? '']),
  });

  const { nationalMedian } = dashboard;
  tables.push({
    title: title('county'),
    columns: [
      { header: t('stats.county.municipality') },
      ...valueColumns(t('stats.county.posted'), 'count', status),
      ...valueColumns(t('stats.county.fillRate'), 'percent', status),
      ...valueColumns(t('stats.county.gross'), 'kronor', status),
    ],
    rows: [
      ...dashboard.county.map((row) => [
        row.municipality.name,
        ...valueCells(row.posted, 'count'),
        ...valueCells(row.fillRatePercent, 'percent'),
        ...valueCells(row.paidGrossOre, 'kronor'),
      ]),
      [
        t('stats.county.median'),
        // A median of municipalities may fall between two whole numbers; the integer column rounds it as the page does.
        Math.round(nationalMedian.posted),
        null,
        nationalMedian.fillRatePercent === null ? null : Math.round(nationalMedian.fillRatePercent),
        null,
        Math.round(nationalMedian.paidGrossOre) as Ore,
        null,
      ],
    ],
  });

  const { period } = dashboard.filters;
  return {
    filename: fileName(dashboard, t, 'xlsx'),
    contentType: xlsxContentType,
    body: await toXlsx({
      title: t('stats.title', { municipality: dashboard.municipality.name }) + ` ${period.from}–${period.to}`,
      creator: t('stats.export.creator'),
      tables,
    }),
  };
}
