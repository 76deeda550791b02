/**
 * What the order ticket shows before it sends: the quantity for a dollar risk (R-sizing), and one
 * preview line saying exactly what goes to the broker, what it is worth and what it risks, with
 * the reasons it needs a confirmation (above the notional threshold, or priced outside the band
 * around the NBBO — the same rules as hotkeys, {@link HotkeyThresholds}).
 */
import type { OrderRequest, OrderSide } from './domain';
import type { HotkeyThresholds } from './hotkeys';

/** Why an R-sized quantity is what it is. */
export type SizeLimit = 'risk' | 'max_quantity' | 'max_notional';

export interface RSize {
  /** Whole shares: floor(riskUsd ÷ riskPerShare), then capped. 0 when even one share risks more. */
  readonly quantity: number;
  /** |entry − stop|, USD per share. */
  readonly riskPerShare: number;
  /** quantity × riskPerShare, USD (what the stop would lose, before slippage). */
  readonly riskUsd: number;
  readonly limitedBy: SizeLimit;
}

/** Thrown for sizing inputs that cannot make a trade; `field` names the input, `message` is for the trader. */
export class SizingError extends Error {
  readonly field: 'entry' | 'stop' | 'riskUsd';
  constructor(message: string, field: 'entry' | 'stop' | 'riskUsd') {
    super(message);
    this.name = 'SizingError';
    this.field = field;
  }
}

/**
 * Position size from risk: the shares whose loss from `entry` to `stop` is at most `riskUsd`
 * (the "1R" of Van Tharp's position-sizing model), capped by the order quantity and notional
 * limits of the risk settings when given.
 * @param riskUsd dollars to risk, USD, > 0.
 * @param entry entry price, USD, > 0.
 * @param stop stop price, USD, > 0 and ≠ entry (below for a long, above for a short).
 * @throws {SizingError} for a non-positive risk or price, or a stop equal to the entry.
 */
export function rSizedQuantity(riskUsd: number, entry: number, stop: number, caps: { readonly maxQuantity?: number; readonly maxNotional?: number } = {}): RSize {
  if (!(Number.isFinite(riskUsd) && riskUsd > 0)) throw new SizingError('Risk must be a positive amount in USD', 'riskUsd');
  if (!(Number.isFinite(entry) && entry > 0)) throw new SizingError('Entry must be a positive price', 'entry');
  if (!(Number.isFinite(stop) && stop > 0)) throw new SizingError('Stop must be a positive price', 'stop');
  // Prices are on the cent (or $0.0001) grid: compare in ten-thousandths so 10.10 − 10.00 is 0.10.
  const riskPerShare = Math.round(Math.abs(entry - stop) * 10_000) / 10_000;
  if (riskPerShare === 0) throw new SizingError('Stop must differ from the entry', 'stop');
  let quantity = Math.floor(riskUsd / riskPerShare + 1e-9);
  let limitedBy: SizeLimit = 'risk';
  if (caps.maxQuantity !== undefined && quantity > caps.maxQuantity) {
    quantity = caps.maxQuantity;
    limitedBy = 'max_quantity';
  }
  if (caps.maxNotional !== undefined && quantity * entry > caps.maxNotional) {
    quantity = Math.floor(caps.maxNotional / entry);
    limitedBy = 'max_notional';
  }
  return { quantity, riskPerShare, riskUsd: Math.round(quantity * riskPerShare * 100) / 100, limitedBy };
}

/** The NBBO and last trade the preview values an order with, USD; null when unknown. */
export interface PreviewQuote {
  readonly bid: number | null;
  readonly ask: number | null;
  readonly last: number | null;
}

