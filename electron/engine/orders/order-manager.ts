/**
 * Order management: turns a trader's order request into an order with a client_order_id, runs
 * the pre-trade checks, sends it to the broker and applies the broker's execution reports.
 *
 * Every change is written to the store before anyone is told (the write is the
 * acknowledgement), then published; fills update the portfolio.
 */
import { randomUUID } from 'node:crypto';
import { percentileOfSorted } from '../stats/percentile';
import type { Fill, Order, OrderRequest, OrderStatus, Position, Quote, Settings, Symbol } from '../../../shared/domain';
import { WORKING_ORDER_STATUSES } from '../../../shared/domain';
import type { CommandError } from '../../../shared/protocol';
import type { Broker, ExecutionReport } from '../brokers/broker';
import type { Portfolio } from '../portfolio/portfolio';
import { checkOrder } from '../risk/pre-trade-checks';
import type { RiskEngine } from '../risk/risk-engine';
import type { OrderStore } from '../store/order-store';
import { canTransition, isPendingChange } from './order-state';
import { SessionCursor } from '../market/session-clock';
import { roundToTick } from '../../../shared/price';

/** What the order manager tells the rest of the engine. */
export interface OrderEvents {
  onOrder(order: Order): void;
  onFill(fill: Fill, position: Position): void;
  /** Logged, never thrown: a report that does not fit the order's state. */
  onAnomaly(message: string): void;
  /** The store could not write (read-only file, disk full); null when it can again. The trader must be told. */
  onStoreFailure?(message: string | null): void;
  /**
   * Makes what the store wrote durable (an fsync; see `DurabilityBarrier`): called after an
   * order's first record and before it goes to the broker.
   * @throws when it cannot (the order is then refused, as for a failed write).
   */
  syncStore?(): void;
}

/** Market facts the order manager reads when an order arrives. */
export interface MarketView {
  knownSymbols(): ReadonlySet<Symbol>;
  quote(symbol: Symbol): Quote | null;
  lastPrice(symbol: Symbol): number | null;
  /** Feed clock, ms since epoch. */
  now(): number;
}

export type PlaceOrderResult = { readonly ok: true; readonly order: Order } | { readonly ok: false; readonly error: CommandError; readonly order?: Order };

export class OrderManager {
  private readonly orders = new Map<string, Order>();
  /** The orders still working (a subset of {@link orders}): what pre-trade checks and cancels scan, however long the day's list. */
  private readonly working = new Map<string, Order>();
  private readonly sessions = new SessionCursor();
  private broker: Broker | null = null;
  private readonly roundTrips = new RoundTripTimes();
  /** Flattens waiting for their symbol's canceled orders to end: symbol → wall time asked (ms since epoch). */
  private readonly flattenAfterCancels = new Map<Symbol, number>();
  /** Why the store cannot write, while it cannot: new orders are refused meanwhile. */
  private storeError: string | null = null;
  /** Orders held while the broker's order-update stream is down: order id → wall time held (ms since epoch). */
  private readonly held = new Map<string, number>();

  constructor(
    private readonly store: OrderStore,
    private readonly portfolio: Portfolio,
    private readonly market: MarketView,
    private readonly settings: () => Pick<Settings, 'risk' | 'broker'>,
    private readonly events: OrderEvents,
    private readonly risk: RiskEngine,
    /** Wall clock, ms since epoch (held orders age by it). */
    private readonly wallClock: () => number = Date.now,
  ) {}

  /**
   * Connects the broker and hands it the orders that were working before a restart: the paper
   * broker re-arms them, a remote broker reconciles them with its own records.
   */
  attachBroker(broker: Broker): void {
    this.broker = broker;
    for (const order of [...this.working.values()]) broker.restore(this.orders.get(order.id) ?? order);
  }

  /** Loads orders and fills from the store and rebuilds positions from the fills. */
  restore(): void {
    for (const order of this.store.loadOrders()) this.setOrder(order);
    for (const fill of this.store.loadFills()) this.portfolio.applyFill(fill);
  }

