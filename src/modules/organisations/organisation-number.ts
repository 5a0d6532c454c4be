// Swedish organisationsnummer (Skatteverket SKV 709): ten digits, written
// NNNNNN-NNNN; the last digit is a Luhn (mod 10) check digit over the first
// nine; the third digit is at least 2 for a legal person (a sole trader's
// number is their personnummer, whose third digit is a month's first digit,
// 0 or 1 — personal data that has no place on a public organisation page).

export type OrganisationNumberProblem = 'format' | 'checkDigit' | 'notLegalPerson';

export type OrganisationNumberResult = { ok: true; value: string } | { ok: false; problem: OrganisationNumberProblem };

/** The Luhn check digit for a string of digits (weights 2, 1, 2, … from the left, as for Swedish numbers). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let product = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (product > 9) product -= 9;
    sum += product;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Reads an organisationsnummer as people type it ("802451-3765" or
 * "8024513765", surrounding spaces ignored) and returns its ten digits, or
 * what is wrong with it.
 */
export function parseOrganisationNumber(input: string): OrganisationNumberResult {
  const match = /^(\d{6})-?(\d{4})$/.exec(input.trim());
  if (!match) return { ok: false, problem: 'format' };
  const digits = `${match[1]}${match[2]}`;
  if (luhnCheckDigit(digits.slice(0, 9)) !== Number(digits[9])) return { ok: false, problem: 'checkDigit' };
  if (Number(digits[2]) < 2) return { ok: false, problem: 'notLegalPerson' };
  return { ok: true, value: digits };
}

/** "8024513765" → "802451-3765", the way it is written. */
export function formatOrganisationNumber(digits: string): string {
  return /^\d{10}$/.test(digits) ? `${digits.slice(0, 6)}-${digits.slice(6)}` : digits;
}
