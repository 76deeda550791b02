/**
 * Paper broker: fills orders against the live NBBO of the engine's feed.
 *
 * - Fills take at most the size displayed at the touch (the ask size for a buy, the bid size for
 *   a sell), shared by all orders of the symbol on that quote; the rest waits for the next quote
 *   (partially_filled).
 * - Market orders fill at the far side (buy at the ask, sell at the bid), in the regular session
 *   (09:30–16:00 ET) only; outside it they are rejected with the reason.
 * - Limit orders that are marketable on arrival fill at the far side (price improvement: a buy
 *   limit at or above the ask fills at the ask). Others rest and fill at their limit as soon as
 *   the NBBO crosses it. Limit orders may fill 04:00–20:00 ET.
 * - Stop and stop-limit orders trigger on the last trade (a buy stop when a print is at or above
 *   the stop, a sell stop at or below), in the regular session; then they work as a market or
 *   limit order. A trailing stop's stop follows the best print since it was placed (the highest
 *   for a sell, the lowest for a buy) at the trail distance (USD or percent), and triggers the
 *   same way.
 * - Time in force: day orders expire at 16:00 ET (20:00 when placed after the close), gtc orders
 *   stay, ioc orders fill what is displayed on arrival and cancel the rest, fok orders fill
 *   entirely on arrival or are canceled. Expiry is checked before any match.
 * - A quote from an earlier session never fills an order. Nothing trades on weekends.
 */
import type { Order, Quote, Symbol, Trade } from '../../../shared/domain';
import { SessionCursor } from '../market/session-clock';
import type { Broker, ExecutionReportListener } from './broker';

interface WorkingOrder {
  readonly order: Order;
  remaining: number;
  readonly expiresAt: number;
  /** Stops wait for their trigger; other orders are live at once. */
  triggered: boolean;
  /** Trailing stops: best print since placement (highest for a sell, lowest for a buy), USD. */
  extreme: number | null;
}

/** Shares of the current quote already taken, per symbol and side. */
interface QuoteUse {
  quote: Quote;
  askTaken: number;
  bidTaken: number;
}

export class PaperBroker implements Broker {
  private readonly working = new Map<Symbol, Map<string, WorkingOrder>>();
  private readonly quotes = new Map<Symbol, QuoteUse>();
  private readonly lastPrices = new Map<Symbol, number>();
  private readonly sessions = new SessionCursor();

  constructor(private readonly report: ExecutionReportListener) {}