  /** Orders waiting for the broker's order-update stream. */
  heldCount(): number {
    return this.held.size;
  }

  /**
   * Sends the held orders once the broker is ready again, and cancels those held longer than the
   * setting allows (the market has moved since the trader decided). Call on broker state changes
   * and periodically.
   */
  serviceHeld(): void {
    this.checkStore();
    this.serviceFlattens();
    if (this.held.size === 0 || !this.broker) return;
    const maxHoldMs = this.settings().broker.maxHoldSeconds * 1000;
    const wall = this.wallClock();
    const ready = this.broker.readiness().ready;
    for (const [id, heldAt] of [...this.held]) {
      const order = this.orders.get(id);
      this.held.delete(id);
      if (!order || order.status !== 'pending_new') continue;
      const now = this.market.now();
      if (wall - heldAt > maxHoldMs) {
        this.transition(order, 'canceled', now, `Held ${Math.round((wall - heldAt) / 1000)} s while the broker's order updates were down: canceled, the market has moved`);
      } else if (ready) {
        const sent = this.record({ ...order, reason: null, updatedAt: now });
        this.roundTrips.start(sent.id);
        this.broker.submit(sent, this.market.quote(order.symbol), now);
      } else {
        this.held.set(id, heldAt);
      }
    }
  }

  /** All orders, oldest first. */
  allOrders(): Order[] {
    return [...this.orders.values()];
  }

