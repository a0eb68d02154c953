/**
 * An amount of US dollars as an exact decimal string with two fraction digits ('1250000.00'). Money never
 * travels as a JSON number: a double cannot hold most cent values exactly, and 1e308 is a valid double.
 */
export type UsdAmount = string;

/** The largest amount one fact may carry: more than any payment a licence could give rise to, and 10^14 cents stay exact in a double. */
export const MAX_USD_AMOUNT: UsdAmount = '1000000000000.00';
const MAX_CENTS = 100_000_000_000_000n;

/** Digits, optionally a point and one or two digits; no sign, exponent, spaces or leading zeros. */
export const USD_AMOUNT_PATTERN = /^(0|[1-9]\d{0,12})(\.\d{1,2})?$/;

/** The amount in cents, or null when `text` is not a decimal of at most two fraction digits within [0, MAX_USD_AMOUNT]. */
export const usdCents = (text: unknown): bigint | null => {
  if (typeof text !== 'string') return null;
  const match = USD_AMOUNT_PATTERN.exec(text);
  if (!match) return null;
  const cents = BigInt(match[1]) * 100n + BigInt((match[2] ?? '.').slice(1).padEnd(2, '0'));
  return cents <= MAX_CENTS ? cents : null;
};

/** The canonical form of an amount in cents: '1250000.50'. */
export const formatUsdCents = (cents: bigint): UsdAmount => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;

/**
 * The exact decimal of an amount recorded as a JSON number (RevenueShareRemitted v1). Those were refused past
 * two fraction digits, so two digits are exact; an integer too large for `toFixed` is written out in full.
 */
export const usdAmountFromNumber = (amount: number): UsdAmount =>
  Number.isInteger(amount) ? `${BigInt(amount)}.00` : amount.toFixed(2);
