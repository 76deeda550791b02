/**
 * Pre-trade checks run before an order reaches a broker. Each failure names the field and says
 * what is wrong in words a trader reads, with the numbers. The checks, in order:
 * risk state (HALTED refuses everything, REDUCING anything that adds exposure), quantity, symbol,
 * limit price on the tick grid, price band through the NBBO (fat finger), order quantity and
 * notional, position notional after the order, open positions, short-sale permission, orders per
 * minute, trades per day, buying power.
 */
import type { OrderRequest, Quote, RiskLimits, RiskStateKind, Symbol } from '../../../shared/domain';
import { isOnTickGrid, tickSize } from '../../../shared/price';

/** A failed check: `field` names the ticket input at fault. */
export interface RiskRejection {
  readonly field: string;
  readonly message: string;
}

/** What the checks need to know about the market, the account and the trader's limits. */
export interface PreTradeContext {
  readonly knownSymbols: ReadonlySet<Symbol>;
  readonly quote: Quote | null;
  readonly lastPrice: number | null;
  readonly limits: RiskLimits;
  /** USD available to open positions. */
  readonly buyingPower: number;
  /** Signed shares held in the order's symbol. */
  readonly positionQuantity: number;
  /** Shares still to fill of the working buy and sell orders in the order's symbol. */
  readonly workingBuyQuantity: number;
  readonly workingSellQuantity: number;
  /** Symbols with an open position. */
  readonly openPositions: number;
  readonly riskState: RiskStateKind;
  readonly riskReason: string | null;
  /** Orders sent in the last 60 seconds. */
  readonly ordersLastMinute: number;
  /** Fills today. */
  readonly tradesToday: number;
}

const usd = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;

/**
 * Price (USD) an order is valued at: the price it would fill at now. A market order takes the far
 * side of the NBBO (ask for a buy, bid for a sell); a marketable limit fills there too, so a buy
 * is valued at min(limit, ask) and a sell at max(limit, bid) — a sell limited far below the bid
 * is still worth the bid. Without a quote: the limit, else the last trade; null when none is known.
 */
export function referencePrice(order: OrderRequest, quote: Quote | null, lastPrice: number | null): number | null {
  if (order.type === 'stop') return order.stopPrice ?? null;
  if (order.type === 'trailing_stop') return quote ? (order.side === 'buy' ? quote.ask : quote.bid) : lastPrice;
  if (order.type === 'stop_limit') return order.limitPrice ?? null;
  const limit = order.type === 'limit' ? order.limitPrice : undefined;
  if (quote) {
    const far = order.side === 'buy' ? quote.ask : quote.bid;
    if (limit === undefined) return far;
    return order.side === 'buy' ? Math.min(limit, far) : Math.max(limit, far);
  }
  return limit ?? lastPrice;
}

/**
 * Shares of `order` that open or grow a position: what is not covered by the position left to
 * close after the working orders on the same side (two sells of a 100-share long open 100).
 */
export function openingQuantity(order: Pick<OrderRequest, 'side' | 'quantity'>, held: number, workingSameSide = 0): number {
  const closable = order.side === 'buy' ? Math.max(0, -held - workingSameSide) : Math.max(0, held - workingSameSide);
  return Math.max(0, order.quantity - closable);
}