  /**
   * Checks and sends an order. A repeated client_order_id returns the existing order.
   * `riskExempt` is for the kill switch's own flattening orders, which only reduce exposure.
   */
  place(request: OrderRequest, riskExempt = false, parentId: string | null = null, replacing: string | null = null, quantityChanged = true): PlaceOrderResult {
    if (request.clientOrderId) {
      const found = this.store.findByClientOrderId(request.clientOrderId);
      if (found) {
        const existing = this.orders.get(found.id) ?? found;
        const same =
          existing.symbol === request.symbol && existing.side === request.side && existing.quantity === request.quantity &&
          existing.type === request.type && existing.limitPrice === (request.limitPrice ?? null) && existing.stopPrice === (request.stopPrice ?? null) &&
          existing.trailPrice === (request.trailPrice ?? null) && existing.trailPercent === (request.trailPercent ?? null) &&
          existing.extendedHours === (request.extendedHours ?? false) && existing.timeInForce === request.timeInForce;
        // A retry of the same order returns it (never sent twice); a different order under a used id is refused.
        if (same && existing.status === 'rejected') {
          return { ok: false, error: { code: 'order_rejected', message: existing.reason ?? 'Rejected', field: 'clientOrderId' }, order: existing };
        }
        if (same) return { ok: true, order: existing };
        return {
          ok: false,
          error: { code: 'order_rejected', field: 'clientOrderId', message: `client_order_id ${request.clientOrderId} is already used by a different order (${existing.status})` },
        };
      }
    }
    const now = this.market.now();
    const order: Order = {
      id: randomUUID(),
      clientOrderId: request.clientOrderId ?? `tw-${randomUUID()}`,
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      timeInForce: request.timeInForce,
      quantity: request.quantity,
      limitPrice: request.type === 'limit' || request.type === 'stop_limit' ? (request.limitPrice ?? null) : null,
      stopPrice: request.type === 'stop' || request.type === 'stop_limit' ? (request.stopPrice ?? null) : null,
      trailPrice: request.type === 'trailing_stop' ? (request.trailPrice ?? null) : null,
      trailPercent: request.type === 'trailing_stop' ? (request.trailPercent ?? null) : null,
      extendedHours: request.extendedHours ?? false,
      orderClass: request.orderClass ?? 'simple',
      legs:
        (request.orderClass ?? 'simple') === 'simple' || parentId !== null
          ? null
          : { ...(request.takeProfit ? { takeProfit: request.takeProfit } : {}), ...(request.stopLoss ? { stopLoss: request.stopLoss } : {}) },
      parentId,
      status: 'pending_new',
      filledQuantity: 0,
      averageFillPrice: null,
      reason: null,
      createdAt: now,
      updatedAt: now,
    };
    const quote = this.market.quote(request.symbol);
    const risk = this.risk.current;
    const rejection = riskExempt
      ? null
      : checkOrder(request, {
          knownSymbols: this.market.knownSymbols(),
          quote,
          lastPrice: this.market.lastPrice(request.symbol),
          limits: this.settings().risk,
          buyingPower: this.portfolio.account().buyingPower,
          positionQuantity: this.portfolio.quantityOf(request.symbol),
          workingBuyQuantity: this.workingQuantity(request.symbol, 'buy', replacing),
          workingSellQuantity: this.workingQuantity(request.symbol, 'sell', replacing),
          openPositions: this.portfolio.allPositions().filter((p) => p.quantity !== 0).length,
          riskState: risk.state,
          riskReason: risk.reason,
          ordersLastMinute: this.risk.ordersInLastMinute(now),
          tradesToday: risk.tradesToday,
        });
    if (rejection) {
      const rejected = this.record({ ...order, status: 'rejected', reason: rejection.message });
      return { ok: false, error: { code: 'order_rejected', message: rejection.message, field: rejection.field }, order: rejected };
    }
    const unsaved = this.storeError === null ? this.tryRecord(order) : this.storeError;
    if (unsaved !== null) {
      // Nothing reaches the broker that is not on disk first: a crash would lose it.
      const message = `Not sent: the order could not be saved (${unsaved}). New orders are refused until the database can be written; check the disk.`;
      return { ok: false, error: { code: 'order_rejected', message } };
    }
    this.risk.recordOrder(now);
    const broker = this.broker;
    if (!broker) {
      const rejected = this.transition(order, 'rejected', now, 'No broker is connected');
      return { ok: false, error: { code: 'order_rejected', message: 'No broker is connected' }, order: rejected };
    }
    const readiness = broker.readiness();
    if (!readiness.ready) {
      // A replace is never held: the old order keeps working as it is. Closing orders of the
      // kill switch and flatten (risk-exempt) are held even under "refuse": they must go out.
      if ((this.settings().broker.whenStreamDown === 'refuse' && !riskExempt) || replacing !== null) {
        const message = `${readiness.reason}: ${replacing !== null ? 'the order was not changed' : 'new orders are refused until it is back'}`;
        const rejected = this.transition(order, 'rejected', now, message);
        return { ok: false, error: { code: 'order_rejected', message }, order: rejected };
      }
      const held = this.record({ ...order, reason: `Held: ${readiness.reason}; it is sent when the broker is back (at most ${this.settings().broker.maxHoldSeconds} s)` });
      this.held.set(order.id, this.wallClock());
      return { ok: true, order: held };
    }
    const old = replacing === null ? undefined : this.orders.get(replacing);
    this.roundTrips.start(order.id);
    if (old) broker.replace(old, order, quote, now, quantityChanged);
    else broker.submit(order, quote, now);
    const current = this.orders.get(order.id) ?? order;
    if (current.status === 'rejected') {
      return { ok: false, error: { code: 'order_rejected', message: current.reason ?? 'Rejected by the broker' }, order: current };
    }
    // An oco order is its take-profit; the stop-loss works beside it from the start.
    const unfilled = current.quantity - current.filledQuantity;
    if (!broker.managesOrderClasses && order.orderClass === 'oco' && parentId === null && order.legs?.stopLoss && WORKING_ORDER_STATUSES.has(current.status) && unfilled > 0) {
      this.armLegs(current, { stopLoss: order.legs.stopLoss }, unfilled, current.side);
    }
    return { ok: true, order: this.orders.get(order.id) ?? current };
  }

