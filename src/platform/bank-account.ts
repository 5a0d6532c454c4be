import { hasValidLuhnCheckDigit } from './luhn.js';

// Swedish bank accounts (clearing number + account number) by the banks' rules as Bankgirot publishes them
// ("Bankernas kontonummeruppbyggnad", the table as of its 2024-02 update; cross-checked against the MIT-licensed
// `kontonummer` package's copy of it). Two kinds:
//
// - Type 1: four clearing digits and seven account digits, the last a modulus-11 check digit (weights 1, 10,
//   9 … 2, 1 from the left) over the clearing number's last three digits and the account (comment 1), or over
//   all four and the account (comment 2).
// - Type 2: the account alone carries the check digit: ten digits with a modulus-10 (Luhn) check digit
//   (comments 1 and 3: Swedbank and the savings banks, Nordea's personal accounts, Plusgirot, …), or nine with
//   a modulus-11 one (comment 2: Handelsbanken). Swedbank's 8xxx-x clearing numbers have a fifth digit, a Luhn
//   check digit of the four before it.
//
// Accounts shorter than their full length are padded with leading zeros, as the banks write them in payment
// files: "01 234 56" and "123456" at SEB are the same account.

export interface BankAccount {
  /** Four digits, or five for Swedbank's 8xxx-x. */
  clearingNumber: string;
  /** The account's full length for its kind, leading zeros included. */
  accountNumber: string;
  bank: string;
}

export type BankAccountProblem =
  | 'clearingFormat' // not 4 digits (or 5 starting with 8)
  | 'clearingUnknown' // no bank has that clearing number
  | 'clearingCheckDigit' // 8xxx-x with a wrong fifth digit
  | 'accountFormat' // not digits, or too long or too short for the bank
  | 'accountCheckDigit';

export type BankAccountResult =
  { ok: true; value: BankAccount } | { ok: false; problem: BankAccountProblem; field: 'clearingNumber' | 'accountNumber' };

type Rule =
  | { type: 1; comment: 1 | 2 }
  // `minLength`: the shortest account the bank gives out (the rest are exactly `length` digits).
  | { type: 2; check: 'mod10' | 'mod11'; length: 9 | 10; minLength: number };

interface Bank {
  name: string;
  ranges: ReadonlyArray<readonly [number, number]>;
  rule: Rule;
}

const TYPE_1_COMMENT_1: Rule = { type: 1, comment: 1 };
const TYPE_1_COMMENT_2: Rule = { type: 1, comment: 2 };
const TEN_DIGITS_MOD10: Rule = { type: 2, check: 'mod10', length: 10, minLength: 10 };

const BANKS: readonly Bank[] = [
  { name: 'Aion Bank', ranges: [[9580, 9589]], rule: TYPE_1_COMMENT_1 },
  { name: 'Avanza Bank', ranges: [[9550, 9569]], rule: TYPE_1_COMMENT_2 },
  { name: 'BlueStep Finans', ranges: [[9680, 9689]], rule: TYPE_1_COMMENT_1 },
  { name: 'BNP Paribas', ranges: [[9470, 9479]], rule: TYPE_1_COMMENT_2 },
  { name: 'Citibank', ranges: [[9040, 9049]], rule: TYPE_1_COMMENT_2 },
  {
    name: 'Danske Bank',
    ranges: [
      [1200, 1399],
      [2400, 2499],
    ],
    rule: TYPE_1_COMMENT_1,
  },
  {
    name: 'DNB Bank',
    ranges: [
      [9190, 9199],
      [9260, 9269],
    ],
    rule: TYPE_1_COMMENT_2,
  },
  { name: 'Ekobanken', ranges: [[9700, 9709]], rule: TYPE_1_COMMENT_2 },
  { name: 'Erik Penser', ranges: [[9590, 9599]], rule: TYPE_1_COMMENT_2 },
  { name: 'ICA Banken', ranges: [[9270, 9279]], rule: TYPE_1_COMMENT_1 },
  { name: 'IKANO Bank', ranges: [[9170, 9179]], rule: TYPE_1_COMMENT_1 },
  { name: 'JAK Medlemsbank', ranges: [[9670, 9679]], rule: TYPE_1_COMMENT_2 },
  { name: 'Klarna Bank', ranges: [[9780, 9789]], rule: TYPE_1_COMMENT_2 },
  { name: 'Landshypotek', ranges: [[9390, 9399]], rule: TYPE_1_COMMENT_2 },
  { name: 'Lunar Bank', ranges: [[9710, 9719]], rule: TYPE_1_COMMENT_2 },
  { name: 'Lån & Spar Bank Sverige', ranges: [[9630, 9639]], rule: TYPE_1_COMMENT_1 },
  {
    name: 'Länsförsäkringar Bank',
    ranges: [
      [3400, 3409],
      [9060, 9069],
    ],
    rule: TYPE_1_COMMENT_1,
  },
  { name: 'Länsförsäkringar Bank', ranges: [[9020, 9029]], rule: TYPE_1_COMMENT_2 },
  { name: 'Marginalen Bank', ranges: [[9230, 9239]], rule: TYPE_1_COMMENT_1 },
  { name: 'Multitude Bank', ranges: [[9070, 9079]], rule: TYPE_1_COMMENT_1 },
  { name: 'NOBA Bank', ranges: [[9640, 9649]], rule: TYPE_1_COMMENT_2 },
  {
    name: 'Nordea',
    ranges: [
      [1100, 1199],
      [1400, 2099],
      [3000, 3299],
      [3301, 3399],
      [3410, 3781],
      [3783, 3999],
    ],
    rule: TYPE_1_COMMENT_1,
  },
  { name: 'Nordea', ranges: [[4000, 4999]], rule: TYPE_1_COMMENT_2 },
  { name: 'Nordnet Bank', ranges: [[9100, 9109]], rule: TYPE_1_COMMENT_2 },
  { name: 'Northmill Bank', ranges: [[9750, 9759]], rule: TYPE_1_COMMENT_2 },
  { name: 'Resurs Bank', ranges: [[9280, 9289]], rule: TYPE_1_COMMENT_1 },
  { name: 'Riksgälden', ranges: [[9880, 9889]], rule: TYPE_1_COMMENT_2 },
  { name: 'Santander Consumer Bank', ranges: [[9460, 9469]], rule: TYPE_1_COMMENT_1 },
  { name: 'SBAB', ranges: [[9250, 9259]], rule: TYPE_1_COMMENT_1 },
  {
    name: 'SEB',
    ranges: [
      [5000, 5999],
      [9120, 9124],
      [9130, 9149],
    ],
    rule: TYPE_1_COMMENT_1,
  },
  { name: 'Skandiabanken', ranges: [[9150, 9169]], rule: TYPE_1_COMMENT_2 },
  { name: 'Svea Bank', ranges: [[9660, 9669]], rule: TYPE_1_COMMENT_2 },
  { name: 'Swedbank', ranges: [[7000, 7999]], rule: TYPE_1_COMMENT_1 },
  { name: 'Ålandsbanken', ranges: [[2300, 2399]], rule: TYPE_1_COMMENT_2 },
  // Type 2
  { name: 'Danske Bank', ranges: [[9180, 9189]], rule: TEN_DIGITS_MOD10 },
  { name: 'Handelsbanken', ranges: [[6000, 6999]], rule: { type: 2, check: 'mod11', length: 9, minLength: 8 } },
  // Personal accounts: the account number is the holder's personnummer (ten digits).
  {
    name: 'Nordea',
    ranges: [
      [3300, 3300],
      [3782, 3782],
    ],
    rule: TEN_DIGITS_MOD10,
  },
  {
    name: 'Nordea Plusgirot',
    ranges: [
      [9500, 9549],
      [9960, 9969],
    ],
    rule: { type: 2, check: 'mod10', length: 10, minLength: 2 },
  },
  { name: 'Riksgälden', ranges: [[9890, 9899]], rule: TEN_DIGITS_MOD10 },
  { name: 'Sparbanken Syd', ranges: [[9570, 9579]], rule: TEN_DIGITS_MOD10 },
  // Swedbank and the savings banks with 8xxx-x: accounts of up to ten digits.
  { name: 'Swedbank', ranges: [[8000, 8999]], rule: { type: 2, check: 'mod10', length: 10, minLength: 6 } },
  { name: 'Swedbank', ranges: [[9300, 9349]], rule: TEN_DIGITS_MOD10 },
];

