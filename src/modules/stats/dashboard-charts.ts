import type { TFunction } from 'i18next';
import {
  dotMap,
  formatCount,
  groupedBars,
  monthRange,
  stackedBarsByMonth,
  type Chart,
  type MapBounds,
  type MonthNames,
  swedishMonthNames,
} from '../../platform/documents/charts.js';
import type { Cell, Comparison, Dashboard, Headline, Village } from './types.js';

// The dashboard's view model: every figure is a Cell, turned here into text ("<5" for a small one, ".." for one
// hidden to protect another), into charts (charts.ts; hidden values drawn at one fixed size or not at all, never
// to scale) and into one written sentence per chart and figure. Nothing here reads a raw count.

export type Unit = 'count' | 'percent' | 'days' | 'kronor' | 'hours';

/** A figure's value as a plain number in its unit: kronor from öre, hours from hundredths. */
export function unitValue(value: number, unit: Unit): number {
  if (unit === 'kronor') return value / 100;
  if (unit === 'hours') return value / 100;
  return value;
}

const oneDecimal = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1 });

export interface Formatter {
  /** A shown value in its unit ("1 234 kr"), or the hidden mark. */
  cell(cell: Cell, unit: Unit): string;
  /** A number in its unit without the unit word, for table columns whose header names it. */
  bare(cell: Cell, unit: Unit): string;
  hiddenMark(cell: Cell): string;
}

export function formatter(t: TFunction): Formatter {
  const number = (value: number, unit: Unit) => {
    const plain = unitValue(value, unit);
    return unit === 'kronor'
      ? formatCount(Math.round(plain))
      : unit === 'count'
        ? formatCount(plain)
        : oneDecimal.format(plain).replace('\u2212', '-');
  };
  const hiddenMark = (cell: Cell) => (cell.status === 'small' ? t('stats.hidden.small') : t('stats.hidden.secondary'));
  return {
    hiddenMark,
    bare: (cell, unit) => (cell.status === 'shown' ? number(cell.value, unit) : hiddenMark(cell)),
    cell: (cell, unit) => {
      if (cell.status !== 'shown') return hiddenMark(cell);
      const value = number(cell.value, unit);
      return unit === 'count' ? value : t(`stats.units.${unit}`, { value, count: unitValue(cell.value, unit) });
    },
  };
}

/** The headline figures in the order and groups the page shows them, with their units. */
export const FIGURES: ReadonlyArray<{ group: string; figures: ReadonlyArray<{ key: keyof Headline; unit: Unit }> }> = [
  {
    group: 'demand',
    figures: [
      { key: 'posted', unit: 'count' },
      { key: 'placesPosted', unit: 'count' },
      { key: 'withoutApplicantAfter14Days', unit: 'count' },
    ],
  },
  {
    group: 'matching',
    figures: [
      { key: 'placesFilled', unit: 'count' },
      { key: 'fillRatePercent', unit: 'percent' },
      { key: 'medianDaysToFirstApplication', unit: 'days' },
      { key: 'medianDaysToAcceptance', unit: 'days' },
    ],
  },
  {
    group: 'income',
    figures: [
      { key: 'paidGrossOre', unit: 'kronor' },
      { key: 'paidHoursHundredths', unit: 'hours' },
      { key: 'workersPaid', unit: 'count' },
    ],
  },
  {
    group: 'workTraining',
    figures: [
      { key: 'workTrainingPosted', unit: 'count' },
      { key: 'workTrainingMatched', unit: 'count' },
    ],
  },
];

/**
 * One sentence on how a figure changed since the previous period, from its cells only: no number when either
 * side is hidden. A share (per cent) changes by percentage points, worked out from the two shown values.
 */