  /** Asks the broker to cancel a working order. */
  cancel(orderId: string): { ok: true; order: Order } | { ok: false; error: CommandError } {
    const order = this.orders.get(orderId);
    if (!order) return { ok: false, error: { code: 'not_found', message: `No order with id ${orderId}`, field: 'orderId' } };
    if (this.held.delete(orderId)) return { ok: true, order: this.transition(order, 'canceled', this.market.now(), 'Canceled by the trader before it was sent') };
    if (order.status === 'pending_cancel') return { ok: true, order }; // already asked
    if (!WORKING_ORDER_STATUSES.has(order.status) || !this.broker?.cancel(orderId, this.market.now())) {
      return { ok: false, error: { code: 'not_cancelable', message: `Order ${order.clientOrderId} is ${order.status} and cannot be canceled` } };
    }
    return { ok: true, order: this.orders.get(orderId) ?? order };
  }

  /**
   * Closes every open position (exempt from the risk checks: it only reduces exposure). The
   * symbols' working orders are canceled first, so a repeated flatten or a resting exit never
   * overshoots; where a cancel is still pending at the broker (a remote broker answers later),
   * the closing order goes out once the symbol's orders have ended (never beside one that may
   * still fill), for the position held then
   * (see {@link flattenWaiting}). In the regular session it sends market orders; in extended
   * hours, marketable extended-hours limits 1 % through the NBBO (they fill at the far side).
   */
  flattenAll(): PlaceOrderResult[] {
    const open = this.portfolio.allPositions().filter((p) => p.quantity !== 0);
    const symbols = new Set(open.map((p) => p.symbol));
    for (const order of [...this.working.values()]) if (symbols.has(order.symbol)) this.cancel(order.id);
    const results: PlaceOrderResult[] = [];
    for (const symbol of symbols) {
      if (this.hasWorkingOrders(symbol)) this.flattenAfterCancels.set(symbol, this.wallClock());
      else results.push(this.closePosition(symbol));
    }
    return results;
  }

  /** Symbols whose closing order waits for their canceled orders to end. */
  flattenWaiting(): Symbol[] {
    return [...this.flattenAfterCancels.keys()];
  }

  private hasWorkingOrders(symbol: Symbol): boolean {
    for (const order of this.working.values()) if (order.symbol === symbol) return true;
    return false;
  }

  /** Sends the order that closes the position in `symbol` (nothing to do when flat). */
  private closePosition(symbol: Symbol): PlaceOrderResult {
    const held = this.portfolio.quantityOf(symbol);
    if (held === 0) return { ok: false, error: { code: 'order_rejected', message: `${symbol}: already flat` } };
    const quantity = Math.abs(held);
    const side = held > 0 ? 'sell' : 'buy';
    const now = this.market.now();
    if (this.sessions.kindAt(now) === 'regular') return this.place({ symbol, side, quantity, type: 'market', timeInForce: 'day' }, true);
    const quote = this.market.quote(symbol);
    if (!quote) return { ok: false, error: { code: 'order_rejected', message: `${symbol}: no quote to price a closing order outside the regular session` } };
    const limitPrice = roundToTick(side === 'sell' ? quote.bid * 0.99 : quote.ask * 1.01);
    return this.place({ symbol, side, quantity, type: 'limit', limitPrice, timeInForce: 'day', extendedHours: true }, true);
  }

  /**
   * A waiting flatten goes out when its symbol has no working order left. It never goes out
   * beside an exit that may still fill (that could oversell); a cancel unconfirmed after 10 s
   * makes a remote broker reconcile (once per flatten).
   */
  private serviceFlattens(): void {
    if (this.flattenAfterCancels.size === 0) return;
    const wall = this.wallClock();
    for (const [symbol, since] of [...this.flattenAfterCancels]) {
      if (this.hasWorkingOrders(symbol)) {
        if (since > 0 && wall - since >= 10_000) {
          this.flattenAfterCancels.set(symbol, 0);
          this.events.onAnomaly(`Flatten ${symbol}: cancels unconfirmed after 10 s, asking the broker for the orders' state`);
          this.broker?.refresh?.();
        }
        continue;
      }
      this.flattenAfterCancels.delete(symbol);
      const result = this.closePosition(symbol);
      if (!result.ok && this.portfolio.quantityOf(symbol) !== 0) this.events.onAnomaly(`Flatten ${symbol} failed: ${result.error.message}`);
    }
  }