/** Spaces, hyphens, dots and commas as people write the numbers ("8327-9", "123 456 789-0", "01.234.56"). */
const compact = (value: string) => value.replace(/[\s.,-]/g, '');

/** The bank of a clearing number (its first four digits), or undefined. */
export function bankFor(clearingNumber: string): Bank | undefined {
  const code = Number(compact(clearingNumber).slice(0, 4));
  return BANKS.find((bank) => bank.ranges.some(([min, max]) => code >= min && code <= max));
}

/** Checks a clearing and account number as typed; on success both as stored (digits only, account padded). */
export function parseBankAccount(clearingInput: string, accountInput: string): BankAccountResult {
  const clearing = compact(clearingInput);
  const refuse = (problem: BankAccountProblem, field: 'clearingNumber' | 'accountNumber'): BankAccountResult => ({
    ok: false,
    problem,
    field,
  });
  if (!/^(\d{4}|8\d{4})$/.test(clearing)) return refuse('clearingFormat', 'clearingNumber');
  const bank = bankFor(clearing);
  if (!bank) return refuse('clearingUnknown', 'clearingNumber');
  if (clearing.length === 5 && !hasValidLuhnCheckDigit(clearing)) return refuse('clearingCheckDigit', 'clearingNumber');

  const account = compact(accountInput);
  const { rule } = bank;
  const [minLength, length] = rule.type === 1 ? [1, 7] : [rule.minLength, rule.length];
  if (!/^\d+$/.test(account) || account.length < minLength || account.length > length)
    return refuse('accountFormat', 'accountNumber');
  const padded = account.padStart(length, '0');
  const valid =
    rule.type === 1
      ? hasModulus11CheckDigit((rule.comment === 1 ? clearing.slice(1, 4) : clearing.slice(0, 4)) + padded)
      : rule.check === 'mod11'
        ? hasModulus11CheckDigit(padded)
        : hasValidLuhnCheckDigit(padded) && /[1-9]/.test(padded);
  if (!valid) return refuse('accountCheckDigit', 'accountNumber');
  return { ok: true, value: { clearingNumber: clearing, accountNumber: padded, bank: bank.name } };
}

/** "8327-9" / "1234567" as the bank writes them, for pages. */
export function formatBankAccount(clearingNumber: string, accountNumber: string): string {
  const clearing = clearingNumber.length === 5 ? `${clearingNumber.slice(0, 4)}-${clearingNumber.slice(4)}` : clearingNumber;
  return `${clearing}, ${accountNumber}`;
}

/** Weights 1, 2, 3 … from the rightmost digit (the check digit), i.e. Bankgirot's 1, 10, 9 … 2, 1 for eleven digits. */
function hasModulus11CheckDigit(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const weight = ((digits.length - 1 - i) % 10) + 1;
    sum += (digits.charCodeAt(i) - 48) * weight;
  }
  return sum > 0 && sum % 11 === 0;
}
