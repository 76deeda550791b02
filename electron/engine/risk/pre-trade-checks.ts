/**
 * Pre-trade checks run before an order reaches a broker. Each failure names the field and says
 * what is wrong in words a trader reads, with the numbers.
 */
import type { OrderRequest, Quote, Settings, Symbol } from '../../../shared/domain';
import { isOnTickGrid, tickSize } from '../../../shared/price';

/** A failed check: `field` names the ticket input at fault. */
export interface RiskRejection {
  readonly field: string;
  readonly message: string;
}

/** What the checks need to know about the market and the trader's limits. */
export interface PreTradeContext {
  readonly knownSymbols: ReadonlySet<Symbol>;
  readonly quote: Quote | null;
  readonly lastPrice: number | null;
  readonly limits: Settings['risk'];
}

const usd = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;

/**
 * Price (USD) used to value an order: the limit price, else the side of the NBBO a market order
 * would take (ask for a buy, bid for a sell), else the last trade; null when none is known.
 */
export function referencePrice(order: OrderRequest, quote: Quote | null, lastPrice: number | null): number | null {
  if (order.type === 'limit' && order.limitPrice !== undefined) return order.limitPrice;
  if (quote) return order.side === 'buy' ? quote.ask : quote.bid;
  return lastPrice;
}

/** Runs every check; returns the first failure, or null when the order may be sent. */
export function checkOrder(order: OrderRequest, ctx: PreTradeContext): RiskRejection | null {
  if (!Number.isInteger(order.quantity) || order.quantity <= 0) {
    return { field: 'quantity', message: `Quantity must be a whole number of shares above 0 (got ${order.quantity})` };
  }
  if (!ctx.knownSymbols.has(order.symbol)) {
    return { field: 'symbol', message: `Unknown symbol ${order.symbol}: it is not offered by the current market-data feed` };
  }
  if (order.type === 'limit') {
    const limit = order.limitPrice;
    if (limit === undefined || !(limit > 0)) {
      return { field: 'limitPrice', message: 'Limit price must be a positive price in USD' };
    }
    if (!isOnTickGrid(limit)) {
      return { field: 'limitPrice', message: `Limit price ${limit} is not on the ${usd(tickSize(limit))} tick grid` };
    }
  }
  const price = referencePrice(order, ctx.quote, ctx.lastPrice);
  if (price === null) {
    return { field: 'type', message: `No quote for ${order.symbol} yet: a market order cannot be valued; use a limit order` };
  }
  const notional = price * order.quantity;
  if (notional > ctx.limits.maxOrderNotional) {
    return {
      field: 'quantity',
      message: `Order notional ${usd(notional)} (${order.quantity} × ${usd(price)}) exceeds the maximum of ${usd(ctx.limits.maxOrderNotional)} per order`,
    };
  }
  return null;
}