  /**
   * Cancel/replace: a working order gets a new quantity (shares still to work) and/or prices. The
   * new order is checked like any other; if it fails, the old one keeps working unchanged. If it
   * passes, the old order ends as `replaced` and the new one is sent with a new client_order_id.
   */
  replace(orderId: string, changes: { quantity?: number; limitPrice?: number; stopPrice?: number }, riskExempt = false): PlaceOrderResult {
    const old = this.orders.get(orderId);
    if (!old) return { ok: false, error: { code: 'not_found', message: `No order with id ${orderId}`, field: 'orderId' } };
    if (old.status !== 'new' && old.status !== 'partially_filled') {
      return { ok: false, error: { code: 'not_cancelable', message: `Order ${old.clientOrderId} is ${old.status} and cannot be replaced` } };
    }
    if (changes.limitPrice !== undefined && old.limitPrice === null) return { ok: false, error: { code: 'invalid_command', message: `A ${old.type} order has no limit price`, field: 'limitPrice' } };
    if (changes.stopPrice !== undefined && old.stopPrice === null) return { ok: false, error: { code: 'invalid_command', message: `A ${old.type} order has no stop price`, field: 'stopPrice' } };
    const request: OrderRequest = {
      symbol: old.symbol,
      side: old.side,
      type: old.type,
      timeInForce: old.timeInForce,
      orderClass: old.orderClass,
      ...(old.parentId === null && old.legs && old.orderClass !== 'oco' ? old.legs : {}),
      quantity: changes.quantity ?? old.quantity - old.filledQuantity,
      ...((changes.limitPrice ?? old.limitPrice) !== null ? { limitPrice: (changes.limitPrice ?? old.limitPrice) as number } : {}),
      ...((changes.stopPrice ?? old.stopPrice) !== null ? { stopPrice: (changes.stopPrice ?? old.stopPrice) as number } : {}),
      ...(old.trailPrice !== null ? { trailPrice: old.trailPrice } : {}),
      ...(old.trailPercent !== null ? { trailPercent: old.trailPercent } : {}),
      ...(old.extendedHours ? { extendedHours: true } : {}),
    };
    // The replacement stays in its group: a leg keeps its parent; an oco's take-profit joins the group of the order it replaces.
    // If it fails its checks, the broker is not asked and the old order keeps working unchanged.
    const groupParent = old.parentId ?? (old.orderClass === 'oco' ? old.id : null);
    return this.place(request, riskExempt, groupParent, orderId, changes.quantity !== undefined);
  }

  /** Order round trip (sent to the broker → its first answer), p50 and p99 over the last 1 024 orders, ms; null before the first. */
  roundTrip(): { readonly p50Ms: number; readonly p99Ms: number } | null {
    return this.roundTrips.summary();
  }

  /** Cancels every working order, or those of `symbol`; returns how many cancels were sent. */
  cancelAll(symbol?: Symbol): number {
    let canceled = 0;
    for (const order of [...this.working.values()]) {
      if ((symbol === undefined || order.symbol === symbol) && order.status !== 'pending_cancel' && this.cancel(order.id).ok) canceled++;
    }
    return canceled;
  }

