/**
 * Price grid of US equities (SEC Rule 612, Regulation NMS): orders at or above $1.00 are priced
 * in $0.01 increments, orders below $1.00 in $0.0001 increments.
 */

/** Minimum price increment, USD, for an order priced at `price` USD. */
export function tickSize(price: number): number {
  return price >= 1 ? 0.01 : 0.0001;
}

/** `true` when `price` (USD) lies on the tick grid, allowing for binary floating-point error. */
export function isOnTickGrid(price: number): boolean {
  const tick = tickSize(price);
  const steps = price / tick;
  return Math.abs(steps - Math.round(steps)) < 1e-6;
}

/** `price` (USD) rounded to the nearest tick. */
export function roundToTick(price: number): number {
  const tick = tickSize(price);
  // Whole ticks divided by ticks per dollar: the correctly rounded value of that decimal, as
  // Number(toFixed()) gives, without a string (+ 0 turns −0 into 0).
  return Math.round(price / tick) / (tick === 0.01 ? 100 : 10_000) + 0;
}