export interface OrderPreview {
  /** One line, e.g. "Buy 300 IBM limit 123.45, day · bracket: take profit 126.00, stop loss 122.45 · $37,035.00 · risks $300.00". */
  readonly text: string;
  /** Estimated value, USD (limit, stop, or the side of the NBBO a market order takes, else last); null when unknown. */
  readonly notional: number | null;
  /** Loss at the stop-loss, USD; null without a stop-loss. */
  readonly riskUsd: number | null;
  /** Reasons to confirm before sending; empty when one click sends. */
  readonly confirmations: readonly string[];
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const shares = new Intl.NumberFormat('en-US');
const price = (p: number): string => (p >= 1 ? p.toFixed(2) : p.toFixed(4));

const TIF_NAMES: Readonly<Record<OrderRequest['timeInForce'], string>> = {
  day: 'day',
  gtc: 'good till canceled',
  ioc: 'immediate or cancel',
  fok: 'fill or kill',
  opg: 'at the open',
  cls: 'at the close',
};

function sideWord(side: OrderSide): string {
  return side === 'buy' ? 'Buy' : 'Sell';
}

/**
 * The preview line of `order` and its confirmation reasons. The order is not validated here (the
 * engine does that and names the bad field); missing prices simply leave figures out.
 */
export function previewOrder(order: OrderRequest, quote: PreviewQuote | null, thresholds: HotkeyThresholds): OrderPreview {
  const parts: string[] = [];
  let head = `${sideWord(order.side)} ${shares.format(order.quantity)} ${order.symbol}`;
  switch (order.type) {
    case 'market':
      head += ' market';
      break;
    case 'limit':
      head += ` limit ${order.limitPrice !== undefined ? price(order.limitPrice) : '?'}`;
      break;
    case 'stop':
      head += ` stop ${order.stopPrice !== undefined ? price(order.stopPrice) : '?'}`;
      break;
    case 'stop_limit':
      head += ` stop ${order.stopPrice !== undefined ? price(order.stopPrice) : '?'} limit ${order.limitPrice !== undefined ? price(order.limitPrice) : '?'}`;
      break;
    case 'trailing_stop':
      head += ` trailing stop ${order.trailPrice !== undefined ? `$${price(order.trailPrice)}` : order.trailPercent !== undefined ? `${order.trailPercent}%` : '?'}`;
      break;
  }
  head += `, ${TIF_NAMES[order.timeInForce]}${order.extendedHours ? ', extended hours' : ''}`;
  parts.push(head);
  const exits = [order.takeProfit ? `take profit ${price(order.takeProfit.limitPrice)}` : null, order.stopLoss ? `stop loss ${price(order.stopLoss.stopPrice)}` : null].filter((x): x is string => x !== null);
  if (exits.length > 0) parts.push(`${order.orderClass ?? 'simple'}: ${exits.join(', ')}`);

  const bid = quote?.bid ?? null;
  const ask = quote?.ask ?? null;
  // A priced order is valued at its own price (none yet: no value); a market or trailing order at the NBBO side it takes, else last.
  const priced = order.type === 'limit' || order.type === 'stop' || order.type === 'stop_limit';
  const reference = priced ? (order.limitPrice ?? order.stopPrice ?? null) : ((order.side === 'buy' ? ask : bid) ?? quote?.last ?? null);
  const notional = reference !== null && order.quantity > 0 ? reference * order.quantity : null;
  if (notional !== null) parts.push(usd.format(notional));
  const riskUsd = order.stopLoss && reference !== null ? Math.abs(reference - order.stopLoss.stopPrice) * order.quantity : null;
  if (riskUsd !== null) parts.push(`risks ${usd.format(riskUsd)}`);

  const confirmations: string[] = [];
  if (notional !== null && notional > thresholds.confirmAboveNotional) {
    confirmations.push(`Order value ${usd.format(notional)} is above the ${usd.format(thresholds.confirmAboveNotional)} confirmation threshold`);
  }
  if (order.limitPrice !== undefined) {
    const nbbo = order.side === 'buy' ? (ask ?? bid) : (bid ?? ask);
    if (nbbo !== null && nbbo > 0) {
      const through = order.side === 'buy' ? (order.limitPrice / nbbo - 1) * 100 : (1 - order.limitPrice / nbbo) * 100;
      if (through - thresholds.priceBandPercent > 1e-9) {
        confirmations.push(`Limit ${price(order.limitPrice)} is ${through.toFixed(1)}% ${order.side === 'buy' ? 'above the ask' : 'below the bid'} ${price(nbbo)} (band ${thresholds.priceBandPercent}%)`);
      }
    }
  }
  return { text: parts.join(' · '), notional, riskUsd, confirmations };
}