  /** Applies a broker's execution report. */
  apply(report: ExecutionReport): void {
    if (report.kind === 'leg_created' && !this.orders.has(report.orderId)) {
      this.createLeg(report);
      return;
    }
    const order = this.orders.get(report.orderId);
    if (!order) {
      this.events.onAnomaly(`Execution report for unknown order ${report.orderId}`);
      return;
    }
    this.roundTrips.end(report.orderId);
    switch (report.kind) {
      case 'accepted': {
        // A fill that beat the acknowledgement already moved the order on.
        if (order.status !== 'pending_new') return;
        const sized = report.quantity !== undefined && report.quantity > 0 && report.quantity !== order.quantity ? { ...order, quantity: report.quantity } : order;
        const accepted = this.transition(sized, 'new', report.time, null);
        if (!this.broker?.managesOrderClasses) this.cancelIfGroupDone(accepted);
        return;
      }
      case 'fill':
        this.applyFill(order, report.price, report.quantity, report.time);
        return;
      case 'pending_cancel':
      case 'pending_replace':
        if (order.status !== report.kind) this.transition(order, report.kind, report.time, order.reason);
        return;
      case 'cancel_rejected':
      case 'replace_rejected':
        if (isPendingChange(order.status) || order.status === 'pending_new') {
          const back = order.status === 'pending_new' ? 'new' : order.filledQuantity > 0 ? 'partially_filled' : 'new';
          this.transition(order, back, report.time, report.reason);
        }
        return;
      case 'replaced':
        this.transition(order, 'replaced', report.time, `Replaced by ${this.orders.get(report.replacementId)?.clientOrderId ?? report.replacementId}`);
        return;
      case 'leg_created':
        this.events.onAnomaly(`Leg report ${report.orderId} reuses an existing order id`);
        return;
      default:
        this.transition(order, report.kind, report.time, report.reason);
    }
  }

  /** A leg the broker created on its side (an Alpaca bracket's exits) becomes a local order of its group. */
  private createLeg(report: Extract<ExecutionReport, { kind: 'leg_created' }>): void {
    const parent = this.orders.get(report.parentId);
    if (!parent) {
      this.events.onAnomaly(`Leg ${report.clientOrderId} of unknown order ${report.parentId}`);
      return;
    }
    this.record({
      id: report.orderId,
      clientOrderId: report.clientOrderId,
      symbol: parent.symbol,
      side: report.side,
      type: report.type,
      timeInForce: parent.timeInForce,
      quantity: report.quantity,
      limitPrice: report.limitPrice,
      stopPrice: report.stopPrice,
      trailPrice: null,
      trailPercent: null,
      extendedHours: false,
      orderClass: parent.orderClass,
      legs: null,
      parentId: parent.id,
      status: 'new',
      filledQuantity: 0,
      averageFillPrice: null,
      reason: null,
      createdAt: report.time,
      updatedAt: report.time,
    });
  }

  private applyFill(order: Order, price: number, quantity: number, time: number): void {
    const filledQuantity = order.filledQuantity + quantity;
    // A partial fill while a cancel or replace is pending leaves the request pending.
    const status: OrderStatus = filledQuantity >= order.quantity ? 'filled' : isPendingChange(order.status) ? order.status : 'partially_filled';
    if (!canTransition(order.status, status) || filledQuantity > order.quantity) {
      this.events.onAnomaly(`Fill of ${quantity} for order ${order.clientOrderId} in state ${order.status} ignored`);
      return;
    }
    const averageFillPrice = ((order.averageFillPrice ?? 0) * order.filledQuantity + price * quantity) / filledQuantity;
    const updated: Order = { ...order, status, filledQuantity, averageFillPrice, updatedAt: time };
    const fill: Fill = {
      id: randomUUID(),
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      quantity,
      price,
      time,
    };
    this.record(updated, fill);
    this.risk.recordFill(time);
    const position = this.portfolio.applyFill(fill);
    this.events.onFill(fill, position);
    if (this.broker?.managesOrderClasses) return;
    this.resizeSiblings(updated);
    if (status === 'filled' && updated.parentId === null && updated.legs && (updated.orderClass === 'bracket' || updated.orderClass === 'oto')) {
      this.armLegs(updated, updated.legs, updated.filledQuantity, updated.side === 'buy' ? 'sell' : 'buy');
    }
  }