export function changeSentence(t: TFunction, key: keyof Headline, comparison: Comparison): string {
  const subject = t(`stats.figures.${key}.subject`);
  const { current, previous, changePercent } = comparison;
  if (current.status !== 'shown' || previous.status !== 'shown') return t('stats.change.hidden', { subject });
  if (key === 'fillRatePercent') {
    const points = current.value - previous.value;
    if (points === 0) return t('stats.change.same', { subject });
    return t(points > 0 ? 'stats.change.pointsUp' : 'stats.change.pointsDown', {
      subject,
      points: formatCount(Math.abs(points)),
    });
  }
  if (changePercent.status !== 'shown') {
    return previous.value === 0 && current.value !== 0
      ? t('stats.change.fromZero', { subject })
      : t('stats.change.same', { subject });
  }
  if (changePercent.value === 0) return t('stats.change.same', { subject });
  return t(changePercent.value > 0 ? 'stats.change.up' : 'stats.change.down', {
    subject,
    percent: formatCount(Math.abs(changePercent.value)),
  });
}

export interface FigureView {
  key: keyof Headline;
  label: string;
  current: string;
  previous: string;
  sentence: string;
}

export interface ChartView {
  chart: Chart;
  summary: string;
}

export interface DashboardView {
  figureGroups: Array<{ group: string; figures: FigureView[] }>;
  posted: ChartView;
  villages: ChartView;
  villageRows: Array<{ name: string; cells: string[] }>;
  skills: ChartView;
  skillDemand: Array<{ name: string; asked: string; offered: string; gap: string }>;
  income: ChartView;
  incomeByVillage: Array<{ name: string; cells: string[] }>;
  incomeTotal: string[];
  unanswered: Array<{ id: number; title: string; organisation: string; published: string; village: string }>;
  county: Array<{ code: string; name: string; current: boolean; cells: string[] }>;
  nationalMedian: string[];
}

const shortMonths: Record<string, readonly string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};
const longMonths: Record<string, readonly string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

export function buildDashboardView(
  dashboard: Dashboard,
  t: TFunction,
  lang: string,
  formatDate: (date: string) => string,
): DashboardView {
  const format = formatter(t);
  const monthNames: MonthNames | undefined =
    lang in shortMonths ? { short: shortMonths[lang]!, long: longMonths[lang]! } : undefined;
  const villageName = (village: Village | null) => village?.name ?? t('stats.charts.villages.noVillage');

  const figureGroups = FIGURES.map(({ group, figures }) => ({
    group,
    figures: figures.map(({ key, unit }) => {
      const comparison = dashboard.headline[key];
      return {
        key,
        label: t(`stats.figures.${key}.label`),
        current: format.cell(comparison.current, unit),
        previous: format.cell(comparison.previous, unit),
        sentence: changeSentence(t, key, comparison),
      };
    }),
  }));

  return {
    figureGroups,
    posted: postedChart(dashboard, t, format, monthNames),
    villages: villageMap(dashboard, t, format),
    villageRows: dashboard.byVillage.map((row) => ({
      name: villageName(row.village),
      cells: [
        format.bare(row.posted, 'count'),
        format.bare(row.placesFilled, 'count'),
        format.cell(row.fillRatePercent, 'percent'),
        format.cell(row.paidGrossOre, 'kronor'),
        format.bare(row.workersPaid, 'count'),
      ],
    })),
    skills: skillsChart(dashboard, t, format),
    // Free tags of fewer than five residents never reach here (skills module, demand-queries.ts).
    skillDemand: dashboard.skillDemand.map((row) => ({
      name: row.skill.name,
      asked: format.bare(row.asked, 'count'),
      offered: format.bare(row.offered, 'count'),
      gap: t(row.gap ? 'stats.charts.skills.gapYes' : 'stats.charts.skills.gapNo'),
    })),
    income: incomeChart(dashboard, t, format),
    incomeByVillage: dashboard.income.byVillage.map((row) => ({
      name: villageName(row.village),
      cells: [format.bare(row.grossOre, 'kronor'), format.bare(row.hoursHundredths, 'hours'), format.bare(row.workers, 'count')],
    })),
    incomeTotal: [
      format.bare(dashboard.income.total.grossOre, 'kronor'),
      format.bare(dashboard.income.total.hoursHundredths, 'hours'),
      format.bare(dashboard.income.total.workers, 'count'),
    ],
    unanswered: dashboard.unanswered.map((row) => ({
      id: row.id,
      title: row.title,
      organisation: row.organisationName,
      published: formatDate(row.publishedOn),
      village: row.village ?? '',
    })),
    county: dashboard.county.map((row) => ({
      code: row.municipality.code,
      name: row.municipality.name,
      current: row.municipality.code === dashboard.municipality.code,
      cells: [
        format.bare(row.posted, 'count'),
        format.cell(row.fillRatePercent, 'percent'),
        format.cell(row.paidGrossOre, 'kronor'),
      ],
    })),
    nationalMedian: [
      formatCount(dashboard.nationalMedian.posted),
      dashboard.nationalMedian.fillRatePercent === null
        ? t('stats.county.notAvailable')
        : t('stats.units.percent', { value: formatCount(dashboard.nationalMedian.fillRatePercent) }),
      t('stats.units.kronor', { value: formatCount(Math.round(dashboard.nationalMedian.paidGrossOre / 100)) }),
    ],
  };
}

