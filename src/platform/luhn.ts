// The Luhn (modulus 10) check digit, written once: Bankgirot's OCR references
// (./ocr.ts) use it, and so do Swedish personnummer and organisationsnummer
// (the npm packages behind ./identifiers.ts carry their own copy; the
// organisations form uses this one to tell a wrong check digit from other
// problems). Weights 2, 1, 2, … from the rightmost digit of the body, digit
// sums of the products, and the digit that makes the total a multiple of ten.
// For a nine-digit body (an organisationsnummer) that is weights 2, 1, 2, …
// from the left too, as Skatteverket writes it.

const DIGITS = /^\d+$/;

/** The check digit for `body` (one or more ASCII digits). */
export function luhnCheckDigit(body: string): number {
  if (!DIGITS.test(body)) throw new RangeError('A Luhn body is one or more digits');
  return (10 - (luhnSum(body, true) % 10)) % 10;
}

/** True when the last digit of `digits` (two or more ASCII digits) is the Luhn check digit of the ones before it. */
export function hasValidLuhnCheckDigit(digits: string): boolean {
  return DIGITS.test(digits) && digits.length >= 2 && luhnSum(digits, false) % 10 === 0;
}

/** The weighted sum; `doubleRightmost` is true for a body without its check digit. */
function luhnSum(digits: string, doubleRightmost: boolean): number {
  let sum = 0;
  let double = doubleRightmost;
  for (let i = digits.length - 1; i >= 0; i--) {
    let value = digits.charCodeAt(i) - 48;
    if (double) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
    double = !double;
  }
  return sum;
}