  submit(order: Order, latestQuote: Quote | null, now: number): void {
    const quote = latestQuote && this.sameSession(latestQuote.time, now) ? latestQuote : null;
    if (quote) this.use(quote);
    const session = this.sessions.kindAt(now);
    const reject = (reason: string): void => this.report({ kind: 'rejected', orderId: order.id, time: now, reason });
    if (session === 'closed') return reject('The market is closed (orders are accepted 04:00–20:00 ET, Monday to Friday)');
    if (order.type === 'market' && session !== 'regular') {
      return reject('Market orders fill only in the regular session (09:30–16:00 ET); use a limit order in extended hours');
    }
    if (order.type === 'market' && !quote) return reject(`No quote for ${order.symbol} in this session: a market order cannot fill`);
    this.report({ kind: 'accepted', orderId: order.id, time: now });
    const times = this.sessions.at(now);
    const expiresAt = order.timeInForce === 'gtc' ? Infinity : now < times.regularClose ? times.regularClose : times.afterHoursClose;
    const w = this.workingOrder(order, expiresAt);
    if (w.triggered && quote) {
      if (order.timeInForce === 'fok' && this.available(order, quote) < w.remaining) {
        this.report({ kind: 'canceled', orderId: order.id, time: now, reason: `Fill-or-kill: ${w.remaining} shares were not available at the price` });
        return;
      }
      this.fill(w, quote, now, true);
    }
    if (w.remaining <= 0) return;
    if (order.timeInForce === 'ioc' || order.timeInForce === 'fok') {
      this.report({ kind: 'canceled', orderId: order.id, time: now, reason: `Immediate-or-cancel: the unfilled ${w.remaining} shares were canceled` });
      return;
    }
    this.addWorking(w);
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

  detach(orderId: string): boolean {
    for (const orders of this.working.values()) if (orders.delete(orderId)) return true;
    return false;
  }

  restore(order: Order): void {
    const times = this.sessions.at(order.createdAt);
    const expiresAt = order.timeInForce === 'gtc' ? Infinity : order.createdAt < times.regularClose ? times.regularClose : times.afterHoursClose;
    this.addWorking(this.workingOrder(order, expiresAt));
  }

  private workingOrder(order: Order, expiresAt: number): WorkingOrder {
    const last = this.lastPrices.get(order.symbol) ?? null;
    return { order, remaining: order.quantity - order.filledQuantity, expiresAt, triggered: order.type === 'market' || order.type === 'limit', extreme: last };
  }

  /** The stop price of a working stop order now, USD. */
  private stopOf(w: WorkingOrder): number | null {
    const o = w.order;
    if (o.type !== 'trailing_stop') return o.stopPrice;
    if (w.extreme === null) return null;
    const distance = o.trailPrice ?? (w.extreme * (o.trailPercent ?? 0)) / 100;
    return o.side === 'sell' ? w.extreme - distance : w.extreme + distance;
  }

  onQuote(quote: Quote): void {
    const use = this.use(quote);
    const orders = this.working.get(quote.symbol);
    if (!orders || orders.size === 0) return;
    for (const [id, w] of orders) {
      if (quote.time >= w.expiresAt) {
        orders.delete(id);
        this.report({ kind: 'expired', orderId: id, time: quote.time, reason: 'Day order expired at the end of the session' });
        continue;
      }
      if (!w.triggered) continue;
      this.fill(w, use.quote, quote.time, false);
      if (w.remaining <= 0) orders.delete(id);
    }
  }

  onTrade(trade: Trade): void {
    this.lastPrices.set(trade.symbol, trade.price);
    const orders = this.working.get(trade.symbol);
    if (!orders || orders.size === 0 || this.sessions.kindAt(trade.time) !== 'regular') return;
    for (const [id, w] of orders) {
      if (w.triggered) continue;
      const stop = this.stopOf(w);
      const hit = stop !== null && (w.order.side === 'buy' ? trade.price >= stop : trade.price <= stop);
      if (w.order.type === 'trailing_stop' && !hit) {
        w.extreme = w.extreme === null ? trade.price : w.order.side === 'sell' ? Math.max(w.extreme, trade.price) : Math.min(w.extreme, trade.price);
      }
      if (!hit) continue;
      w.triggered = true;
      const use = this.quotes.get(trade.symbol);
      if (use && this.sameSession(use.quote.time, trade.time)) {
        this.fill(w, use.quote, trade.time, true);
        if (w.remaining <= 0) orders.delete(id);
      }
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

  /** Fills as much of `w` as the quote shows within its price; `onArrival` fills at the far side. */
  private fill(w: WorkingOrder, quote: Quote, time: number, onArrival: boolean): void {
    const order = w.order;
    const buy = order.side === 'buy';
    const far = buy ? quote.ask : quote.bid;
    const limit = order.type === 'limit' || order.type === 'stop_limit' ? order.limitPrice : null;
    if (limit !== null && (buy ? far > limit : far < limit)) return;
    if (order.type === 'market' && this.sessions.kindAt(time) !== 'regular') return;
    const quantity = Math.min(w.remaining, this.available(order, quote));
    if (quantity <= 0) return;
    const use = this.use(quote);
    if (buy) use.askTaken += quantity;
    else use.bidTaken += quantity;
    w.remaining -= quantity;
    const price = limit === null || onArrival ? far : limit;
    this.report({ kind: 'fill', orderId: order.id, price, quantity, time });
  }

  /** Shares displayed at the touch on the order's side that no other order took yet. */
  private available(order: Order, quote: Quote): number {
    const use = this.use(quote);
    return order.side === 'buy' ? Math.max(0, quote.askSize - use.askTaken) : Math.max(0, quote.bidSize - use.bidTaken);
  }

  private use(quote: Quote): QuoteUse {
    const current = this.quotes.get(quote.symbol);
    if (current && current.quote === quote) return current;
    const fresh = { quote, askTaken: 0, bidTaken: 0 };
    this.quotes.set(quote.symbol, fresh);
    return fresh;
  }

  private sameSession(a: number, b: number): boolean {
    return this.sessions.at(a).date === this.sessions.at(b).date;
  }

  private addWorking(w: WorkingOrder): void {
    let orders = this.working.get(w.order.symbol);
    if (!orders) {
      orders = new Map();
      this.working.set(w.order.symbol, orders);
    }
    orders.set(w.order.id, w);
  }
}
