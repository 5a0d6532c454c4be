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

/** The charts' month names unless told otherwise (`monthNames`). */
export const swedishMonthNames: MonthNames = { long: swedishMonths, short: swedishShortMonths };

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

/** The outline given to figures too small to show (fewer than 5): dashed, hollow, so no colour is needed to tell them apart. */
const hiddenStroke = { fill: 'white', stroke: '#1b1f1d', strokeWidth: 1.5, strokeDasharray: '3,2' } as const;

export interface MapPoint {
  label: string;
  lat: number;
  lng: number;
  /** A number, or the text a hidden count reads as ("<5", ".."): drawn at one fixed size whatever it hides. */
  count: number | string;
}

export interface MapBounds {
  south: number;
  west: number;
  north: number;
  east: number;
}

export interface DotMapOptions extends ChartText {
  points: readonly MapPoint[];
  /** The area drawn (the municipality's villages' bounding box); by default the points'. */
  bounds?: MapBounds;
  labelHeader: string;
  countHeader: string;
}

const largestDotRadius = 18;
const hiddenDotRadius = 5;

/**
 * Counts by place as dots on a map without a base map: the places' latitude and longitude in an
 * equirectangular projection whose standard parallel is the middle of the area (so distances east
 * and north come out in the same scale at that latitude), fitted to the bounds. A dot's area is its
 * count; a hidden count is a dashed hollow dot of one fixed size, so the picture never tells a hidden
 * value, and every dot is labelled with its place and count in text.
 */
