/**
 * Paper broker: fills orders against the live NBBO of the engine's feed.
 *
 * - Market orders fill at once in full at the far side (buy at the ask, sell at the bid), in the
 *   regular session only (09:30–16:00 ET); outside it they are rejected with the reason.
 * - Limit orders that are marketable on arrival fill at once at the far side (price improvement:
 *   a buy limit at or above the ask fills at the ask). Others rest and fill at their limit price
 *   as soon as the NBBO crosses it (a buy when the ask falls to or below the limit; sells
 *   mirrored). Limit orders may fill 04:00–20:00 ET.
 * - Day orders expire at 16:00 ET, or at 20:00 ET when placed after the close; expiry is checked
 *   before any match, so nothing fills after it.
 * - A quote from an earlier session never fills an order. Nothing trades on weekends.
 * Partial fills, stops and brackets come with the full order model.
 */
import type { Order, Quote, Symbol } from '../../../shared/domain';
import { SessionCursor } from '../market/session-clock';
import type { Broker, ExecutionReportListener } from './broker';

interface WorkingOrder {
  readonly order: Order;
  expiresAt: number;
}

export class PaperBroker implements Broker {
  private readonly working = new Map<Symbol, Map<string, WorkingOrder>>();
  private readonly quotes = new Map<Symbol, Quote>();
  private readonly sessions = new SessionCursor();

  constructor(private readonly report: ExecutionReportListener) {}

  submit(order: Order, latestQuote: Quote | null, now: number): void {
    // A quote from an earlier session is no market: nothing fills against it.
    const quote = latestQuote && this.sessions.at(latestQuote.time).date === this.sessions.at(now).date ? latestQuote : null;
    if (quote) this.quotes.set(quote.symbol, quote);
    const session = this.sessions.kindAt(now);
    if (order.type === 'market' && session !== 'regular') {
      this.report({
        kind: 'rejected',
        orderId: order.id,
        time: now,
        reason: 'Market orders fill only in the regular session (09:30–16:00 ET); use a limit order in extended hours',
      });
      return;
    }
    if (order.type === 'market' && !quote) {
      this.report({ kind: 'rejected', orderId: order.id, time: now, reason: `No quote for ${order.symbol} in this session: a market order cannot fill` });
      return;
    }
    if (session === 'closed') {
      this.report({ kind: 'rejected', orderId: order.id, time: now, reason: 'The market is closed (orders are accepted 04:00–20:00 ET)' });
      return;
    }
    this.report({ kind: 'accepted', orderId: order.id, time: now });
    const fillPrice = quote ? this.marketableFillPrice(order, quote) : null;
    if (fillPrice !== null) {
      this.report({ kind: 'fill', orderId: order.id, price: fillPrice, quantity: order.quantity, time: now });
      return;
    }
    this.addWorking(order, now);
  }

  cancel(orderId: string, now: number): boolean {
    for (const orders of this.working.values()) {
      if (orders.delete(orderId)) {
        this.report({ kind: 'canceled', orderId, time: now, reason: 'Canceled by the trader' });
        return true;
      }
    }
    return false;
  }

  restore(order: Order): void {
    this.addWorking(order, order.createdAt);
  }

  onQuote(quote: Quote): void {
    this.quotes.set(quote.symbol, quote);
    const orders = this.working.get(quote.symbol);
    if (!orders || orders.size === 0) return;
    for (const [id, w] of orders) {
      if (quote.time >= w.expiresAt) {
        orders.delete(id);
        this.report({ kind: 'expired', orderId: id, time: quote.time, reason: 'Day order expired at the end of the session' });
        continue;
      }
      const limit = w.order.limitPrice;
      if (limit === null) continue;
      const crossed = w.order.side === 'buy' ? quote.ask <= limit : quote.bid >= limit;
      if (!crossed) continue;
      orders.delete(id);
      this.report({ kind: 'fill', orderId: id, price: limit, quantity: w.order.quantity - w.order.filledQuantity, time: quote.time });
    }
  }

  onClock(now: number): void {
    for (const orders of this.working.values()) {
      for (const [id, w] of orders) {
        if (now < w.expiresAt) continue;
        orders.delete(id);
        this.report({ kind: 'expired', orderId: id, time: now, reason: 'Day order expired at the end of the session' });
      }
    }
  }

  private marketableFillPrice(order: Order, quote: Quote): number | null {
    const far = order.side === 'buy' ? quote.ask : quote.bid;
    if (order.type === 'market') return far;
    const limit = order.limitPrice ?? NaN;
    return (order.side === 'buy' ? far <= limit : far >= limit) ? far : null;
  }

  private addWorking(order: Order, placedAt: number): void {
    const times = this.sessions.at(placedAt);
    const expiresAt = placedAt < times.regularClose ? times.regularClose : times.afterHoursClose;
    let orders = this.working.get(order.symbol);
    if (!orders) {
      orders = new Map();
      this.working.set(order.symbol, orders);
    }
    orders.set(order.id, { order, expiresAt });
  }
}
