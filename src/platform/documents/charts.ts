/**
 * Charts drawn on the server as SVG with Observable Plot, for pages without client JavaScript and
 * under a strict CSP (see ../shared/ARCHITECTURE.md, "Facts found by trying (2026-12)"):
 *
 * - Plot runs against linkedom's DOM (`document` from `parseHTML`), `figure: false`, a className.
 * - Plot writes a `<style>` element into every SVG and `style` attributes on some elements, which
 *   `style-src 'self'` blocks; they are removed here, and the few rules they held live in
 *   public/css/charts.css (which every page showing a chart links). Colours are plain attributes
 *   (`fill`, `stroke`) and pass the CSP.
 * - Title, legend (HTML swatches) and the data table are built by views/partials/chart.ejs, not
 *   by Plot (its legends and titles come wrapped in a styled `<figure>`).
 * - `labelArrow: false` (screen readers read the arrow aloud), `ariaLabel`/`ariaDescription` on
 *   the chart, `ariaHidden` on grid lines. The SVG is `role="img"`: assistive technology reads its
 *   label and description, and the table beside it carries the numbers.
 *
 * Every helper returns the SVG and the same numbers as a table, formatted for Swedish readers
 * (`1 234`). Months are `YYYY-MM` strings; months without a row count as 0.
 *
 * Text from users (category names, labels) reaches the SVG only as DOM text and attribute
 * values, which linkedom serialises escaped; that is what makes `<%- chart.svg %>` in the partial
 * safe.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

export interface ChartTable {
  head: string[];
  rows: string[][];
  /** Per column: numbers, to be right-aligned. */
  numeric: boolean[];
}

export interface ChartLegendItem {
  label: string;
  color: string;
}

export interface Chart {
  title: string;
  description: string;
  svg: string;
  /** Empty when the chart has one series (its title says what the bars are). */
  legend: ChartLegendItem[];
  table: ChartTable;
}

interface ChartText {
  title: string;
  /** One or two sentences that say what the chart shows; read by screen readers. */
  description: string;
}

/**
 * Eight colours with at least 3:1 contrast against white (WCAG 1.4.11, graphical objects), in an
 * order where neighbours differ in lightness as well as hue, for readers who see colour poorly.
 */
export const chartPalette = ['#1d4f3a', '#d55e00', '#0072b2', '#8c6d1f', '#7b3294', '#00796b', '#c2185b', '#4a524e'] as const;

// The drawing is 480 units wide and the stylesheet shows it between 20rem and 36rem wide: on a
// phone (about 360 px for the chart) its 13-unit text comes out near 10 px, on a wide screen near
// 16 px. One drawing for both, no sideways scrolling above 320 px.
const width = 480;
const fontSize = 13; // matches public/css/charts.css; margins below are measured in it
const averageCharWidth = fontSize * 0.6;

let linkedomDocument: Document | undefined;
function chartDocument(): Document {
  // One DOM for all charts: Plot creates detached elements in it and never attaches them.
  linkedomDocument ??= parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
  return linkedomDocument;
}

const countFormat = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 0 });
const valueFormat = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 2 });
/** Swedish number format ("1 234") with a plain hyphen-minus (Intl gives U+2212, which not every font has). */
export function formatCount(value: number): string {
  return countFormat.format(value).replace('\u2212', '-');
}
/** Like formatCount, with up to two decimals ("1 234,5"). */
export function formatValue(value: number): string {
  return valueFormat.format(value).replace('\u2212', '-');
}

const swedishMonths = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
];
const swedishShortMonths = ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];

export interface MonthNames {
  /** "januari" … "december" */
  long: readonly string[];
  /** "jan" … "dec", for the axis */
  short: readonly string[];
}

const swedishMonthNames: MonthNames = { long: swedishMonths, short: swedishShortMonths };

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