export function dotMap(options: DotMapOptions): Chart {
  const located = options.points.filter((point) => Number.isFinite(point.lat) && Number.isFinite(point.lng));
  const bounds = options.bounds ?? boundsOf(located);
  const middleLatitude = bounds ? (bounds.south + bounds.north) / 2 : 0;
  const eastScale = Math.cos((middleLatitude * Math.PI) / 180);
  const project = (point: { lat: number; lng: number }) => ({ x: point.lng * eastScale, y: point.lat });

  const margin = 24;
  const innerWidth = width - 2 * margin;
  const [minInnerHeight, maxInnerHeight] = [200, 460];
  let xDomain: [number, number] = [0, 1];
  let yDomain: [number, number] = [0, 1];
  let innerHeight = minInnerHeight;
  if (bounds) {
    const corner = [project({ lat: bounds.south, lng: bounds.west }), project({ lat: bounds.north, lng: bounds.east })];
    // A tenth of the area around it, and at least a little, so a single village is not a zero-sized map.
    const padX = Math.max((corner[1]!.x - corner[0]!.x) * 0.1, 0.02);
    const padY = Math.max((corner[1]!.y - corner[0]!.y) * 0.1, 0.02);
    xDomain = [corner[0]!.x - padX, corner[1]!.x + padX];
    yDomain = [corner[0]!.y - padY, corner[1]!.y + padY];
    const spanX = xDomain[1] - xDomain[0];
    const spanY = yDomain[1] - yDomain[0];
    innerHeight = (innerWidth * spanY) / spanX;
    // Too tall or too flat for a page: widen the other direction, keeping one scale for both.
    if (innerHeight > maxInnerHeight) xDomain = widen(xDomain, (spanY * innerWidth) / maxInnerHeight);
    if (innerHeight < minInnerHeight) yDomain = widen(yDomain, (spanX * minInnerHeight) / innerWidth);
    innerHeight = Math.min(maxInnerHeight, Math.max(minInnerHeight, innerHeight));
  }

  const shown = located.filter((point): point is MapPoint & { count: number } => typeof point.count === 'number');
  const hidden = located.filter((point) => typeof point.count === 'string');
  const largest = Math.max(1, ...shown.map((point) => point.count));
  const radius = (point: MapPoint) =>
    typeof point.count === 'number' ? largestDotRadius * Math.sqrt(Math.max(0, point.count) / largest) : hiddenDotRadius;
  const countText = (point: MapPoint) => (typeof point.count === 'number' ? formatCount(point.count) : point.count);
  const sortValue = (point: MapPoint) => (typeof point.count === 'number' ? point.count : -1);
  const withXY = (point: MapPoint) => ({ ...point, ...project(point) });

  // Labels beside their dots, largest first, each on the first side (right, left, above, below) where it meets
  // no label placed before it; Plot cannot measure text, so boxes are estimated from the characters.
  const toPixel = (point: MapPoint) => {
    const { x, y } = project(point);
    return {
      x: margin + ((x - xDomain[0]) / (xDomain[1] - xDomain[0])) * innerWidth,
      y: margin + ((yDomain[1] - y) / (yDomain[1] - yDomain[0])) * innerHeight,
    };
  };
  const placed: Array<{ left: number; top: number; right: number; bottom: number }> = [];
  const overlaps = (box: (typeof placed)[number]) =>
    box.left < 0 ||
    box.right > width ||
    placed.some((other) => box.left < other.right && box.right > other.left && box.top < other.bottom && box.bottom > other.top);
  const labels = [...located]
    .sort((a, b) => sortValue(b) - sortValue(a))
    .map((point) => {
      const text = `${ellipsis(point.label, longestAxisLabel)} ${countText(point)}`;
      const at = toPixel(point);
      const textWide = textWidth(text);
      const gap = radius(point) + 4;
      const sides = [
        { textAnchor: 'start', dx: gap, dy: 0, left: at.x + gap, top: at.y - fontSize / 2 },
        { textAnchor: 'end', dx: -gap, dy: 0, left: at.x - gap - textWide, top: at.y - fontSize / 2 },
        { textAnchor: 'middle', dx: 0, dy: -(gap + fontSize / 2), left: at.x - textWide / 2, top: at.y - gap - fontSize },
        { textAnchor: 'middle', dx: 0, dy: gap + fontSize / 2, left: at.x - textWide / 2, top: at.y + gap },
      ] as const;
      const boxOf = (side: (typeof sides)[number]) => ({
        left: side.left,
        top: side.top,
        right: side.left + textWide,
        bottom: side.top + fontSize,
      });
      const side = sides.find((candidate) => !overlaps(boxOf(candidate))) ?? sides[at.x < width / 2 ? 0 : 1];
      placed.push(boxOf(side));
      const { x, y } = project(point);
      return Plot.text([{ x, y, text }], {
        x: 'x',
        y: 'y',
        text: 'text',
        textAnchor: side.textAnchor,
        dx: side.dx,
        dy: side.dy,
        stroke: 'white',
        strokeWidth: 3,
        paintOrder: 'stroke',
        fill: '#1b1f1d',
        ariaHidden: 'true',
      });
    });

  const svg = render(
    {
      height: innerHeight + 2 * margin,
      margin,
      x: { domain: xDomain, axis: null },
      y: { domain: yDomain, axis: null },
      // The radii are computed above (area by count, one size for hidden ones): Plot must not rescale them.
      r: { type: 'identity' },
      marks: [
        Plot.frame({ stroke: '#c9d2cd', ariaHidden: 'true' }),
        // Largest first, so a small dot is never hidden under a larger one.
        Plot.dot([...shown].sort((a, b) => b.count - a.count).map(withXY), {
          x: 'x',
          y: 'y',
          r: (point: MapPoint) => radius(point),
          fill: chartPalette[0],
          fillOpacity: 0.75,
          stroke: chartPalette[0],
          title: (point: MapPoint) => `${point.label}: ${countText(point)}`,
        }),
        Plot.dot(hidden.map(withXY), {
          x: 'x',
          y: 'y',
          r: hiddenDotRadius,
          ...hiddenStroke,
          title: (point: MapPoint) => `${point.label}: ${countText(point)}`,
        }),
        ...labels,
      ],
    },
    options,
  );

  const rows = [...options.points].sort((a, b) => sortValue(b) - sortValue(a) || a.label.localeCompare(b.label, 'sv'));
  return {
    title: options.title,
    description: options.description,
    svg,
    legend: [],
    table: {
      head: [options.labelHeader, options.countHeader],
      numeric: [false, true],
      rows: rows.map((point) => [point.label, countText(point)]),
    },
  };
}

function boundsOf(points: ReadonlyArray<{ lat: number; lng: number }>): MapBounds | undefined {
  if (points.length === 0) return undefined;
  const lats = points.map((point) => point.lat);
  const lngs = points.map((point) => point.lng);
  return { south: Math.min(...lats), north: Math.max(...lats), west: Math.min(...lngs), east: Math.max(...lngs) };
}

function widen([low, high]: [number, number], span: number): [number, number] {
  const extra = (span - (high - low)) / 2;
  return [low - extra, high + extra];
}

export interface BarSeries {
  name: string;
  /** How a value of this series reads at the end of its bar ("12 uppdrag"): the series told apart in words, not colour alone. */
  valueText: (value: number) => string;
}

