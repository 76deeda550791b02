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
 *   the NBBO crosses it. They fill in the regular session, or 04:00–20:00 ET with the
 *   extended-hours flag; one placed pre-market without it waits for the open.
 * - opg orders (placed before 09:28 ET) fill at the open against the first regular-session quote,
 *   cls orders (placed before 15:50 ET) at the close against the last quote before 16:00; what
 *   does not fill then is canceled.
 * - Stop and stop-limit orders trigger on the last trade (a buy stop when a print is at or above
 *   the stop, a sell stop at or below), in the regular session; then they work as a market or
 *   limit order. A trailing stop's stop follows the best print since it was placed (the highest
 *   for a sell, the lowest for a buy) at the trail distance (USD or percent), and triggers the
 *   same way.
 * - Time in force: day orders expire at 16:00 ET (20:00 with extended hours), gtc orders
 *   stay, ioc orders fill what is displayed on arrival and cancel the rest, fok orders fill
 *   entirely on arrival or are canceled. Expiry is checked before any match.
 * - A quote from an earlier session never fills an order. Nothing trades on weekends.
 * - Simulated latency (settings, ms of wall time): new orders, cancels and replaces reach the
 *   paper exchange that much later and meet the quote current then; a cancel or replace shows as
 *   pending_cancel / pending_replace meanwhile, and the order can still fill.
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

/** How the paper broker delays requests. */
export interface PaperBrokerOptions {
  /** Simulated one-way latency, ms of wall time; read on every request so a settings change applies at once. */
  readonly latencyMs?: () => number;
  /** Runs `task` after `ms` (default `setTimeout`); tests inject their own. */
  readonly schedule?: (task: () => void, ms: number) => void;
}

export class PaperBroker implements Broker {
  readonly managesOrderClasses = false;
  private readonly working = new Map<Symbol, Map<string, WorkingOrder>>();
  private readonly quotes = new Map<Symbol, QuoteUse>();
  private readonly lastPrices = new Map<Symbol, number>();
  private readonly sessions = new SessionCursor();
  /** Latest feed time seen, ms since epoch: when a delayed request arrives. */
  private clock = 0;
  /** Orders sent but not yet arrived (latency): id → canceled meanwhile. */
  private readonly inFlight = new Map<string, boolean>();
  private closed = false;

  constructor(
    private readonly report: ExecutionReportListener,
    private readonly options: PaperBrokerOptions = {},
  ) {}

  health(): ReturnType<Broker['health']> {
    return { provider: 'paper', mode: 'paper', state: 'connected', streamUp: true, lastReconciledAt: null, detail: null };
  }

  readiness(): ReturnType<Broker['readiness']> {
    return { ready: true };
  }

  close(): void {
    this.closed = true;
  }

  /** Runs `task` now, or after the simulated latency with the feed time current then. */
  private later(now: number, task: (time: number, delayed: boolean) => void): void {
    const latency = this.options.latencyMs?.() ?? 0;
    if (latency <= 0) {
      task(now, false);
      return;
    }
    const schedule = this.options.schedule ?? ((t: () => void, ms: number) => void setTimeout(t, ms));
    schedule(() => {
      if (!this.closed) task(Math.max(now, this.clock), true);
    }, latency);
  }

  /** The quote an order meets on arrival: the one it was sent with, or the current one after a delay. */
  private arrivalQuote(symbol: Symbol, sent: Quote | null, delayed: boolean): Quote | null {
    return delayed ? (this.quotes.get(symbol)?.quote ?? sent) : sent;
  }

  submit(order: Order, quote: Quote | null, now: number): void {
    if ((this.options.latencyMs?.() ?? 0) > 0) this.inFlight.set(order.id, false);
    this.later(now, (time, delayed) => {
      const canceled = this.inFlight.get(order.id);
      this.inFlight.delete(order.id);
      if (canceled) {
        this.report({ kind: 'canceled', orderId: order.id, time, reason: 'Canceled by the trader before it reached the paper exchange' });
        return;
      }
      this.arrive(order, this.arrivalQuote(order.symbol, quote, delayed), time);
    });
  }

  /** Why the paper exchange refuses `order` at `now` against `quote` (same session), or null. */
  private rejectionOf(order: Order, quote: Quote | null, now: number): string | null {
    const session = this.sessions.kindAt(now);
    const times = this.sessions.at(now);
    const tif = order.timeInForce;
    if (session === 'closed') {
      return times.holiday ? `The market is closed today (${times.holiday})` : 'The market is closed (orders are accepted 04:00–20:00 ET, Monday to Friday)';
    }
    if (tif === 'opg' && now >= times.regularOpen - 2 * 60_000) return 'Opening orders (opg) must be placed before 09:28 ET';
    if (tif === 'cls' && now >= times.regularClose - 10 * 60_000) return `Closing orders (cls) must be placed before ${times.earlyClose ? '12:50' : '15:50'} ET (10 minutes before the close)`;
    const auction = tif === 'opg' || tif === 'cls';
    if (order.type === 'market' && session !== 'regular' && !auction) {
      return 'Market orders fill only in the regular session (09:30–16:00 ET); use a limit order with extended hours';
    }
    if (!order.extendedHours && !auction && session === 'after_hours') return 'The regular session is over: check Extended hours to trade until 20:00 ET';
    if (order.type === 'market' && !quote && !auction) return `No quote for ${order.symbol} in this session: a market order cannot fill`;
    return null;
  }

