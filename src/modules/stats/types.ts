import type { CalendarDate } from '../../platform/calendar.js';

// The statistics module's shared shapes (issue 13): what the queries return, what the suppression module
// (suppression.ts) turns into shown or hidden cells, and what the dashboard, the open-data pages, the JSON API
// and the exports render. Every figure that reaches a person is a `Cell`: no view, export or API reads a raw
// count, so nothing can show a number that suppression hid.

/** The least number of persons or assignments a shown figure may rest on (SCB's and Arbetsförmedlingen's 5). */
export const MIN_BASIS = 5;

/**
 * One figure as shown. `value` is null unless shown. `small`: it rests on 1–4 persons or assignments (primary
 * suppression, shown as "<5"); `secondary`: hidden so that a hidden neighbour cannot be subtracted out of a
 * shown total, or a difference whose either side is hidden. Exports write hidden cells empty with `..` in a
 * status column (Kolada's convention).
 */
export type Cell = { value: number; status: 'shown' } | { value: null; status: 'small' } | { value: null; status: 'secondary' };

/** A raw figure before suppression: the value and how many persons or assignments it rests on. */
export interface RawFigure {
  value: number;
  /** Persons (applicants, workers, residents) or assignments behind the value; 0 for an empty cell. */
  basis: number;
}

/** A figure this period against the previous period of the same length. */
export interface Comparison {
  current: Cell;
  previous: Cell;
  /** Whole per cent, rounded half away from zero; hidden when either side is hidden or the previous is 0. */
  changePercent: Cell;
}

export type PeriodPreset = 'month' | 'last30' | 'quarter' | 'year' | 'custom';

/** Calendar days in Stockholm, both ends included. */
export interface DateRange {
  from: CalendarDate;
  to: CalendarDate;
}

export interface Period extends DateRange {
  preset: PeriodPreset;
  /** The same number of days just before `from`. */
  previous: DateRange;
}

export interface NamedCategory {
  slug: string;
  name: string;
}

export interface Village {
  id: number;
  name: string;
  lat: number;
  lng: number;
}

/** A table of cells: rows × columns with the totals that are shown (suppressed together, see suppression.ts). */
export interface CellTable<R, C> {
  rows: R[];
  columns: C[];
  /** cells[row][column] */
  cells: Cell[][];
  rowTotals: Cell[];
  columnTotals: Cell[];
  total: Cell;
}

export interface DashboardFilters {
  municipalityCode: string;
  period: Period;
  /** Only this category's assignments (and residents offering it). */
  categorySlug?: string;
  /** Only this village's assignments (and residents who name it). */
  localityId?: number;
}

/** The headline figures, each against the previous period. */
export interface Headline {
  /** Assignments published in the period. */
  posted: Comparison;
  /** Places (people needed) on those assignments. */
  placesPosted: Comparison;
  /** Accepted applications on those assignments. */
  placesFilled: Comparison;
  /** placesFilled / placesPosted, whole per cent; rests on the assignments. */
  fillRatePercent: Comparison;
  /** Median whole days from publishing to the first application; rests on the assignments with one. */
  medianDaysToFirstApplication: Comparison;
  /** Median whole days from publishing to the first acceptance; rests on the assignments with one. */
  medianDaysToAcceptance: Comparison;
  /** Published in the period, no application 14 days after publishing (counted once 14 days have passed). */
  withoutApplicantAfter14Days: Comparison;
  /** Work-training (ASF) assignments published, and those with an accepted application. */
  workTrainingPosted: Comparison;
  workTrainingMatched: Comparison;
  /** Gross salary (öre) paid out in the period through simplified enterprise; rests on the workers paid. */
  paidGrossOre: Comparison;
  /** Hours (hundredths) on the billing bases behind those salaries; rests on the workers paid. */
  paidHoursHundredths: Comparison;
  /** Workers paid in the period (persons). */
  workersPaid: Comparison;
}

export interface VillageRow {
  /** null: assignments without a village. */
  village: Village | null;
  posted: Cell;
  placesFilled: Cell;
  fillRatePercent: Cell;
  paidGrossOre: Cell;
  workersPaid: Cell;
}

export interface UnansweredAssignment {
  id: number;
  title: string;
  organisationName: string;
  publishedOn: CalendarDate;
  village: string | null;
}

export interface IncomeRow {
  grossOre: Cell;
  hoursHundredths: Cell;
  workers: Cell;
}

export interface SkillRow {
  category: NamedCategory;
  /** Assignments published in the period in this category. */
  demanded: Cell;
  /** Residents of the municipality (home or a named village in it) offering the category. */
  offered: Cell;
}

export interface SkillDemandRow {
  skill: { slug: string; name: string; kind: 'skill' | 'certificate' | 'language' };
  /** Assignments posted in the period asking for the skill. */
  asked: Cell;
  /** Residents of the municipality (home or a named village in it) with the skill on a non-hidden profile. */
  offered: Cell;
  /** Asked for more often than offered, as far as the shown cells tell (never decided by a hidden value). */
  gap: boolean;
}

export interface ComparisonRow {
  municipality: { code: string; name: string };
  posted: Cell;
  fillRatePercent: Cell;
  paidGrossOre: Cell;
}

export interface Dashboard {
  municipality: { code: string; name: string; countyCode: string; countyName: string };
  filters: DashboardFilters;
  /** What the filter form offers: the officer's municipalities, the categories, this municipality's villages. */
  choices: {
    municipalities: Array<{ code: string; name: string }>;
    categories: NamedCategory[];
    villages: Village[];
  };
  headline: Headline;
  /** Category × month ('YYYY-MM') of the period, published assignments. */
  postedByMonthAndCategory: CellTable<NamedCategory, string>;
  /** Every village with something in the period, the largest first; assignments without a village last. */
  byVillage: VillageRow[];
  /** Assignments with no application 14 days after publishing: titles and organisations only, never people. */
  unanswered: UnansweredAssignment[];
  income: {
    byCategory: Array<{ category: NamedCategory } & IncomeRow>;
    byVillage: Array<{ village: Village | null } & IncomeRow>;
    total: IncomeRow;
  };
  /** Skills demanded vs offered by category, the largest gap (demanded − offered) first. */
  skills: SkillRow[];
  /**
   * Skills asked for in the period's assignments against residents offering them (the skills module's vocabulary,
   * non-hidden profiles), the gaps first. Each count suppressed on its own (no totals: one assignment or resident
   * counts under several skills).
   */
  skillDemand: SkillDemandRow[];
  /** The county's municipalities (this one included) for the same period and filters. */
  county: ComparisonRow[];
  /** The median over all 290 municipalities of the same figures (not suppressed: a median of municipalities is no person). */
  nationalMedian: { posted: number; fillRatePercent: number | null; paidGrossOre: number };
}

/** Open data: one row per municipality and category for a period (no village detail). */
export interface OpenDataRow {
  municipality: { code: string; name: string; countyCode: string };
  category: NamedCategory;
  posted: Cell;
  placesPosted: Cell;
  placesFilled: Cell;
  workTrainingPosted: Cell;
  paidGrossOre: Cell;
  workersPaid: Cell;
}