export interface GroupedBarsOptions extends ChartText {
  /**
   * One value per series: a number, or the text a hidden value reads as ("<5", ".."), drawn as a dashed
   * hollow bar of one fixed length.
   */
  rows: ReadonlyArray<{ label: string; values: ReadonlyArray<number | string> }>;
  series: readonly BarSeries[];
  labelHeader: string;
  /** The value axis' label. */
  valueHeader: string;
  /** The table's numbers; formatCount by default. */
  format?: (value: number) => string;
}

/**
 * One or more values by label as horizontal bars, grouped by label, in the order given (the
 * caller sorts: gaps first, largest first). A hidden value is a dashed hollow bar of one fixed
 * length, whatever it hides, labelled "<5"; the value axis starts at zero.
 */
export function groupedBars(options: GroupedBarsOptions): Chart {
  const format = options.format ?? formatCount;
  const seriesCount = Math.max(1, options.series.length);
  const key = (rowIndex: number, seriesIndex: number) => `${rowIndex}\u0000${seriesIndex}`;
  const bars = options.rows.flatMap((row, rowIndex) =>
    options.series.map((series, seriesIndex) => {
      const given = row.values[seriesIndex] ?? 0;
      const value = typeof given === 'number' ? given : null;
      return {
        key: key(rowIndex, seriesIndex),
        label: row.label,
        series: series.name,
        value,
        text: typeof given === 'number' ? series.valueText(given) : given,
      };
    }),
  );
  const largest = Math.max(0, ...bars.map((bar) => bar.value ?? 0));
  const ticks = integerTicksFor(largest);
  const top = ticks[ticks.length - 1]!;
  // One fixed length for every hidden bar: a fortieth of the axis, at least visible, telling nothing.
  const hiddenLength = top / 40;
  const labelWidth = Math.max(0, ...options.rows.map((row) => textWidth(ellipsis(row.label, longestAxisLabel))));
  const barStep = seriesCount > 1 ? 20 : 28;
  const groupGap = seriesCount > 1 ? 10 : 0;
  const domain = bars.map((bar) => bar.key);
  const firstOfGroup = new Map(options.rows.map((row, rowIndex) => [key(rowIndex, 0), row.label]));
  const colors = options.series.map((_, index) => chartPalette[index % chartPalette.length]!);
  const longestText = Math.max(0, ...bars.map((bar) => textWidth(bar.text)));

  const svg = render(
    {
      height: 8 + Math.max(1, bars.length) * barStep + options.rows.length * groupGap + 40,
      marginLeft: Math.min(width / 2, labelWidth + 16),
      marginRight: Math.max(textWidth(format(top)) + 16, longestText + 8),
      marginTop: 8,
      marginBottom: 40,
      x: { domain: [0, top], ticks, tickFormat: format, label: options.valueHeader, labelArrow: false },
      y: {
        domain,
        label: null,
        tickSize: 0,
        tickFormat: (barKey: string) => ellipsis(firstOfGroup.get(barKey) ?? '', longestAxisLabel),
        padding: 0.2,
      },
      color: { domain: options.series.map((series) => series.name), range: colors },
      marks: [
        Plot.gridX(ticks, hiddenGrid),
        Plot.barX(
          bars.filter((bar) => bar.value !== null),
          {
            x: 'value',
            y: 'key',
            fill: 'series',
            title: (bar: (typeof bars)[number]) => `${bar.label}, ${bar.series}: ${bar.text}`,
          },
        ),
        Plot.barX(
          bars.filter((bar) => bar.value === null),
          {
            x1: 0,
            x2: hiddenLength,
            y: 'key',
            ...hiddenStroke,
            title: (bar: (typeof bars)[number]) => `${bar.label}, ${bar.series}: ${bar.text}`,
          },
        ),
        Plot.text(bars, {
          x: (bar: (typeof bars)[number]) => bar.value ?? hiddenLength,
          y: 'key',
          text: 'text',
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
    legend: seriesCount > 1 ? options.series.map((series, index) => ({ label: series.name, color: colors[index]! })) : [],
    table: {
      head: [options.labelHeader, ...options.series.map((series) => series.name)],
      numeric: [false, ...options.series.map(() => true)],
      rows: options.rows.map((row) => [
        row.label,
        ...options.series.map((_, index) => {
          const value = row.values[index] ?? 0;
          return typeof value === 'number' ? format(value) : value;
        }),
      ]),
    },
  };
}

/** integerTicks for values that may have decimals or be large amounts: four steps from zero. */
function integerTicksFor(max: number): number[] {
  return integerTicks(Math.ceil(max), 4);
}