function parseMonth(month: string): { year: number; month: number } {
  const match = monthPattern.exec(month);
  if (!match) throw new TypeError(`A month is YYYY-MM, not ${JSON.stringify(month.slice(0, 20))}`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

/** Every month from the first to the last, inclusive: ["2025-11", "2025-12", "2026-01"]. */
export function monthRange(first: string, last: string): string[] {
  const start = parseMonth(first);
  const end = parseMonth(last);
  const months: string[] = [];
  for (let index = start.year * 12 + start.month - 1; index <= end.year * 12 + end.month - 1; index++) {
    months.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}

function monthsOf(data: ReadonlyArray<{ month: string }>, months: readonly string[] | undefined): string[] {
  if (months) return months.map((month) => (parseMonth(month), month));
  const sorted = data.map((row) => (parseMonth(row.month), row.month)).sort();
  return sorted.length === 0 ? [] : monthRange(sorted[0]!, sorted[sorted.length - 1]!);
}

/** Axis label of a month: "jan", with the year under it at the first month and every January. */
function monthTick(names: MonthNames, months: readonly string[]) {
  return (month: string) => {
    const { year, month: number } = parseMonth(month);
    const short = names.short[number - 1] ?? month;
    return month === months[0] || number === 1 ? `${short}\n${year}` : short;
  };
}

function monthName(names: MonthNames, month: string): string {
  const { year, month: number } = parseMonth(month);
  return `${names.long[number - 1] ?? month} ${year}`;
}

/** At most `count` whole-number ticks from 0 to at least `max`, on steps of 1, 2 or 5 × 10ⁿ. */
export function integerTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power);
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step; tick += step) ticks.push(tick);
  return ticks;
}

/** Roughly how wide a text is in the SVG, to size margins; Plot cannot measure text without a browser. */
function textWidth(text: string): number {
  return Math.max(...text.split('\n').map((line) => line.length)) * averageCharWidth;
}