  /** Sends the exit legs of `parent` (exempt from the risk checks: they only reduce exposure). */
  private armLegs(parent: Order, legs: NonNullable<Order['legs']>, quantity: number, side: Order['side']): void {
    const base = { symbol: parent.symbol, side, quantity, timeInForce: parent.timeInForce, orderClass: parent.orderClass } as const;
    if (legs.takeProfit) this.place({ ...base, type: 'limit', limitPrice: legs.takeProfit.limitPrice }, true, parent.id);
    if (legs.stopLoss) {
      const { stopPrice, limitPrice } = legs.stopLoss;
      this.place(limitPrice === undefined ? { ...base, type: 'stop', stopPrice } : { ...base, type: 'stop_limit', stopPrice, limitPrice }, true, parent.id);
    }
    // An exit that filled on arrival (before its sibling existed) cancels the sibling now.
    const group = parent.id;
    const filledExit = [...this.orders.values()].find((o) => (o.parentId === group || (parent.orderClass === 'oco' && o.id === group)) && o.filledQuantity > 0);
    if (filledExit) this.resizeSiblings(filledExit);
  }

  /**
   * Shares still to fill of the working orders of `symbol` on `side`, leaving out `excludeId` (an
   * order being replaced). Exits of one group (bracket legs, an oco pair) are alternatives: the
   * group counts once, as its largest.
   */
  private workingQuantity(symbol: Symbol, side: Order['side'], excludeId: string | null = null): number {
    const byGroup = new Map<string, number>();
    for (const o of this.working.values()) {
      if (o.id === excludeId || o.symbol !== symbol || o.side !== side) continue;
      const key = o.parentId ?? o.id;
      byGroup.set(key, Math.max(byGroup.get(key) ?? 0, o.quantity - o.filledQuantity));
    }
    let total = 0;
    for (const quantity of byGroup.values()) total += quantity;
    return total;
  }

  /**
   * An exit of a bracket or oco filled (all or part): the other exits of the group now protect
   * only what is left. A full fill cancels them; a partial fill shrinks them to the shares the
   * filled exit still has to work, so the position is never left without its stop and the exits
   * together never sell more than is held.
   */
  private resizeSiblings(filled: Order): void {
    const group = filled.parentId ?? (filled.orderClass === 'oco' ? filled.id : null);
    if (group === null) return;
    const left = filled.quantity - filled.filledQuantity;
    for (const order of [...this.working.values()]) {
      const inGroup = order.parentId === group || order.id === group;
      if (!inGroup || order.id === filled.id || order.side !== filled.side) continue;
      // Done: every other exit goes, including one still on its way (held, unacknowledged, being replaced).
      if (left <= 0 || this.held.has(order.id)) {
        this.cancel(order.id);
        continue;
      }
      if (order.status !== 'new' && order.status !== 'partially_filled') continue;
      const unfilled = order.quantity - order.filledQuantity;
      if (unfilled > left) {
        const result = this.replace(order.id, { quantity: left }, true);
        if (!result.ok) this.events.onAnomaly(`Could not resize exit ${order.clientOrderId} to ${left} shares: ${result.error.message}`);
      }
    }
  }

  /** An exit acknowledged after another exit of its group filled completely (it was in flight): cancel it. */
  private cancelIfGroupDone(exit: Order): void {
    const group = exit.parentId;
    if (group === null) return;
    const done = [...this.orders.values()].some(
      (o) => o.id !== exit.id && (o.parentId === group || o.id === group) && o.side === exit.side && o.status === 'filled',
    );
    if (done) this.cancel(exit.id);
  }

  private transition(order: Order, status: OrderStatus, time: number, reason: string | null): Order {
    if (!canTransition(order.status, status)) {
      this.events.onAnomaly(`Order ${order.clientOrderId}: ${order.status} → ${status} is not allowed`);
      return order;
    }
    const updated = this.record({ ...order, status, reason, updatedAt: time });
    // A bracket or oto entry that ends partly filled still protects what it bought.
    if (!this.broker?.managesOrderClasses && (status === 'canceled' || status === 'expired') && updated.filledQuantity > 0 && updated.parentId === null && updated.legs && (updated.orderClass === 'bracket' || updated.orderClass === 'oto')) {
      this.armLegs(updated, updated.legs, updated.filledQuantity, updated.side === 'buy' ? 'sell' : 'buy');
    }
    return updated;
  }

