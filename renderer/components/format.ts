/** Display formatting: USD prices, shares, P&L and exchange-time clocks (America/New_York). */

const timeFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const minuteFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hour12: false });
const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

const sharesFormat = new Intl.NumberFormat('en-US');
const moneyFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A price in USD: 2 decimals, 4 below $1. Empty for null. */
export function formatPrice(price: number | null | undefined): string {
  if (price === null || price === undefined || !Number.isFinite(price)) return '';
  return price.toFixed(Math.abs(price) < 1 && price !== 0 ? 4 : 2);
}

/** Shares with thousands separators. */
export function formatShares(quantity: number | null | undefined): string {
  return quantity === null || quantity === undefined ? '' : sharesFormat.format(quantity);
}

/** Money in USD with sign and cents, e.g. `+1,234.50`. */
export function formatMoney(amount: number | null | undefined, signed = false): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '';
  const text = moneyFormat.format(Math.abs(amount));
  if (amount < 0) return `-${text}`;
  return signed && amount > 0 ? `+${text}` : text;
}

/** A percentage with sign, e.g. `+1.25%`. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  return `${value > 0 ? '+' : ''}${value.toFixed(2)}%`;
}

/** CSS class for a signed amount: up, down or flat. */
export function signClass(value: number | null | undefined): string {
  if (!value) return 'flat';
  return value > 0 ? 'up' : 'down';
}

/** Exchange time `HH:MM:SS` of ms since epoch. */
export function formatExchangeTime(time: number | null | undefined): string {
  return time ? timeFormat.format(time) : '';
}

/** Exchange time `HH:MM` of ms since epoch. */
export function formatExchangeMinute(time: number): string {
  return minuteFormat.format(time);
}

/** Exchange date `YYYY-MM-DD` of ms since epoch. */
export function formatExchangeDate(time: number): string {
  return dateFormat.format(time);
}