function ellipsis(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Plot's SVG, made fit for a strict CSP, as markup. */
function serialise(svg: Element, text: ChartText): string {
  for (const style of Array.from(svg.querySelectorAll('style'))) style.remove();
  svg.removeAttribute('style');
  for (const styled of Array.from(svg.querySelectorAll('[style]'))) styled.removeAttribute('style');
  // Plot writes font-size 10 as an attribute; the stylesheet sets the size the margins assume.
  svg.removeAttribute('font-size');
  // Plot names its groups ("bar", "y-axis tick"); inside role="img" they are not read, and an
  // aria-label on an element without a role is not allowed (axe: aria-prohibited-attr).
  for (const labelled of Array.from(svg.querySelectorAll('[aria-label], [aria-description]'))) {
    labelled.removeAttribute('aria-label');
    labelled.removeAttribute('aria-description');
  }
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', text.title);
  svg.setAttribute('aria-description', text.description);
  return svg.outerHTML;
}

function render(options: Plot.PlotOptions, text: ChartText): string {
  const svg = Plot.plot({
    ...options,
    document: chartDocument(),
    figure: false,
    className: 'chart',
    width,
    ariaLabel: text.title,
    ariaDescription: text.description,
  });
  return serialise(svg as unknown as Element, text);
}

const hiddenGrid = { ariaHidden: 'true', strokeOpacity: 0.15 } as const;

export interface MonthCategoryCount {
  month: string;
  category: string;
  count: number;
}

export interface StackedBarsOptions extends ChartText {
  data: readonly MonthCategoryCount[];
  /** The months on the axis, in order; by default every month from the first to the last in the data. */
  months?: readonly string[];
  /** The order of the categories (and their colours); by default largest total first. */
  categories?: readonly string[];
  monthHeader: string;
  countHeader: string;
  totalHeader: string;
  /** Name of the one category that holds the rest when there are more categories than colours. */
  otherLabel: string;
  monthNames?: MonthNames;
}

/** Counts per month, stacked by category: one bar per month, one coloured segment per category. */
export function stackedBarsByMonth(options: StackedBarsOptions): Chart {
  const names = options.monthNames ?? swedishMonthNames;
  const months = monthsOf(options.data, options.months);
  const monthSet = new Set(months);
  const totals = new Map<string, number>();
  for (const row of options.data) totals.set(row.category, (totals.get(row.category) ?? 0) + row.count);
  let categories = options.categories
    ? [...options.categories]
    : [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)!);
  // More categories than colours: the largest keep theirs, the rest are summed as one.
  let fold = (category: string) => category;
  if (categories.length > chartPalette.length) {
    const kept = new Set(categories.slice(0, chartPalette.length - 1));
    fold = (category) => (kept.has(category) ? category : options.otherLabel);
    categories = [...kept, options.otherLabel];
  }
  const counts = new Map<string, number>(); // `${month}\u0000${category}` → count
  for (const row of options.data) {
    if (!monthSet.has(row.month)) continue;
    const key = `${row.month}\u0000${fold(row.category)}`;
    counts.set(key, (counts.get(key) ?? 0) + row.count);
  }
  const bars = months.flatMap((month) =>
    categories
      .map((category) => ({ month, category, count: counts.get(`${month}\u0000${category}`) ?? 0 }))
      .filter((bar) => bar.count > 0),
  );
  const monthTotals = months.map((month) => bars.filter((bar) => bar.month === month).reduce((sum, bar) => sum + bar.count, 0));
  const ticks = integerTicks(Math.max(0, ...monthTotals));
  const colors = categories.map((_, index) => chartPalette[index % chartPalette.length]!);
  const tickEvery = Math.ceil(months.length / 12);

  const svg = render(
    {
      height: 300,
      marginTop: 28,
      marginLeft: Math.max(36, textWidth(formatCount(ticks[ticks.length - 1]!)) + 16),
      marginBottom: 44,
      x: {
        domain: months,
        label: null,
        tickFormat: monthTick(names, months),
        ticks: months.filter((_, index) => index % tickEvery === 0),
        padding: 0.2,
      },
      y: { domain: [0, ticks[ticks.length - 1]!], ticks, tickFormat: formatCount, label: options.countHeader, labelArrow: false },
      color: { domain: categories, range: colors },
      marks: [
        Plot.gridY(ticks, hiddenGrid),
        Plot.barY(
          bars,
          Plot.stackY({
            x: 'month',
            y: 'count',
            fill: 'category',
            order: categories,
            stroke: 'white',
            strokeWidth: 1,
            title: (bar: (typeof bars)[number]) => `${bar.category}, ${monthName(names, bar.month)}: ${formatCount(bar.count)}`,
          }),
        ),
        Plot.ruleY([0]),
      ],
    },
    options,
  );

  return {
    title: options.title,
    description: options.description,
    svg,
    legend: categories.map((label, index) => ({ label, color: colors[index]! })),
    table: {
      head: [options.monthHeader, ...categories, options.totalHeader],
      numeric: [false, ...categories.map(() => true), true],
      rows: months.map((month, index) => [
        monthName(names, month),
        ...categories.map((category) => formatCount(counts.get(`${month}\u0000${category}`) ?? 0)),
        formatCount(monthTotals[index]!),
      ]),
    },
  };
}

export interface LabelCount {
  label: string;
  count: number;
}

export interface HorizontalBarsOptions extends ChartText {
  data: readonly LabelCount[];
  labelHeader: string;
  countHeader: string;
  /** `count` (the default): largest first; `given`: in the order of the data. */
  order?: 'count' | 'given';
}

const longestAxisLabel = 28;