  /** Saves and applies an order's first state; returns why it could not be saved, or null. */
  private tryRecord(order: Order): string | null {
    try {
      this.store.save(order, null);
    } catch (error) {
      this.failStore(error);
      return this.storeError;
    }
    try {
      this.events.syncStore?.();
    } catch (error) {
      this.failStore(error);
      // Committed but maybe not on disk, and never sent: it must not come back as working.
      try {
        this.store.save({ ...order, status: 'rejected', reason: `Not sent: the database could not be synced (${this.storeError ?? ''})` }, null);
      } catch {
        // The store is failing: the order was never sent, and the trader has been alerted.
      }
      return this.storeError;
    }
    this.setOrder(order);
    this.events.onOrder(order);
    return null;
  }

  /** The store failed outside an order write (e.g. syncing it to disk): alert, and refuse new orders until it writes again. */
  storeFailed(error: unknown): void {
    this.failStore(error);
  }

  /** Keeps an order's latest state, and the working index with it. */
  private setOrder(order: Order): void {
    this.orders.set(order.id, order);
    if (WORKING_ORDER_STATUSES.has(order.status)) this.working.set(order.id, order);
    else this.working.delete(order.id);
  }

  private failStore(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.storeError !== message) this.events.onStoreFailure?.(message);
    this.storeError = message;
  }

  /**
   * While the store is failing, checks (once a call) whether it can write again; new orders are
   * accepted again when it can. Call periodically.
   */
  checkStore(): void {
    if (this.storeError === null) return;
    try {
      this.store.probeWritable();
      this.events.syncStore?.();
    } catch (error) {
      this.failStore(error);
      return;
    }
    this.storeError = null;
    this.events.onStoreFailure?.(null);
  }

  /**
   * Writes an order change (and fill) before telling anyone. When the store cannot write, the
   * change is still applied in memory and shown (a fill at the broker happened whatever the
   * disk), the trader is alerted, and new orders are refused until the store writes again.
   */
  private record(order: Order, fill: Fill | null = null): Order {
    try {
      this.store.save(order, fill);
    } catch (error) {
      this.failStore(error);
      this.events.onAnomaly(`Order ${order.clientOrderId} (${order.status}${fill ? `, fill of ${fill.quantity}` : ''}) could not be saved: ${this.storeError ?? ''}`);
    }
    this.setOrder(order);
    this.events.onOrder(order);
    if (this.flattenAfterCancels.has(order.symbol) && !WORKING_ORDER_STATUSES.has(order.status)) this.serviceFlattens();
    return order;
  }
}

/**
 * Times from an order's submission to the broker's first answer about it (acknowledged, filled
 * or rejected), in a fixed ring of the last {@link ROUND_TRIP_SAMPLES}. Monotonic clock.
 */
class RoundTripTimes {
  private readonly pending = new Map<string, number>();
  private readonly samples = new Float64Array(ROUND_TRIP_SAMPLES);
  private next = 0;
  private filled = 0;

  start(orderId: string): void {
    if (this.pending.size >= ROUND_TRIP_SAMPLES) this.pending.clear();
    this.pending.set(orderId, performance.now());
  }

  end(orderId: string): void {
    const startedAt = this.pending.get(orderId);
    if (startedAt === undefined) return;
    this.pending.delete(orderId);
    this.samples[this.next] = performance.now() - startedAt;
    this.next = (this.next + 1) % ROUND_TRIP_SAMPLES;
    this.filled = Math.min(this.filled + 1, ROUND_TRIP_SAMPLES);
  }

  summary(): { readonly p50Ms: number; readonly p99Ms: number } | null {
    if (this.filled === 0) return null;
    const sorted = this.samples.slice(0, this.filled).sort();
    return { p50Ms: percentileOfSorted(sorted, 0.5) as number, p99Ms: percentileOfSorted(sorted, 0.99) as number };
  }
}

const ROUND_TRIP_SAMPLES = 1_024;