/** Runs every check; returns the first failure, or null when the order may be sent. */
export function checkOrder(order: OrderRequest, ctx: PreTradeContext): RiskRejection | null {
  const limits = ctx.limits;
  const held = ctx.positionQuantity;
  if (ctx.riskState === 'halted') {
    return { field: 'riskState', message: `Trading is halted${ctx.riskReason ? `: ${ctx.riskReason}` : ''}` };
  }
  if (!Number.isInteger(order.quantity) || order.quantity <= 0) {
    return { field: 'quantity', message: `Quantity must be a whole number of shares above 0 (got ${order.quantity})` };
  }
  const opening = openingQuantity(order, held, order.side === 'buy' ? ctx.workingBuyQuantity : ctx.workingSellQuantity);
  if (ctx.riskState === 'reducing' && opening > 0) {
    return {
      field: 'riskState',
      message: `Only orders that reduce exposure are allowed${ctx.riskReason ? ` (${ctx.riskReason})` : ''}: this order would open ${opening} shares`,
    };
  }
  if (order.quantity > limits.maxOrderQuantity) {
    return { field: 'quantity', message: `Quantity ${order.quantity} exceeds the maximum of ${limits.maxOrderQuantity} shares per order` };
  }
  if (!ctx.knownSymbols.has(order.symbol)) {
    return { field: 'symbol', message: `Unknown symbol ${order.symbol}: it is not offered by the current market-data feed` };
  }
  if (order.type === 'stop' || order.type === 'stop_limit') {
    const stop = order.stopPrice;
    if (stop === undefined || !(stop > 0)) return { field: 'stopPrice', message: 'Stop price must be a positive price in USD' };
    if (!isOnTickGrid(stop)) return { field: 'stopPrice', message: `Stop price ${stop} is not on the ${usd(tickSize(stop))} tick grid` };
  }
  if (order.type === 'limit' || order.type === 'stop_limit') {
    const limit = order.limitPrice;
    if (limit === undefined || !(limit > 0)) return { field: 'limitPrice', message: 'Limit price must be a positive price in USD' };
    if (!isOnTickGrid(limit)) return { field: 'limitPrice', message: `Limit price ${limit} is not on the ${usd(tickSize(limit))} tick grid` };
    if (ctx.quote && order.type === 'limit') {
      const band = limits.priceBandPercent / 100;
      if (order.side === 'buy' && limit > ctx.quote.ask * (1 + band)) {
        return { field: 'limitPrice', message: `Buy limit ${usd(limit)} is more than ${limits.priceBandPercent}% above the ask ${usd(ctx.quote.ask)}: check the price` };
      }
      if (order.side === 'sell' && limit < ctx.quote.bid * (1 - band)) {
        return { field: 'limitPrice', message: `Sell limit ${usd(limit)} is more than ${limits.priceBandPercent}% below the bid ${usd(ctx.quote.bid)}: check the price` };
      }
    }
  }
  const price = referencePrice(order, ctx.quote, ctx.lastPrice);
  if (price === null) {
    return { field: 'type', message: `No quote for ${order.symbol} yet: a market order cannot be valued; use a limit order` };
  }
  const notional = price * order.quantity;
  if (notional > limits.maxOrderNotional) {
    return {
      field: 'quantity',
      message: `Order notional ${usd(notional)} (${order.quantity} × ${usd(price)}) exceeds the maximum of ${usd(limits.maxOrderNotional)} per order`,
    };
  }
  if (opening > 0) {
    const after = held + (order.side === 'buy' ? order.quantity : -order.quantity);
    const positionNotional = Math.abs(after) * price;
    if (positionNotional > limits.maxPositionNotional) {
      return {
        field: 'quantity',
        message: `The ${order.symbol} position would be ${usd(positionNotional)} (${after} shares), above the maximum of ${usd(limits.maxPositionNotional)} per symbol`,
      };
    }
    if (held === 0 && ctx.openPositions >= limits.maxOpenPositions) {
      return { field: 'symbol', message: `Already ${ctx.openPositions} open positions, the maximum: close one before opening ${order.symbol}` };
    }
    if (order.side === 'sell' && !limits.allowShortSelling) {
      return { field: 'side', message: `Short selling is off: this sell would go ${opening} shares short of ${order.symbol}` };
    }
  }
  if (ctx.ordersLastMinute >= limits.maxOrdersPerMinute) {
    return { field: 'riskState', message: `${ctx.ordersLastMinute} orders in the last minute, the maximum: wait a moment` };
  }
  if (ctx.tradesToday >= limits.maxDailyTrades && opening > 0) {
    return { field: 'riskState', message: `${ctx.tradesToday} trades today, the daily maximum: only orders that close positions` };
  }
  const openingNotional = opening * price;
  if (openingNotional > ctx.buyingPower + 1e-9) {
    return {
      field: 'quantity',
      message: `Not enough buying power: opening ${opening} shares costs ${usd(openingNotional)}, buying power is ${usd(ctx.buyingPower)}`,
    };
  }
  return null;
}
