// Money in Swedish kronor as integer öre, the only form amounts take in code,
// in the database (BIGINT öre columns) and in sums. No float ever holds an
// amount: user input is read digit by digit as text, rates are exact decimal
// strings or integers, and a product with a rate is computed in BigInt and
// rounded once, half up (half away from zero, so a credit note mirrors its
// invoice to the öre).
//
// Why `number` and not `bigint`: every amount this service will see fits a
// JavaScript number exactly — Number.MAX_SAFE_INTEGER (2^53 − 1) öre is
// 90 071 992 547 409,91 kr, about 90 trillion kronor — and a number goes into
// JSON, EJS, Intl and knex without conversions (node-postgres already reads
// BIGINT as a number in platform/db.ts). Every constructor and helper checks
// that its result is a safe integer and throws MoneyError rather than round
// silently; only the products with rates, whose intermediate values can pass
// 2^53, are computed in BigInt.

/** An amount in öre (1 kr = 100 öre), always a safe integer. Make one with ore(), kronor() or parseMoney(). */
export type Ore = number & { readonly __brand: 'Ore' };

export const ZERO_ORE = 0 as Ore;
/** The largest amount an Ore holds: 90 071 992 547 409,91 kr. */
export const MAX_ORE = Number.MAX_SAFE_INTEGER as Ore;

/** An amount that is not a whole number of öre, or outside what an Ore holds: a bug in the caller, not bad user input. */
export class MoneyError extends RangeError {
  override readonly name = 'MoneyError';
}

const MAX_ORE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

function checked(value: number, what: string): Ore {
  if (!Number.isSafeInteger(value)) throw new MoneyError(`${what} is not a whole number of öre within ±${MAX_ORE} öre`);
  // −0 would print as "−0,00 kr"
  return (value === 0 ? 0 : value) as Ore;
}

function fromBig(value: bigint, what: string): Ore {
  if (value > MAX_ORE_BIG || value < -MAX_ORE_BIG) throw new MoneyError(`${what} is outside ±${MAX_ORE} öre`);
  return checked(Number(value), what);
}

/** An amount from a whole number of öre. */
export function ore(value: number): Ore {
  return checked(value, `${value}`);
}

/** An amount from a whole number of kronor (12 → 1 200 öre). */
export function kronor(value: number): Ore {
  if (!Number.isSafeInteger(value)) throw new MoneyError(`${value} kr is not a whole number of kronor`);
  return checked(value * 100, `${value} kr`);
}

/** True when `value` is a whole number of öre an Ore can hold. */
export function isOre(value: unknown): value is Ore {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * An öre amount as the database returns it: a BIGINT column (a number), or a
 * sum or other NUMERIC expression (exact text, e.g. "123456"; see platform/db.ts).
 * Anything that is not a whole number of öre is refused, never rounded.
 */
export function oreFromDatabase(value: number | string | bigint): Ore {
  if (typeof value === 'number') return ore(value);
  if (typeof value === 'bigint') return fromBig(value, `${value}`);
  const match = /^(-?\d+)(?:\.0+)?$/.exec(value);
  if (!match) throw new MoneyError(`"${value}" is not a whole number of öre`);
  return fromBig(BigInt(match[1]!), value);
}

// ---------------------------------------------------------------------------
// Arithmetic: integers in, integers out

export function addMoney(a: Ore, b: Ore): Ore {
  return checked(a + b, `${a} + ${b}`);
}

export function subtractMoney(a: Ore, b: Ore): Ore {
  return checked(a - b, `${a} − ${b}`);
}

export function sumMoney(amounts: Iterable<Ore>): Ore {
  let total = ZERO_ORE;
  for (const amount of amounts) total = addMoney(total, amount);
  return total;
}

export function negateMoney(amount: Ore): Ore {
  return checked(-amount, `−${amount}`);
}

/** numerator / denominator of `amount`, rounded half up (away from zero) to the öre. */
function multiplyExact(amount: Ore, numerator: bigint, denominator: bigint): Ore {
  if (denominator <= 0n) throw new MoneyError('A rate needs a positive denominator');
  const product = BigInt(amount) * numerator;
  let quotient = product / denominator; // truncated toward zero
  const remainder = product % denominator;
  const twiceRemainder = 2n * (remainder < 0n ? -remainder : remainder);
  if (twiceRemainder >= denominator) quotient += product < 0n ? -1n : 1n;
  return fromBig(quotient, `${amount} × ${numerator}/${denominator}`);
}

/** `amount` × basis points / 10 000 (600 = 6 %), rounded half up to the öre. */
export function multiplyByBasisPoints(amount: Ore, basisPoints: number): Ore {
  if (!Number.isSafeInteger(basisPoints)) throw new MoneyError(`${basisPoints} is not a whole number of basis points`);
  return multiplyExact(amount, BigInt(basisPoints), 10_000n);
}

const PERCENT = /^(\d{1,6})(?:[.,](\d{1,12}))?$/;

/**
 * `amount` × percent / 100, the percentage written as an exact decimal
 * ("6", "31.42", "22,5"; a rate read from a NUMERIC column comes as such text),
 * rounded half up to the öre — PRODUCT.md's "rounded to the öre, half up".
 */
export function multiplyByPercent(amount: Ore, percent: string): Ore {
  const match = PERCENT.exec(percent);
  if (!match) throw new MoneyError(`"${percent}" is not a percentage such as 6 or 31.42`);
  const decimals = match[2] ?? '';
  return multiplyExact(amount, BigInt(match[1]! + decimals), 100n * 10n ** BigInt(decimals.length));
}

/** `amount` × numerator / denominator (e.g. the vacation-pay part, 12/112), rounded half up to the öre. */
export function multiplyByFraction(amount: Ore, numerator: number, denominator: number): Ore {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator))
    throw new MoneyError(`${numerator}/${denominator} is not a fraction of whole numbers`);
  return multiplyExact(amount, BigInt(numerator), BigInt(denominator));
}

