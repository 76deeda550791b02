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
  /** USD available to open positions. */
  readonly buyingPower: number;
  /** Signed shares held in the order's symbol. */
  readonly positionQuantity: number;
}

const usd = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;

/**
 * Price (USD) an order is valued at: the price it would fill at now. A market order takes the far
 * side of the NBBO (ask for a buy, bid for a sell); a marketable limit fills there too, so a buy
 * is valued at min(limit, ask) and a sell at max(limit, bid) — a sell limited far below the bid
 * is still worth the bid. Without a quote: the limit, else the last trade; null when none is known.
 */
export function referencePrice(order: OrderRequest, quote: Quote | null, lastPrice: number | null): number | null {
  const limit = order.type === 'limit' ? order.limitPrice : undefined;
  if (quote) {
    const far = order.side === 'buy' ? quote.ask : quote.bid;
    if (limit === undefined) return far;
    return order.side === 'buy' ? Math.min(limit, far) : Math.max(limit, far);
  }
  return limit ?? lastPrice;
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
  const held = ctx.positionQuantity;
  const opening = order.side === 'buy' ? Math.max(0, order.quantity - Math.max(0, -held)) : Math.max(0, order.quantity - Math.max(0, held));
  const openingNotional = opening * price;
  if (openingNotional > ctx.buyingPower + 1e-9) {
    return {
      field: 'quantity',
      message: `Not enough buying power: opening ${opening} shares costs ${usd(openingNotional)}, buying power is ${usd(ctx.buyingPower)}`,
    };
  }
  return null;
}