/** Counts by label (categories, villages) as horizontal bars, so long labels stay readable. */
export function horizontalBars(options: HorizontalBarsOptions): Chart {
  const totals = new Map<string, number>();
  for (const row of options.data) totals.set(row.label, (totals.get(row.label) ?? 0) + row.count);
  const rows = [...totals].map(([label, count]) => ({ label, count }));
  if ((options.order ?? 'count') === 'count') rows.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'sv'));
  const ticks = integerTicks(Math.max(0, ...rows.map((row) => row.count)), 4);
  const labelWidth = Math.max(0, ...rows.map((row) => textWidth(ellipsis(row.label, longestAxisLabel))));
  const barStep = 28;

  const svg = render(
    {
      height: 8 + Math.max(1, rows.length) * barStep + 36,
      marginLeft: Math.min(width / 2, labelWidth + 16),
      marginRight: textWidth(formatCount(ticks[ticks.length - 1]!)) + 16,
      marginTop: 8,
      marginBottom: 36,
      x: { domain: [0, ticks[ticks.length - 1]!], ticks, tickFormat: formatCount, label: options.countHeader, labelArrow: false },
      y: {
        domain: rows.map((row) => row.label),
        label: null,
        tickFormat: (label: string) => ellipsis(label, longestAxisLabel),
        padding: 0.25,
      },
      marks: [
        Plot.gridX(ticks, hiddenGrid),
        Plot.barX(rows, {
          x: 'count',
          y: 'label',
          fill: chartPalette[0],
          title: (row: (typeof rows)[number]) => `${row.label}: ${formatCount(row.count)}`,
        }),
        // The number at the end of each bar: read without following the grid to the axis.
        Plot.text(rows, {
          x: 'count',
          y: 'label',
          text: (row: (typeof rows)[number]) => formatCount(row.count),
          textAnchor: 'start',
          dx: 4,
          ariaHidden: 'true',
        }),
        Plot.ruleX([0]),
      ],
    },
    options,
  );

  return {
    title: options.title,
    description: options.description,
    svg,
    legend: [],
    table: {
      head: [options.labelHeader, options.countHeader],
      numeric: [false, true],
      rows: rows.map((row) => [row.label, formatCount(row.count)]),
    },
  };
}

export interface MonthValue {
  month: string;
  value: number;
}

export interface LineOptions extends ChartText {
  data: readonly MonthValue[];
  months?: readonly string[];
  monthHeader: string;
  valueHeader: string;
  monthNames?: MonthNames;
}

/** One value per month as a line with a dot on each month. */
export function lineByMonth(options: LineOptions): Chart {
  const names = options.monthNames ?? swedishMonthNames;
  const months = monthsOf(options.data, options.months);
  const values = new Map<string, number>();
  for (const row of options.data) values.set(row.month, (values.get(row.month) ?? 0) + row.value);
  const points = months.map((month) => ({ month, value: values.get(month) ?? 0 }));
  const ticks = integerTicks(Math.max(0, ...points.map((point) => point.value)));
  const tickEvery = Math.ceil(months.length / 12);

  const svg = render(
    {
      height: 280,
      marginTop: 28,
      marginLeft: Math.max(36, textWidth(formatCount(ticks[ticks.length - 1]!)) + 16),
      marginRight: 24,
      marginBottom: 44,
      x: {
        type: 'point',
        domain: months,
        label: null,
        tickFormat: monthTick(names, months),
        ticks: months.filter((_, index) => index % tickEvery === 0),
        padding: 0.3,
      },
      y: { domain: [0, ticks[ticks.length - 1]!], ticks, tickFormat: formatCount, label: options.valueHeader, labelArrow: false },
      marks: [
        Plot.gridY(ticks, hiddenGrid),
        Plot.ruleY([0]),
        Plot.lineY(points, { x: 'month', y: 'value', stroke: chartPalette[0], strokeWidth: 2 }),
        Plot.dot(points, {
          x: 'month',
          y: 'value',
          fill: chartPalette[0],
          r: 3.5,
          title: (point: (typeof points)[number]) => `${monthName(names, point.month)}: ${formatValue(point.value)}`,
        }),
      ],
    },
    options,
  );

  return {
    title: options.title,
    description: options.description,
    svg,
    legend: [],
    table: {
      head: [options.monthHeader, options.valueHeader],
      numeric: [false, true],
      rows: points.map((point) => [monthName(names, point.month), formatValue(point.value)]),
    },
  };
}
