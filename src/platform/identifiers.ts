// Swedish identity numbers through the maintained npm packages `personnummer`
// (3.x) and `organisationsnummer` (1.x), same maintainers, with our types and
// the few rules they leave to the caller. What they do, found by trying
// (personnummer 3.2.1, organisationsnummer 1.2.0):
//
// - personnummer: 10 or 12 digits, with or without "-" (or "+" for someone
//   100 or older) — and nothing else: no spaces (we remove them first). Date,
//   birth number (000 refused) and Luhn check digit are checked.
//   Samordningsnummer (day + 60, e.g. 19900161-0014) are accepted and reported;
//   one with an unknown birth day (day 60) is refused. Interim numbers (a
//   letter in the birth number) are refused. Without a century the package
//   picks it from the current year (and "+"), so "261231-0017" read in 2026 is
//   a birth date later this year: we refuse a birth date after today.
//   Its getAge()/getDate() use the server's time zone; we compute birth date
//   and age from the digits ourselves (platform/calendar.ts).
// - Test numbers: the packages check shape, date and check digit only, so a
//   number made up for tests with a real date and a right check digit (the
//   well-known fictional 19121212-1212, Skatteverket's test numbers) passes
//   like a real one. Nothing offline tells them apart; keep them out of
//   production data by other means.
// - organisationsnummer: ten digits (optionally with "-", or twelve with the
//   prefix 16); the third and fourth digits at least 20 (a legal person) and
//   the first not 0; Luhn check digit. A number that fails that is read as a
//   personnummer (a sole trader's number, "Enskild firma"): we report it as
//   not a legal person. type() names the group from the first digit in
//   Swedish (5 "Aktiebolag", 8 "Ideella förening och stiftelse", …).

import organisationsnummerModule from 'organisationsnummer';
import personnummerModule from 'personnummer';
import { ageOn, type CalendarDate, todayInStockholm } from './calendar.js';

// Both packages are CommonJS with `module.exports = TheClass` but declare an ES
// default export, so TypeScript sees the class at `.default` of what Node
// imports as the class itself. Take `.default` when there is one (as the types
// say, and as a future ES build would have it), else the import.
type PersonnummerClass = typeof personnummerModule.default;
type OrganisationsnummerClass = typeof organisationsnummerModule.default;
const PersonnummerPackage = ((personnummerModule as { default?: PersonnummerClass }).default ??
  personnummerModule) as PersonnummerClass;
const OrganisationsnummerPackage = ((organisationsnummerModule as { default?: OrganisationsnummerClass }).default ??
  organisationsnummerModule) as OrganisationsnummerClass;

// ---------------------------------------------------------------------------
// Personnummer and samordningsnummer

export interface Personnummer {
  /** Twelve digits, century included: "199001010017". What we store. */
  digits: string;
  /** A samordningsnummer (coordination number) rather than a personnummer. */
  coordinationNumber: boolean;
  /** 'YYYY-MM-DD' (for a samordningsnummer, the day less 60). */
  birthDate: CalendarDate;
}

export type PersonnummerProblem = 'format' | 'invalid' | 'coordinationNumber';
export type PersonnummerResult = { ok: true; value: Personnummer } | { ok: false; problem: PersonnummerProblem };

/**
 * Reads a personnummer or samordningsnummer as people type it
 * ("19900101-0017", "199001010017", "900101-0017", spaces ignored). Problems:
 * `format` (not 10 or 12 digits with an optional sign), `invalid` (no such
 * date, a wrong check digit, a birth date after `today`),
 * `coordinationNumber` (a samordningsnummer where only a personnummer will do).
 */
export function parsePersonnummer(
  input: string,
  options: { allowCoordinationNumber?: boolean; today?: CalendarDate } = {},
): PersonnummerResult {
  const compact = input.replace(/\s/g, '');
  if (!/^(\d{6}|\d{8})[-+]?\d{4}$/.test(compact)) return { ok: false, problem: 'format' };
  let parsed: InstanceType<typeof PersonnummerPackage>;
  try {
    parsed = PersonnummerPackage.parse(compact, { allowCoordinationNumber: true, allowInterimNumber: false });
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  const coordinationNumber = parsed.isCoordinationNumber();
  if (coordinationNumber && options.allowCoordinationNumber === false) return { ok: false, problem: 'coordinationNumber' };
  const day = Number(parsed.day) - (coordinationNumber ? 60 : 0);
  const birthDate = `${parsed.fullYear}-${parsed.month}-${String(day).padStart(2, '0')}`;
  if (birthDate > (options.today ?? todayInStockholm())) return { ok: false, problem: 'invalid' };
  return { ok: true, value: { digits: parsed.format(true), coordinationNumber, birthDate } };
}

/** Age in whole years on `onDate` (e.g. 1 January of the payout year). */
export function personnummerAgeOn(personnummer: Personnummer, onDate: CalendarDate): number {
  return ageOn(personnummer.birthDate, onDate);
}

/** "199001010017" → "19900101-****": enough to recognise one's own number, not enough to use it. */
export function maskPersonnummer(digits: string): string {
  if (!/^\d{12}$/.test(digits)) throw new RangeError('A stored personnummer has twelve digits');
  return `${digits.slice(0, 8)}-****`;
}

/** "199001010017" → "19900101-0017", the way it is written in full. */
export function formatPersonnummer(digits: string): string {
  if (!/^\d{12}$/.test(digits)) throw new RangeError('A stored personnummer has twelve digits');
  return `${digits.slice(0, 8)}-${digits.slice(8)}`;
}

// ---------------------------------------------------------------------------
// Organisationsnummer

export interface Organisationsnummer {
  /** Ten digits: "5560160680". */
  digits: string;
  /** A legal person (juridisk person: third digit ≥ 2); false for a sole trader's personnummer. */
  legalPerson: boolean;
  /** The package's Swedish name of the kind of organisation ("Aktiebolag", "Enskild firma", …). */
  type: string;
}

/**
 * Reads an organisationsnummer ("556016-0680", "5560160680", "16556016-0680";
 * spaces ignored), or undefined when the package refuses it. A sole trader's
 * personnummer is returned with `legalPerson: false`.
 */
export function parseOrganisationsnummer(input: string): Organisationsnummer | undefined {
  const compact = input.replace(/\s/g, '');
  let parsed: InstanceType<typeof OrganisationsnummerPackage>;
  try {
    parsed = OrganisationsnummerPackage.parse(compact);
  } catch {
    return undefined;
  }
  return { digits: parsed.format(false), legalPerson: !parsed.isPersonnummer(), type: parsed.type() };
}

/** "5560160680" → "556016-0680", the way it is written. */
export function formatOrganisationsnummer(digits: string): string {
  return /^\d{10}$/.test(digits) ? `${digits.slice(0, 6)}-${digits.slice(6)}` : digits;
}