const shownValue = (cell: Cell) => (cell.status === 'shown' ? cell.value : 0);

function postedChart(dashboard: Dashboard, t: TFunction, format: Formatter, monthNames: MonthNames | undefined): ChartView {
  const table = dashboard.postedByMonthAndCategory;
  const { from, to } = dashboard.filters.period;
  const months = table.columns.length > 0 ? table.columns : monthRange(from.slice(0, 7), to.slice(0, 7));
  // The bars are the shown cells. Where a month's total is shown, what its hidden cells add up to is drawn as one
  // segment of its own: the table gives that sum away already (the total less the shown cells), and
  // suppression has made sure it holds two hidden cells or more, so the picture tells nothing the table does not.
  const hiddenName = t('stats.charts.posted.hidden');
  const data = table.rows.flatMap((category, row) =>
    table.columns.map((month, column) => ({ month, category: category.name, count: shownValue(table.cells[row]![column]!) })),
  );
  const hiddenParts = table.columns.map((month, column) => {
    const total = table.columnTotals[column]!;
    const shownSum = table.rows.reduce((sum, _, row) => sum + shownValue(table.cells[row]![column]!), 0);
    return { month, category: hiddenName, count: total.status === 'shown' ? Math.max(0, total.value - shownSum) : 0 };
  });
  const drawn = table.rows
    .filter((_, row) => table.cells[row]!.some((cell) => shownValue(cell) > 0))
    .map((category) => category.name);
  if (hiddenParts.some((part) => part.count > 0)) drawn.push(hiddenName);
  const chart = stackedBarsByMonth({
    title: t('stats.charts.posted.title'),
    description: t('stats.charts.posted.description'),
    data: [...data, ...hiddenParts],
    months,
    categories: drawn,
    monthHeader: t('stats.charts.posted.month'),
    countHeader: t('stats.charts.posted.count'),
    totalHeader: t('stats.charts.posted.total'),
    otherLabel: t('stats.charts.posted.other'),
    monthNames,
  });
  // The helper's own table sums what it is given; the shown one is the suppressed table, cell by cell.
  const monthLabel = (month: string) => {
    const index = Number(month.slice(5, 7)) - 1;
    return `${(monthNames ?? swedishMonthNames).long[index] ?? month} ${month.slice(0, 4)}`;
  };
  chart.table = {
    head: [t('stats.charts.posted.category'), ...table.columns.map(monthLabel), t('stats.charts.posted.total')],
    numeric: [false, ...table.columns.map(() => true), true],
    rows: [
      ...table.rows.map((category, row) => [
        category.name,
        ...table.cells[row]!.map((cell) => format.bare(cell, 'count')),
        format.bare(table.rowTotals[row]!, 'count'),
      ]),
      [
        t('stats.charts.posted.total'),
        ...table.columnTotals.map((cell) => format.bare(cell, 'count')),
        format.bare(table.total, 'count'),
      ],
    ],
  };
  return { chart, summary: changeSentence(t, 'posted', dashboard.headline.posted) };
}