  private sessionQuote(latestQuote: Quote | null, now: number): Quote | null {
    return latestQuote && this.sameSession(latestQuote.time, now) ? latestQuote : null;
  }

  /**
   * An order reaches the paper exchange. A cancel that comes while it is being accepted (the
   * acknowledgement's own consequences) is carried out once it rests.
   */
  private arrive(order: Order, latestQuote: Quote | null, now: number, resized = false): void {
    this.inFlight.set(order.id, false);
    try {
      this.arriveNow(order, latestQuote, now, resized);
    } finally {
      const canceled = this.inFlight.get(order.id);
      this.inFlight.delete(order.id);
      if (canceled && this.detach(order.id)) this.report({ kind: 'canceled', orderId: order.id, time: now, reason: 'Canceled by the trader' });
    }
  }

  private arriveNow(order: Order, latestQuote: Quote | null, now: number, resized: boolean): void {
    const quote = this.sessionQuote(latestQuote, now);
    if (quote) this.use(quote);
    const rejection = this.rejectionOf(order, quote, now);
    if (rejection) return this.report({ kind: 'rejected', orderId: order.id, time: now, reason: rejection });
    const tif = order.timeInForce;
    const auction = tif === 'opg' || tif === 'cls';
    if (resized) {
      this.report({ kind: 'accepted', orderId: order.id, time: now, quantity: order.quantity });
    } else {
      this.report({ kind: 'accepted', orderId: order.id, time: now });
    }
    const w = this.workingOrder(order, this.expiryOf(order));
    if (auction) {
      this.addWorking(w); // waits for its auction
      return;
    }
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
    if (this.inFlight.has(orderId)) {
      // Still on its way: it is canceled when it arrives.
      if (!this.inFlight.get(orderId)) this.report({ kind: 'pending_cancel', orderId, time: now });
      this.inFlight.set(orderId, true);
      return true;
    }
    if (!this.find(orderId)) return false;
    if ((this.options.latencyMs?.() ?? 0) > 0) this.report({ kind: 'pending_cancel', orderId, time: now });
    this.later(now, (time) => {
      // Gone meanwhile: it filled or expired, and that was reported.
      if (this.detach(orderId)) this.report({ kind: 'canceled', orderId, time, reason: 'Canceled by the trader' });
    });
    return true;
  }

  /**
   * The replacement is checked first: if the paper exchange would refuse it, the old order keeps
   * working. Shares the old order filled while the request travelled come off the replacement
   * (a replace never makes an exit sell more than is held); unchanged quantity means "what is
   * still open".
   */
  replace(old: Order, replacement: Order, quote: Quote | null, now: number, quantityChanged = true): void {
    if ((this.options.latencyMs?.() ?? 0) > 0 && this.find(old.id)) this.report({ kind: 'pending_replace', orderId: old.id, time: now });
    const openAtRequest = old.quantity - old.filledQuantity;
    this.later(now, (time, delayed) => {
      const refuse = (reason: string): void => {
        this.report({ kind: 'replace_rejected', orderId: old.id, time, reason });
        this.report({ kind: 'rejected', orderId: replacement.id, time, reason });
      };
      const working = this.find(old.id);
      if (!working) return refuse(`Order ${old.clientOrderId} is no longer working`);
      const arrivalQuote = this.arrivalQuote(replacement.symbol, quote, delayed);
      const rejection = this.rejectionOf(replacement, this.sessionQuote(arrivalQuote, time), time);
      if (rejection) return refuse(rejection);
      const filledMeanwhile = openAtRequest - working.remaining;
      const quantity = quantityChanged ? replacement.quantity - filledMeanwhile : working.remaining;
      this.detach(old.id);
      if (quantity <= 0) {
        this.report({ kind: 'canceled', orderId: old.id, time, reason: `Filled ${filledMeanwhile} while being changed: nothing left to work` });
        this.report({ kind: 'rejected', orderId: replacement.id, time, reason: 'The order it replaces filled meanwhile' });
        return;
      }
      this.report({ kind: 'replaced', orderId: old.id, replacementId: replacement.id, time });
      const resized = quantity !== replacement.quantity;
      this.arrive(resized ? { ...replacement, quantity } : replacement, arrivalQuote, time, resized);
    });
  }

