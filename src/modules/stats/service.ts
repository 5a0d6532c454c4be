import { authorize, type Actor } from '../access/index.js';
import { addDays, startOfStockholmDay, todayInStockholm, type CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import { badRequest, notFound } from '../../platform/errors.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import { monthsOf, parsePeriod } from './period.js';
import {
  selectAssignmentAggregates,
  selectCategoryRows,
  selectIncomeAggregates,
  selectMunicipality,
  selectMunicipalityChoices,
  selectMunicipalityFigures,
  selectOfferedCategories,
  selectOpenDataAggregates,
  selectUnanswered,
  selectVillages,
  type AssignmentAggregate,
  type CategoryRow,
  type IncomeAggregate,
  type MunicipalityFigures,
  type OpenDataAggregate,
  type ScopeFilter,
  type VillageRowData,
} from './queries.js';
import { selectDemandAndSupply, type DemandSupplyRow } from '../skills/index.js';
import { cellOf, compare, ratioCell, suppressList, suppressTable } from './suppression.js';
import {
  MIN_BASIS,
  type Cell,
  type Comparison,
  type ComparisonRow,
  type Dashboard,
  type DateRange,
  type Headline,
  type IncomeRow,
  type NamedCategory,
  type OpenDataRow,
  type Period,
  type RawFigure,
  type SkillDemandRow,
  type SkillRow,
  type Village,
  type VillageRow,
} from './types.js';

// The statistics use cases: the officer's dashboard (authorised per municipality) and the open data (anyone).
// Each reads its raw figures in a few grouped queries run side by side and hands every figure to suppression.ts;
// figures shown together (a list and its total, the headline and the tables that add up to it) are suppressed
// together, so no hidden value can be worked out from what the page shows.
//
// Definitions the queries leave to this file:
// - medians are of exact elapsed days (percentile_cont: the mean of the middle two for an even count), rounded
//   to whole days with halves up (2.5 → 3);
// - a fill rate is hidden when fewer than 5 persons were accepted, not only when fewer than 5 assignments stand
//   behind it: beside the shown places, the rate would give the hidden number of accepted persons away;
// - the county comparison and the national median follow the category filter but not a village (a village
//   belongs to one municipality; the others have nothing to compare it with).

/** The longest list of unanswered assignments a dashboard shows (the headline counts them all). */
export const UNANSWERED_LIST_LIMIT = 100;
/** The most skills the demand-and-supply table shows, the gaps first. */
export const SKILL_DEMAND_LIMIT = 50;

export interface DashboardInput {
  municipalityCode: string;
  period?: unknown;
  from?: unknown;
  to?: unknown;
  category?: unknown;
  village?: unknown;
}

export interface OpenDataInput {
  period?: unknown;
  from?: unknown;
  to?: unknown;
  municipality?: unknown;
  county?: unknown;
}

const MUNICIPALITY_CODE = /^[0-9]{4}$/;
const COUNTY_CODE = /^[0-9]{2}$/;
const ID = /^[1-9][0-9]{0,8}$/;

const isBlank = (value: unknown) => value === undefined || value === null || value === '';

export async function getDashboard(
  db: DbOrTrx,
  actor: Actor,
  input: DashboardInput,
  today: CalendarDate = todayInStockholm(),
): Promise<Dashboard> {
  const code = input.municipalityCode;
  if (typeof code !== 'string' || !MUNICIPALITY_CODE.test(code)) throw notFound();
  authorize(actor, 'statistics.view', { municipalityCode: code });
  const [municipality, categories, villageRows, municipalityChoices] = await Promise.all([
    selectMunicipality(db, code),
    selectCategoryRows(db),
    selectVillages(db, code),
    selectMunicipalityChoices(db, actor.isAdmin ? 'all' : [...actor.officerOf]),
  ]);
  if (!municipality) throw notFound();

  const period = parsePeriod(input, today);
  const category = parseCategory(input.category, categories);
  const village = parseVillage(input.village, villageRows);
  const filter: ScopeFilter = { municipalityCode: code, categoryId: category?.id ?? null, localityId: village?.id ?? null };
  const current = instantsOf(period);
  const previousStart = startOfStockholmDay(period.previous.from);
  // Published on or before the day 14 days ago: its 14 days have passed by today.
  const unansweredBefore = startOfStockholmDay(addDays(today, -13));

  const [assignments, unanswered, income, offered, skillDemand, municipalities] = await Promise.all([
    selectAssignmentAggregates(db, filter, { previousStart, currentStart: current.start, end: current.end }, unansweredBefore),
    selectUnanswered(db, filter, current, unansweredBefore, UNANSWERED_LIST_LIMIT),
    selectIncomeAggregates(db, filter, { previousFrom: period.previous.from, from: period.from, to: period.to }),
    selectOfferedCategories(db, filter),
    selectDemandAndSupply(db, { ...filter, start: current.start, end: current.end }, MIN_BASIS),
    selectMunicipalityFigures(db, filter.categoryId, current),
  ]);

  const named = (id: number): NamedCategory => {
    const row = categories.find((candidate) => candidate.id === id);
    return { slug: row?.slug ?? String(id), name: row?.name ?? String(id) };
  };
  const villageById = new Map(villageRows.map((row) => [row.id, villageOf(row)]));
  const villageFor = (id: number | null): Village | null => (id === null ? null : (villageById.get(id) ?? null));

  const totals = (isCurrent: boolean) => assignments.find((row) => row.group === 'total' && row.isCurrent === isCurrent);
  const incomeTotals = (isCurrent: boolean) => income.find((row) => row.group === 'total' && row.isCurrent === isCurrent);
  const headline = headlineOf(totals(true), totals(false), incomeTotals(true), incomeTotals(false));

  const postedByMonthAndCategory = monthTable(
    assignments.filter((row) => row.isCurrent && row.group === 'categoryMonth'),
    period,
    categories,
    category,
  );
  hideWhereHidden(headline.posted, postedByMonthAndCategory.total);

  const incomeByCategory = incomeCells(
    income.filter((row) => row.isCurrent && row.group === 'category'),
    incomeTotals(true),
  );
  const incomeByVillage = incomeCells(
    income.filter((row) => row.isCurrent && row.group === 'village'),
    incomeTotals(true),
  );
  const incomeTotal = mergeTotals(incomeByCategory.total, incomeByVillage.total);
  hideWhereHidden(headline.paidGrossOre, incomeTotal.grossOre);
  hideWhereHidden(headline.paidHoursHundredths, incomeTotal.hoursHundredths);
  hideWhereHidden(headline.workersPaid, incomeTotal.workers);

  const byVillage = villageRowsOf(
    assignments.filter((row) => row.isCurrent && row.group === 'village'),
    totals(true),
    incomeByVillage.rows,
    villageFor,
    headline,
  );

  return {
    municipality,
    filters: {
      municipalityCode: code,
      period,
      ...(category ? { categorySlug: category.slug } : {}),
      ...(village ? { localityId: village.id } : {}),
    },
    choices: {
      municipalities: municipalityChoices,
      categories: categories.map(({ slug, name }) => ({ slug, name })),
      villages: villageRows.map(villageOf),
    },
    headline,
    postedByMonthAndCategory,
    byVillage,
    unanswered: unanswered.map((row) => ({ ...row, village: row.village ?? null })),
    income: {
      byCategory: incomeByCategory.rows.map(({ key, cells }) => ({ category: named(key!), ...cells })),
      byVillage: incomeByVillage.rows.map(({ key, cells }) => ({ village: villageFor(key), ...cells })),
      total: incomeTotal,
    },
    skills: skillRows(postedByMonthAndCategory, offered, named, category),
    skillDemand: skillDemandRows(skillDemand),
    county: countyRows(municipalities.filter((row) => row.countyCode === municipality.countyCode)),
    nationalMedian: nationalMedianOf(municipalities),
  };
}

export async function getOpenData(
  db: DbOrTrx,
  reference: ReferenceData,
  input: OpenDataInput,
  today: CalendarDate = todayInStockholm(),
): Promise<{ period: Period; rows: OpenDataRow[] }> {
  const period = parsePeriod(input, today);
  const municipalityCode = isBlank(input.municipality) ? null : input.municipality;
  const countyCode = isBlank(input.county) ? null : input.county;
  if (
    municipalityCode !== null &&
    (typeof municipalityCode !== 'string' ||
      !MUNICIPALITY_CODE.test(municipalityCode) ||
      !reference.municipalityByCode.has(municipalityCode))
  )
    throw badRequest('Unknown municipality', { municipality: 'is not a municipality code' });
  if (
    countyCode !== null &&
    (typeof countyCode !== 'string' ||
      !COUNTY_CODE.test(countyCode) ||
      !reference.municipalities.some((municipality) => countyOf(municipality.code) === countyCode))
  )
    throw badRequest('Unknown county', { county: 'is not a county code' });

  const aggregates = await selectOpenDataAggregates(db, { municipalityCode, countyCode }, instantsOf(period));
  const categoryById = new Map(reference.categories.map((row) => [row.id, { slug: row.slug, name: row.nameSv }]));
  const nameOf = (code: string) => reference.municipalityByCode.get(code)?.name ?? code;
  // By municipality name in code point order, then category id: the order the API has always answered in (the
  // database's C collation sorted them before the names came from the reference data).
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  aggregates.sort(
    (a, b) =>
      byName(nameOf(a.municipalityCode), nameOf(b.municipalityCode)) ||
      byName(a.municipalityCode, b.municipalityCode) ||
      a.categoryId - b.categoryId,
  );
  const byMunicipality = new Map<string, OpenDataAggregate[]>();
  for (const row of aggregates) {
    const parts = byMunicipality.get(row.municipalityCode);
    if (parts) parts.push(row);
    else byMunicipality.set(row.municipalityCode, [row]);
  }

  const rows: OpenDataRow[] = [];
  for (const parts of byMunicipality.values()) {
    // Each column as if the municipality's total were shown beside it (the dashboard shows it to officers, and
    // anyone can add the categories up): no lone hidden cell in a column.
    const column = (figure: (row: OpenDataAggregate) => RawFigure) => {
      const figures = parts.map(figure);
      return suppressList(figures, sumOf(figures)).cells;
    };
    const posted = column((row) => ({ value: row.posted, basis: row.posted }));
    const placesPosted = column((row) => ({ value: row.places, basis: row.posted }));
    const placesFilled = column((row) => ({ value: row.filled, basis: row.filledPersons }));
    const workTrainingPosted = column((row) => ({ value: row.workTrainingPosted, basis: row.workTrainingPosted }));
    const [paidGrossOre, workersPaid] = hideRowsTogether([
      column((row) => ({ value: row.grossOre, basis: row.workers })),
      column((row) => ({ value: row.workers, basis: row.workers })),
    ]);
    parts.forEach((row, index) => {
      rows.push({
        municipality: {
          code: row.municipalityCode,
          name: nameOf(row.municipalityCode),
          countyCode: countyOf(row.municipalityCode),
        },
        category: categoryById.get(row.categoryId) ?? { slug: String(row.categoryId), name: String(row.categoryId) },
        posted: posted[index]!,
        placesPosted: placesPosted[index]!,
        placesFilled: placesFilled[index]!,
        workTrainingPosted: workTrainingPosted[index]!,
        paidGrossOre: paidGrossOre![index]!,
        workersPaid: workersPaid![index]!,
      });
    });
  }
  return { period, rows };
}

// ---------------------------------------------------------------------------------------------------------------
// Input

function parseCategory(value: unknown, categories: CategoryRow[]): CategoryRow | undefined {
  if (isBlank(value)) return undefined;
  const found = typeof value === 'string' ? categories.find((row) => row.slug === value) : undefined;
  if (!found) throw badRequest('Unknown category', { category: 'is not a category' });
  return found;
}

function parseVillage(value: unknown, villages: VillageRowData[]): VillageRowData | undefined {
  if (isBlank(value)) return undefined;
  const id = typeof value === 'number' ? value : typeof value === 'string' && ID.test(value) ? Number(value) : NaN;
  const found = villages.find((row) => row.id === id);
  if (!found) throw badRequest('Unknown village', { village: 'is not a village of this municipality' });
  return found;
}

/** A Swedish municipality code begins with its county's code (reference data holds no county code of its own). */
const countyOf = (municipalityCode: string) => municipalityCode.slice(0, 2);

function instantsOf(range: DateRange): { start: Date; end: Date; from: CalendarDate; to: CalendarDate } {
  return {
    start: startOfStockholmDay(range.from),
    end: startOfStockholmDay(addDays(range.to, 1)),
    from: range.from,
    to: range.to,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Figures

/** A raw figure that may have no value (a median of nothing, a rate of no places). */
interface OptionalFigure {
  value: number | null;
  basis: number;
}

function optionalCell(figure: OptionalFigure): Cell {
  if (figure.value === null) {
    // ratioCell's convention for "no value": 'secondary' (types.ts has no status of its own for it), unless small.
    return figure.basis > 0 && figure.basis < MIN_BASIS ? { value: null, status: 'small' } : { value: null, status: 'secondary' };
  }
  return cellOf({ value: figure.value, basis: figure.basis });
}

function compareOptional(current: OptionalFigure, previous: OptionalFigure): Comparison {
  if (current.value !== null && previous.value !== null)
    return compare({ value: current.value, basis: current.basis }, { value: previous.value, basis: previous.basis });
  return {
    current: optionalCell(current),
    previous: optionalCell(previous),
    changePercent: { value: null, status: 'secondary' },
  };
}

/** Whole per cent with halves up, as ratioCell rounds; null without a denominator. */
const percentOf = (numerator: number, denominator: number) =>
  denominator === 0 ? null : Math.floor((numerator * 100) / denominator + 0.5);

/** A fill rate's basis: its assignments, or the accepted persons when there are fewer of them (see the top). */
const fillRateBasis = (posted: number, filledPersons: number) => (filledPersons > 0 ? Math.min(posted, filledPersons) : posted);

const count = (value: number): RawFigure => ({ value, basis: value });

const EMPTY: AssignmentAggregate = {
  isCurrent: true,
  group: 'total',
  categoryId: null,
  month: null,
  localityId: null,
  posted: 0,
  places: 0,
  filled: 0,
  filledPersons: 0,
  withApplication: 0,
  medianDaysToApplication: null,
  withAcceptance: 0,
  medianDaysToAcceptance: null,
  unanswered: 0,
  workTrainingPosted: 0,
  workTrainingMatched: 0,
};

function headlineOf(
  currentRow: AssignmentAggregate | undefined,
  previousRow: AssignmentAggregate | undefined,
  currentIncome: IncomeAggregate | undefined,
  previousIncome: IncomeAggregate | undefined,
): Headline {
  const [current, previous] = [currentRow ?? EMPTY, previousRow ?? EMPTY];
  const both = (figure: (row: AssignmentAggregate) => OptionalFigure) => compareOptional(figure(current), figure(previous));
  const paid = (figure: (row: IncomeAggregate | undefined) => RawFigure) =>
    compare(figure(currentIncome), figure(previousIncome));
  const roundedDays = (median: number | null) => (median === null ? null : Math.floor(median + 0.5));
  return {
    posted: both((row) => count(row.posted)),
    placesPosted: both((row) => ({ value: row.places, basis: row.posted })),
    placesFilled: both((row) => ({ value: row.filled, basis: row.filledPersons })),
    fillRatePercent: both((row) => ({
      value: percentOf(row.filled, row.places),
      basis: fillRateBasis(row.posted, row.filledPersons),
    })),
    medianDaysToFirstApplication: both((row) => ({
      value: roundedDays(row.medianDaysToApplication),
      basis: row.withApplication,
    })),
    medianDaysToAcceptance: both((row) => ({ value: roundedDays(row.medianDaysToAcceptance), basis: row.withAcceptance })),
    withoutApplicantAfter14Days: both((row) => count(row.unanswered)),
    workTrainingPosted: both((row) => count(row.workTrainingPosted)),
    workTrainingMatched: both((row) => count(row.workTrainingMatched)),
    paidGrossOre: paid((row) => ({ value: row?.grossOre ?? 0, basis: row?.workers ?? 0 })),
    paidHoursHundredths: paid((row) => ({ value: row?.hoursHundredths ?? 0, basis: row?.workers ?? 0 })),
    workersPaid: paid((row) => count(row?.workers ?? 0)),
  };
}

/** A headline shown beside a table or list whose total suppression hid: hidden there too (and its change). */
function hideWhereHidden(comparison: Comparison, total: Cell): void {
  if (total.value !== null && comparison.current.value !== null) return;
  if (total.value === null && comparison.current.value !== null) comparison.current = { value: null, status: total.status };
  comparison.changePercent = { value: null, status: 'secondary' };
}

function monthTable(
  rows: AssignmentAggregate[],
  period: Period,
  categories: CategoryRow[],
  filtered: CategoryRow | undefined,
): Dashboard['postedByMonthAndCategory'] {
  const months = monthsOf(period);
  const shown = categories.filter(
    (row) => row.id === filtered?.id || rows.some((part) => part.categoryId === row.id && part.posted > 0),
  );
  const figures = shown.map((categoryRow) =>
    months.map((month) => count(rows.find((row) => row.categoryId === categoryRow.id && row.month === month)?.posted ?? 0)),
  );
  return suppressTable(
    shown.map(({ slug, name }) => ({ slug, name })),
    months,
    figures,
  );
}

interface IncomeCells<K> {
  rows: Array<{ key: K; cells: IncomeRow }>;
  total: IncomeRow;
}

/**
 * Income by category or village with its total: each column (gross, hours, workers) suppressed as a list with its
 * total, then a row hidden in any column is hidden in all three, so amounts and hours are never shown where the
 * workers behind them are not (hiding more cells keeps every line at none or at least two hidden).
 */
function incomeCells(parts: IncomeAggregate[], total: IncomeAggregate | undefined): IncomeCells<number | null> {
  const sorted = [...parts].sort(
    (a, b) => (a.categoryId ?? a.localityId ?? Infinity) - (b.categoryId ?? b.localityId ?? Infinity),
  );
  const column = (figure: (row: IncomeAggregate | undefined) => RawFigure) => suppressList(sorted.map(figure), figure(total));
  const columns = [
    column((row) => ({ value: row?.grossOre ?? 0, basis: row?.workers ?? 0 })),
    column((row) => ({ value: row?.hoursHundredths ?? 0, basis: row?.workers ?? 0 })),
    column((row) => count(row?.workers ?? 0)),
  ];
  const [gross, hours, workers] = hideRowsTogether(columns.map((result) => [...result.cells, result.total!]));
  const cellsAt = (index: number): IncomeRow => ({
    grossOre: gross![index]!,
    hoursHundredths: hours![index]!,
    workers: workers![index]!,
  });
  return {
    rows: sorted.map((row, index) => ({
      key: row.group === 'category' ? row.categoryId : row.localityId,
      cells: cellsAt(index),
    })),
    total: cellsAt(sorted.length),
  };
}

/** Columns of cells about the same persons: a row hidden in one column is hidden in every one. */
function hideRowsTogether(columns: Cell[][]): Cell[][] {
  return columns.map((cells) =>
    cells.map((cell, index) => {
      const row = columns.map((other) => other[index]!);
      if (row.every((other) => other.value !== null)) return cell;
      return { value: null, status: row.some((other) => other.status === 'small') ? 'small' : 'secondary' };
    }),
  );
}

/** The income total shown under both lists: hidden if either list had to hide it. */
function mergeTotals(a: IncomeRow, b: IncomeRow): IncomeRow {
  const pick = (x: Cell, y: Cell): Cell => (x.value === null ? x : y);
  return {
    grossOre: pick(a.grossOre, b.grossOre),
    hoursHundredths: pick(a.hoursHundredths, b.hoursHundredths),
    workers: pick(a.workers, b.workers),
  };
}

function villageRowsOf(
  parts: AssignmentAggregate[],
  total: AssignmentAggregate | undefined,
  income: Array<{ key: number | null; cells: IncomeRow }>,
  villageFor: (id: number | null) => Village | null,
  headline: Headline,
): VillageRow[] {
  const withPosts = parts.filter((row) => row.posted > 0);
  const keys = [...new Set([...withPosts.map((row) => row.localityId), ...income.map((row) => row.key)])];
  const row = (key: number | null) => withPosts.find((part) => part.localityId === key) ?? { ...EMPTY, localityId: key };
  const list = (figure: (row: AssignmentAggregate) => RawFigure) =>
    suppressList(
      keys.map((key) => figure(row(key))),
      figure(total ?? EMPTY),
    );
  const posted = list((part) => count(part.posted));
  const filled = list((part) => ({ value: part.filled, basis: part.filledPersons }));
  hideWhereHidden(headline.posted, posted.total!);
  hideWhereHidden(headline.placesFilled, filled.total!);
  const none = cellOf({ value: 0, basis: 0 });
  const rows = keys.map((key, index): VillageRow => {
    const part = row(key);
    const filledCell = filled.cells[index]!;
    const paid = income.find((incomeRow) => incomeRow.key === key)?.cells;
    return {
      village: villageFor(key),
      posted: posted.cells[index]!,
      placesFilled: filledCell,
      // Hidden with the accepted persons: beside them the rate and the places would give them away.
      fillRatePercent:
        filledCell.value === null
          ? filledCell
          : ratioCell(part.filled, part.places, fillRateBasis(part.posted, part.filledPersons)),
      paidGrossOre: paid?.grossOre ?? none,
      workersPaid: paid?.workers ?? none,
    };
  });
  // The largest first by what is shown (ordering by hidden values would hint at them), alphabetically among
  // equals and the hidden; assignments without a village last.
  const shownPosts = (village: VillageRow) => village.posted.value ?? -1;
  return rows.sort(
    (a, b) =>
      Number(a.village === null) - Number(b.village === null) ||
      shownPosts(b) - shownPosts(a) ||
      (a.village?.name ?? '').localeCompare(b.village?.name ?? '', 'sv'),
  );
}

function skillRows(
  table: Dashboard['postedByMonthAndCategory'],
  offered: Array<{ categoryId: number; residents: number }>,
  named: (id: number) => NamedCategory,
  filtered: CategoryRow | undefined,
): SkillRow[] {
  const none = cellOf({ value: 0, basis: 0 });
  const rows = new Map<string, SkillRow>();
  // Demand is the table's row totals, so the two never disagree about a hidden figure.
  table.rows.forEach((category, index) =>
    rows.set(category.slug, { category, demanded: table.rowTotals[index]!, offered: none }),
  );
  for (const { categoryId, residents } of offered) {
    const category = named(categoryId);
    if (filtered && category.slug !== filtered.slug) continue;
    rows.set(category.slug, { category, demanded: rows.get(category.slug)?.demanded ?? none, offered: cellOf(count(residents)) });
  }
  const gap = (row: SkillRow) => (row.demanded.value ?? 0) - (row.offered.value ?? 0);
  return [...rows.values()].sort((a, b) => gap(b) - gap(a) || a.category.name.localeCompare(b.category.name, 'sv'));
}

/**
 * Demand against supply per skill, each count suppressed on its own (there is no total beside them to subtract
 * from). A gap is told only from what is shown: a shown demand above a shown supply, or a shown demand (so at least
 * 5) beside a supply under 5. The gaps first, then the most asked for; at most SKILL_DEMAND_LIMIT rows.
 */
function skillDemandRows(rows: DemandSupplyRow[]): SkillDemandRow[] {
  const shown = rows.map((row): SkillDemandRow => {
    const asked = cellOf(count(row.asked));
    const offered = cellOf(count(row.offered));
    const gap =
      asked.value !== null &&
      asked.value > 0 &&
      (offered.value === null ? asked.value >= MIN_BASIS : asked.value > offered.value);
    return { skill: { slug: row.slug, name: row.nameSv, kind: row.kind }, asked, offered, gap };
  });
  const shownValue = (cell: { value: number | null }) => cell.value ?? 0;
  return shown
    .sort(
      (a, b) =>
        Number(b.gap) - Number(a.gap) ||
        shownValue(b.asked) - shownValue(a.asked) ||
        shownValue(b.offered) - shownValue(a.offered) ||
        a.skill.name.localeCompare(b.skill.name, 'sv'),
    )
    .slice(0, SKILL_DEMAND_LIMIT);
}

function countyRows(rows: MunicipalityFigures[]): ComparisonRow[] {
  return rows.map((row) => ({
    municipality: { code: row.code, name: row.name },
    posted: cellOf(count(row.posted)),
    fillRatePercent: ratioCell(row.filled, row.places, row.posted),
    paidGrossOre: cellOf({ value: row.grossOre, basis: row.workers }),
  }));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Over every municipality, those with nothing included (zeros); a fill rate only where places were posted. */
function nationalMedianOf(rows: MunicipalityFigures[]): Dashboard['nationalMedian'] {
  const fillRates = rows.flatMap((row) => (row.places > 0 ? [percentOf(row.filled, row.places)!] : []));
  const fillRate = median(fillRates);
  return {
    posted: median(rows.map((row) => row.posted)) ?? 0,
    fillRatePercent: fillRate === null ? null : Math.floor(fillRate + 0.5),
    paidGrossOre: Math.floor((median(rows.map((row) => row.grossOre)) ?? 0) + 0.5),
  };
}

function villageOf(row: VillageRowData): Village {
  return { id: row.id, name: row.name, lat: row.lat, lng: row.lng };
}

function sumOf(figures: RawFigure[]): RawFigure {
  return figures.reduce((sum, figure) => ({ value: sum.value + figure.value, basis: sum.basis + figure.basis }), {
    value: 0,
    basis: 0,
  });
}