/**
 * Whole kronor with the öre dropped (toward zero): Skatteverket's rule for
 * tax and employer contributions. 8 989,58 kr → 8 989,00 kr.
 */
export function dropOre(amount: Ore): Ore {
  return checked(amount - (amount % 100), `${amount}`);
}

/**
 * Splits `amount` in proportion to `weights` (whole numbers ≥ 0, at least one
 * above 0) so that the parts add up to `amount` exactly: each part is rounded
 * toward zero and the öre left over go, one each, to the parts with the
 * largest remainders (the earlier part on a tie).
 */
export function allocateMoney(amount: Ore, weights: readonly number[]): Ore[] {
  if (weights.some((weight) => !Number.isSafeInteger(weight) || weight < 0))
    throw new MoneyError('Weights are whole numbers ≥ 0');
  const total = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
  if (total === 0n) throw new MoneyError('At least one weight is above 0');
  const sign = amount < 0 ? -1n : 1n;
  const whole = BigInt(amount) * sign;
  const parts = weights.map((weight) => (whole * BigInt(weight)) / total);
  const remainders = weights.map((weight, index) => ({ index, remainder: (whole * BigInt(weight)) % total }));
  let left = whole - parts.reduce((sum, part) => sum + part, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    parts[index]! += 1n;
    left -= 1n;
  }
  return parts.map((part) => fromBig(part * sign, 'a part'));
}

// ---------------------------------------------------------------------------
// Text: Swedish input in, Swedish or English out

export type MoneyProblem = 'empty' | 'format' | 'tooManyDecimals' | 'tooLarge' | 'negative';
export type MoneyResult = { ok: true; value: Ore } | { ok: false; problem: MoneyProblem };

// Thousands separators people paste: space, no-break space (Intl's sv-SE) and
// narrow no-break space (what some programs and newer ICU versions print).
const GROUP = '[ \\u00A0\\u202F]';
const AMOUNT = new RegExp(`^(\\d{1,3}(?:${GROUP}\\d{3})+|\\d+)(?:[.,](\\d*))?$`);
const SIGN = /^[-\u2212+]/; // hyphen-minus, the minus sign Intl prints, plus
const CURRENCY_BEFORE = /^SEK\s*/i;
const CURRENCY_AFTER = /\s*(?:kr\.?|SEK|:-)$/i;

/**
 * Reads an amount as people type it: "1 234,50", "1234,5", "1234", "1 234 kr",
 * "-12,00", "1 234,50 kr" with no-break or narrow no-break spaces, and the
 * API's dot form "1234.50". Thousands are grouped by threes or not at all; at
 * most two decimals. Refusals: `empty`; `format` (letters, a stray sign or
 * separator); `tooManyDecimals`; `tooLarge` (beyond MAX_ORE); `negative` when
 * `allowNegative` is false. Only string operations and BigInt: no float.
 */
export function parseMoney(input: string, options: { allowNegative?: boolean } = {}): MoneyResult {
  let text = input.trim();
  if (text === '') return { ok: false, problem: 'empty' };
  let negative = false;
  const sign = SIGN.exec(text);
  if (sign) {
    negative = sign[0] !== '+';
    text = text.slice(1).trimStart();
  }
  text = text.replace(CURRENCY_BEFORE, '').replace(CURRENCY_AFTER, '');
  const match = AMOUNT.exec(text);
  if (!match) return { ok: false, problem: 'format' };
  const decimals = match[2];
  if (decimals === '') return { ok: false, problem: 'format' }; // "12," — a decimal separator with nothing after it
  if (decimals !== undefined && decimals.length > 2) return { ok: false, problem: 'tooManyDecimals' };
  const digits = `${match[1]!.replace(/\D/g, '')}${(decimals ?? '').padEnd(2, '0')}`;
  const value = BigInt(digits);
  if (value > MAX_ORE_BIG) return { ok: false, problem: 'tooLarge' };
  if (negative && value !== 0n && options.allowNegative === false) return { ok: false, problem: 'negative' };
  return { ok: true, value: fromBig(negative ? -value : value, digits) };
}

/** "123450" öre → "1234.50" (the API's and the CSV's plain form; `,` for Swedish spreadsheets). */
export function moneyToDecimalString(amount: Ore, decimalSeparator: '.' | ',' = '.'): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}${decimalSeparator}${digits.slice(-2)}`;
}

const FORMATS = {
  sv: new Intl.NumberFormat('sv-SE', { style: 'currency', currency: 'SEK' }),
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'SEK' }),
};

/**
 * The amount for a page: "1 234,50 kr" in Swedish (no-break spaces and the
 * minus sign "−", exactly as Intl's sv-SE writes it), "SEK 1,234.50" in English
 * (`lang` 'en', a no-break space after SEK; anything else is Swedish). Intl is given the exact decimal
 * text, not a float.
 */
export function formatMoney(amount: Ore, lang = 'sv'): string {
  return (lang === 'en' ? FORMATS.en : FORMATS.sv).format(moneyToDecimalString(amount) as `${number}`);
}