  private find(orderId: string): WorkingOrder | undefined {
    for (const orders of this.working.values()) {
      const w = orders.get(orderId);
      if (w) return w;
    }
    return undefined;
  }

  /** Takes a working order off the book without a report; false when it is not working. */
  private detach(orderId: string): boolean {
    for (const orders of this.working.values()) if (orders.delete(orderId)) return true;
    return false;
  }

  /**
   * After a restart: an order still pending_new never reached the paper exchange (it lived in the
   * engine that stopped) and is rejected; a working one is re-armed; a pending cancel or replace
   * was lost with the engine, so the order keeps working as it was.
   */
  restore(order: Order): void {
    const time = Math.max(this.clock, order.updatedAt);
    if (order.status === 'pending_new') {
      this.report({ kind: 'rejected', orderId: order.id, time, reason: 'Not sent: the engine stopped before the broker acknowledged it' });
      return;
    }
    this.addWorking(this.workingOrder(order, this.expiryOf(order)));
    if (order.status === 'pending_cancel' || order.status === 'pending_replace') {
      const kind = order.status === 'pending_cancel' ? 'cancel_rejected' : 'replace_rejected';
      this.report({ kind, orderId: order.id, time, reason: 'The engine stopped before the request reached the paper broker: the order is still working' });
    }
  }

  /**
   * When an order stops working (ms since epoch): never for gtc; a minute after the open for opg;
   * the close for day and cls orders, or 20:00 ET for extended-hours orders.
   */
  private expiryOf(order: Order): number {
    const times = this.sessions.at(order.createdAt);
    switch (order.timeInForce) {
      case 'gtc':
        return Infinity;
      case 'opg':
        return times.regularOpen + 60_000;
      case 'cls':
        return times.regularClose;
      default:
        return order.extendedHours ? times.afterHoursClose : times.regularClose;
    }
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
    this.clock = Math.max(this.clock, quote.time);
    const previous = this.quotes.get(quote.symbol)?.quote ?? null;
    const use = this.use(quote);
    const orders = this.working.get(quote.symbol);
    if (!orders || orders.size === 0) return;
    for (const [id, w] of orders) {
      const tif = w.order.timeInForce;
      if (tif === 'cls' && quote.time < this.sessions.at(quote.time).regularClose) continue; // the close uses the last quote before 16:00
      if (quote.time >= w.expiresAt) {
        orders.delete(id);
        this.expire(w, quote.time, previous);
        this.quotes.set(quote.symbol, use); // a closing fill valued the previous quote: this one is current again
        continue;
      }
      if (!w.triggered) continue;
      if (tif === 'opg') {
        if (this.sessions.kindAt(quote.time) !== 'regular') continue;
        this.fill(w, use.quote, quote.time, true);
        orders.delete(id);
        if (w.remaining > 0) this.report({ kind: 'canceled', orderId: id, time: quote.time, reason: `Opening order: the unfilled ${w.remaining} shares were canceled after the open` });
        continue;
      }
      this.fill(w, use.quote, quote.time, false);
      if (w.remaining <= 0) orders.delete(id);
    }
  }

  /**
   * A working order reached its expiry: a cls order first fills against `lastBeforeClose` (the
   * last quote before 16:00; by default the latest one held).
   */
  private expire(w: WorkingOrder, time: number, lastBeforeClose: Quote | null = this.quotes.get(w.order.symbol)?.quote ?? null): void {
    const id = w.order.id;
    if (w.order.timeInForce === 'cls') {
      const last = lastBeforeClose;
      if (last && this.sameSession(last.time, time) && last.time < w.expiresAt) this.fill(w, last, w.expiresAt, true);
      if (w.remaining > 0) this.report({ kind: 'canceled', orderId: id, time, reason: `Closing order: the unfilled ${w.remaining} shares were canceled at the close` });
      return;
    }
    if (w.order.timeInForce === 'opg') {
      this.report({ kind: 'canceled', orderId: id, time, reason: 'Opening order: no opening quote, canceled' });
      return;
    }
    this.report({ kind: 'expired', orderId: id, time, reason: 'Day order expired at the end of the session' });
  }

  onTrade(trade: Trade): void {
    this.clock = Math.max(this.clock, trade.time);
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
    this.clock = Math.max(this.clock, now);
    for (const orders of this.working.values()) {
      for (const [id, w] of orders) {
        if (now < w.expiresAt) continue;
        orders.delete(id);
        this.expire(w, now);
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
    const session = this.sessions.kindAt(time);
    const auction = order.timeInForce === 'opg' || order.timeInForce === 'cls';
    if (session !== 'regular' && !auction && (order.type === 'market' || !order.extendedHours)) return;
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