function villageMap(dashboard: Dashboard, t: TFunction, format: Formatter): ChartView {
  const located = dashboard.byVillage.filter((row): row is typeof row & { village: Village } => row.village !== null);
  const chart = dotMap({
    title: t('stats.charts.villages.title'),
    description: t('stats.charts.villages.description'),
    points: located.map((row) => ({
      label: row.village.name,
      lat: row.village.lat,
      lng: row.village.lng,
      count: row.posted.status === 'shown' ? row.posted.value : format.hiddenMark(row.posted),
    })),
    bounds: boundsOf(dashboard.choices.villages),
    labelHeader: t('stats.charts.villages.village'),
    countHeader: t('stats.charts.villages.count'),
  });
  const withoutVillage = dashboard.byVillage.find((row) => row.village === null);
  if (withoutVillage) chart.table.rows.push([t('stats.charts.villages.noVillage'), format.bare(withoutVillage.posted, 'count')]);
  const largest = located
    .filter((row) => row.posted.status === 'shown' && row.posted.value > 0)
    .sort((a, b) => shownValue(b.posted) - shownValue(a.posted))[0];
  return {
    chart,
    summary: largest
      ? t('stats.charts.villages.summary', { village: largest.village.name, count: format.bare(largest.posted, 'count') })
      : t('stats.charts.villages.summaryNone'),
  };
}

/** The map shows the whole municipality (every village it has), whatever the filters leave. */
function boundsOf(villages: readonly Village[]): MapBounds | undefined {
  if (villages.length === 0) return undefined;
  const lats = villages.map((village) => village.lat);
  const lngs = villages.map((village) => village.lng);
  return { south: Math.min(...lats), north: Math.max(...lats), west: Math.min(...lngs), east: Math.max(...lngs) };
}

function valueOrMark(cell: Cell, format: Formatter): number | string {
  return cell.status === 'shown' ? cell.value : format.hiddenMark(cell);
}

function skillsChart(dashboard: Dashboard, t: TFunction, format: Formatter): ChartView {
  const chart = groupedBars({
    title: t('stats.charts.skills.title'),
    description: t('stats.charts.skills.description'),
    rows: dashboard.skills.map((row) => ({
      label: row.category.name,
      values: [valueOrMark(row.demanded, format), valueOrMark(row.offered, format)],
    })),
    series: [
      {
        name: t('stats.charts.skills.demanded'),
        valueText: (value) => t('stats.units.assignments', { value: formatCount(value) }),
      },
      { name: t('stats.charts.skills.offered'), valueText: (value) => t('stats.units.residents', { value: formatCount(value) }) },
    ],
    labelHeader: t('stats.charts.skills.category'),
    valueHeader: t('stats.charts.skills.axis'),
  });
  const gap = dashboard.skills.find(
    (row) => row.demanded.status === 'shown' && row.offered.status === 'shown' && row.demanded.value > row.offered.value,
  );
  return {
    chart,
    summary: gap
      ? t('stats.charts.skills.summary', {
          category: gap.category.name,
          demanded: format.bare(gap.demanded, 'count'),
          offered: format.bare(gap.offered, 'count'),
        })
      : t('stats.charts.skills.summaryNone'),
  };
}

function incomeChart(dashboard: Dashboard, t: TFunction, format: Formatter): ChartView {
  const chart = groupedBars({
    title: t('stats.charts.income.title'),
    description: t('stats.charts.income.description'),
    rows: dashboard.income.byCategory.map((row) => ({
      label: row.category.name,
      values: [row.grossOre.status === 'shown' ? Math.round(row.grossOre.value / 100) : format.hiddenMark(row.grossOre)],
    })),
    series: [
      { name: t('stats.charts.income.gross'), valueText: (value) => t('stats.units.kronor', { value: formatCount(value) }) },
    ],
    labelHeader: t('stats.charts.income.category'),
    valueHeader: t('stats.charts.income.gross'),
  });
  chart.table = {
    head: [
      t('stats.charts.income.category'),
      t('stats.charts.income.gross'),
      t('stats.charts.income.hours'),
      t('stats.charts.income.workers'),
    ],
    numeric: [false, true, true, true],
    rows: dashboard.income.byCategory.map((row) => [
      row.category.name,
      format.bare(row.grossOre, 'kronor'),
      format.bare(row.hoursHundredths, 'hours'),
      format.bare(row.workers, 'count'),
    ]),
  };
  return { chart, summary: changeSentence(t, 'paidGrossOre', dashboard.headline.paidGrossOre) };
}
