// OCR reference numbers (OCR-referens, "OCR-nummer") for payments to a
// bankgiro: the reference the payer types or scans, from which the payee's
// bank matches a payment to its invoice. No maintained npm package does this
// (../shared/ARCHITECTURE.md), and the rules are short:
//
// - only digits, 2–25 of them (the OCR line has 25 positions for it);
// - the last digit is a check digit by modulus 10 — the Luhn algorithm, the
//   same as in a personnummer: weights 2, 1, 2, … from the right of the
//   digits before it, digit sums of the products, and the digit that makes
//   the total a multiple of ten;
// - optionally a length digit just before the check digit: the reference's
//   whole length, check and length digits included, with the tens dropped
//   (a 12-digit reference has length digit 2). With it, the bank can also
//   refuse a reference with a digit missing or one too many.
// Which checks a payee's bank applies (none, check digit, check digit and
// length, fixed or variable length) is the payee's agreement with Bankgirot.
//
// Sources (looked up 2026-12): Bankgirot's "Bankgiro Inbetalningar (Bankgiro
// Receivables) User Manual", section 5.2 "Using OCR reference numbers" —
// 5.2.1 definitions, rules, structure; 5.2.2 check digit by modulus 10; 5.2.3
// length digit (https://www.bankgirot.se/tjanster/inbetalningar/bankgiro-inbetalningar/handbocker/;
// only its table of contents was readable here); Cogwork's summary of the
// rules (https://cogwork.se/handledning/ekonomi/bankkoppling/ocr/): the second
// last digit gives the number of characters, control digits included, and
// from ten upwards only the ones digit is kept; the worked examples of the
// banktools-se library (https://github.com/barsoom/banktools-se): "123" →
// "1230", with a length digit "12351" (our tests use them); the 2–25 digits
// are ../shared/ARCHITECTURE.md's, matching the 25-position reference field
// of the OCR line.
//
// What Luhn catches: every change of one digit, and every swap of two
// adjacent different digits except 0 and 9 ("09" ↔ "90" keeps the sum).

import { hasValidLuhnCheckDigit, luhnCheckDigit } from './luhn.js';

export const OCR_MIN_LENGTH = 2;
export const OCR_MAX_LENGTH = 25;

export interface OcrOptions {
  /** Put a length digit before the check digit (and, when validating, require it). */
  lengthDigit?: boolean;
}

/** A base that cannot become a reference: not digits, or too long. */
export class OcrReferenceError extends RangeError {
  override readonly name = 'OcrReferenceError';
}

/**
 * The OCR reference for an invoice number (a whole number ≥ 0, or its digits):
 * the digits, with `lengthDigit` a length digit, then the check digit.
 * "123" → "1230"; with a length digit "12351".
 */
export function ocrReference(invoiceNumber: string | number | bigint, options: OcrOptions = {}): string {
  const base = typeof invoiceNumber === 'string' ? invoiceNumber : baseOf(invoiceNumber);
  if (!/^\d+$/.test(base)) throw new OcrReferenceError('An OCR reference is made of digits only');
  const extra = options.lengthDigit ? 2 : 1;
  if (base.length + extra > OCR_MAX_LENGTH)
    throw new OcrReferenceError(`An OCR reference has at most ${OCR_MAX_LENGTH} digits; this base has ${base.length}`);
  const body = options.lengthDigit ? `${base}${(base.length + 2) % 10}` : base;
  return `${body}${luhnCheckDigit(body)}`;
}

function baseOf(value: number | bigint): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value))
    throw new OcrReferenceError(`${value} is not a whole number an invoice can have`);
  if (value < 0) throw new OcrReferenceError('An invoice number is not negative');
  return String(value);
}

/**
 * True when `reference` is 2–25 digits ending in its check digit, and with
 * `lengthDigit`, at least 3 digits whose second last is its length digit.
 * Spaces are not accepted: strip what a payer typed before asking.
 */
export function isValidOcrReference(reference: string, options: OcrOptions = {}): boolean {
  if (!/^\d+$/.test(reference) || reference.length < OCR_MIN_LENGTH || reference.length > OCR_MAX_LENGTH) return false;
  if (!hasValidLuhnCheckDigit(reference)) return false;
  if (!options.lengthDigit) return true;
  return reference.length >= 3 && Number(reference[reference.length - 2]) === reference.length % 10;
}

/** The invoice number's digits inside a valid reference (undefined when it is not valid): for matching a payment. */
export function ocrReferenceBase(reference: string, options: OcrOptions = {}): string | undefined {
  if (!isValidOcrReference(reference, options)) return undefined;
  return reference.slice(0, options.lengthDigit ? -2 : -1);
}
