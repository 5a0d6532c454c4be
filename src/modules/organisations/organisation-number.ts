// Swedish organisationsnummer on the organisation form (Skatteverket SKV 709):
// ten digits, written NNNNNN-NNNN; the last digit is a Luhn (mod 10) check
// digit over the first nine; the third digit is at least 2 for a legal person
// (a sole trader's number is their personnummer, whose third digit is a
// month's first digit, 0 or 1 — personal data that has no place on a public
// organisation page). The `organisationsnummer` package decides validity
// (platform/identifiers.ts); this file keeps the form's stricter spelling and
// tells the person which part is wrong, which the package does not say.

import { formatOrganisationsnummer, parseOrganisationsnummer } from '../../platform/identifiers.js';
import { hasValidLuhnCheckDigit } from '../../platform/luhn.js';

export { luhnCheckDigit } from '../../platform/luhn.js';

export type OrganisationNumberProblem = 'format' | 'checkDigit' | 'notLegalPerson';

export type OrganisationNumberResult = { ok: true; value: string } | { ok: false; problem: OrganisationNumberProblem };

/**
 * Reads an organisationsnummer as people type it ("802451-3765" or
 * "8024513765", surrounding spaces ignored) and returns its ten digits, or
 * what is wrong with it.
 */
export function parseOrganisationNumber(input: string): OrganisationNumberResult {
  const match = /^(\d{6})-?(\d{4})$/.exec(input.trim());
  if (!match) return { ok: false, problem: 'format' };
  const digits = `${match[1]}${match[2]}`;
  const parsed = parseOrganisationsnummer(digits);
  if (parsed) return parsed.legalPerson ? { ok: true, value: parsed.digits } : { ok: false, problem: 'notLegalPerson' };
  // Refused by the package. The check digit first, then the third digit; a
  // number that passes both yet is refused (group digit 0: no such group) does
  // not add up either.
  if (!hasValidLuhnCheckDigit(digits)) return { ok: false, problem: 'checkDigit' };
  if (Number(digits[2]) < 2) return { ok: false, problem: 'notLegalPerson' };
  return { ok: false, problem: 'checkDigit' };
}

/** "8024513765" → "802451-3765", the way it is written. */
export const formatOrganisationNumber = formatOrganisationsnummer;
