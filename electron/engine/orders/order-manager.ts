/**
 * Order management: turns a trader's order request into an order with a client_order_id, runs
 * the pre-trade checks, sends it to the broker and applies the broker's execution reports.
 *
 * Every change is written to the store before anyone is told (the write is the
 * acknowledgement), then published; fills update the portfolio.
 */
import { randomUUID } from 'node:crypto';
import type { Fill, Order, OrderRequest, OrderStatus, Position, Quote, Settings, Symbol } from '../../../shared/domain';
import { WORKING_ORDER_STATUSES } from '../../../shared/domain';
import type { CommandError } from '../../../shared/protocol';
import type { Broker, ExecutionReport } from '../brokers/broker';
import type { Portfolio } from '../portfolio/portfolio';
import { checkOrder } from '../risk/pre-trade-checks';
import type { RiskEngine } from '../risk/risk-engine';
import type { OrderStore } from '../store/order-store';
import { canTransition } from './order-state';
import { SessionCursor } from '../market/session-clock';
import { roundToTick } from '../../../shared/price';

/** What the order manager tells the rest of the engine. */
export interface OrderEvents {
  onOrder(order: Order): void;
  onFill(fill: Fill, position: Position): void;
  /** Logged, never thrown: a report that does not fit the order's state. */
  onAnomaly(message: string): void;
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
  private readonly sessions = new SessionCursor();
  private broker: Broker | null = null;

  constructor(
    private readonly store: OrderStore,
    private readonly portfolio: Portfolio,
    private readonly market: MarketView,
    private readonly limits: () => Settings['risk'],
    private readonly events: OrderEvents,
    private readonly risk: RiskEngine,
  ) {}

  /** Connects the broker, and re-arms the orders that were working before a restart. */
  attachBroker(broker: Broker): void {
    this.broker = broker;
    for (const order of this.orders.values()) if (WORKING_ORDER_STATUSES.has(order.status) && order.status !== 'pending_new') broker.restore(order);
  }

  /** Loads orders and fills from the store and rebuilds positions from the fills. */
  restore(): void {
    for (const order of this.store.loadOrders()) this.orders.set(order.id, order);
    for (const fill of this.store.loadFills()) this.portfolio.applyFill(fill);
    const now = this.market.now();
    // An order left pending_new was never acknowledged by the broker: it did not reach it.
    for (const order of this.orders.values()) {
      if (order.status === 'pending_new') this.transition(order, 'rejected', now, 'Not sent: the engine stopped before the broker acknowledged it');
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
  place(request: OrderRequest, riskExempt = false, parentId: string | null = null, replacing: string | null = null): PlaceOrderResult {
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
          limits: this.limits(),
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
    this.record(order);
    this.risk.recordOrder(now);
    if (!this.broker) {
      const rejected = this.transition(order, 'rejected', now, 'No broker is connected');
      return { ok: false, error: { code: 'order_rejected', message: 'No broker is connected' }, order: rejected };
    }
    this.broker.submit(order, quote, now);
    const current = this.orders.get(order.id) ?? order;
    if (current.status === 'rejected') {
      return { ok: false, error: { code: 'order_rejected', message: current.reason ?? 'Rejected by the broker' }, order: current };
    }
    // An oco order is its take-profit; the stop-loss works beside it from the start.
    const unfilled = current.quantity - current.filledQuantity;
    if (order.orderClass === 'oco' && parentId === null && order.legs?.stopLoss && WORKING_ORDER_STATUSES.has(current.status) && unfilled > 0) {
      this.armLegs(current, { stopLoss: order.legs.stopLoss }, unfilled, current.side);
    }
    return { ok: true, order: this.orders.get(order.id) ?? current };
  }

  /** Asks the broker to cancel a working order. */
  cancel(orderId: string): { ok: true; order: Order } | { ok: false; error: CommandError } {
    const order = this.orders.get(orderId);
    if (!order) return { ok: false, error: { code: 'not_found', message: `No order with id ${orderId}`, field: 'orderId' } };
    if (!WORKING_ORDER_STATUSES.has(order.status) || !this.broker?.cancel(orderId, this.market.now())) {
      return { ok: false, error: { code: 'not_cancelable', message: `Order ${order.clientOrderId} is ${order.status} and cannot be canceled` } };
    }
    return { ok: true, order: this.orders.get(orderId) ?? order };
  }

  /**
   * Closes every open position (exempt from the risk checks: it only reduces exposure). The
   * symbols' working orders are canceled first, so a repeated flatten or a resting exit never
   * overshoots. In the regular session it sends market orders; in extended hours, marketable
   * extended-hours limits 1 % through the NBBO (they fill at the far side).
   */
  flattenAll(): PlaceOrderResult[] {
    const open = this.portfolio.allPositions().filter((p) => p.quantity !== 0);
    const symbols = new Set(open.map((p) => p.symbol));
    for (const order of [...this.orders.values()]) {
      if (symbols.has(order.symbol) && WORKING_ORDER_STATUSES.has(order.status) && order.status !== 'pending_new') this.cancel(order.id);
    }
    const now = this.market.now();
    const regular = this.sessions.kindAt(now) === 'regular';
    return open.map((p) => {
      const quantity = Math.abs(this.portfolio.quantityOf(p.symbol));
      const side = p.quantity > 0 ? 'sell' : 'buy';
      if (regular) return this.place({ symbol: p.symbol, side, quantity, type: 'market', timeInForce: 'day' }, true);
      const quote = this.market.quote(p.symbol);
      if (!quote) {
        return { ok: false, error: { code: 'order_rejected', message: `${p.symbol}: no quote to price a closing order outside the regular session` } };
      }
      const limitPrice = roundToTick(side === 'sell' ? quote.bid * 0.99 : quote.ask * 1.01);
      return this.place({ symbol: p.symbol, side, quantity, type: 'limit', limitPrice, timeInForce: 'day', extendedHours: true }, true);
    });
  }

  /**
   * Cancel/replace: a working order gets a new quantity (shares still to work) and/or prices. The
   * new order is checked like any other; if it fails, the old one keeps working unchanged. If it
   * passes, the old order ends as `replaced` and the new one is sent with a new client_order_id.
   */
  replace(orderId: string, changes: { quantity?: number; limitPrice?: number; stopPrice?: number }): PlaceOrderResult {
    const old = this.orders.get(orderId);
    if (!old) return { ok: false, error: { code: 'not_found', message: `No order with id ${orderId}`, field: 'orderId' } };
    if (!WORKING_ORDER_STATUSES.has(old.status) || old.status === 'pending_new') {
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
    const broker = this.broker;
    if (!broker?.detach(orderId)) return { ok: false, error: { code: 'not_cancelable', message: `Order ${old.clientOrderId} is no longer working` } };
    const now = this.market.now();
    // The replacement stays in its group: a leg keeps its parent; an oco's take-profit joins the group of the order it replaces.
    const groupParent = old.parentId ?? (old.orderClass === 'oco' ? old.id : null);
    const result = this.place(request, false, groupParent, orderId);
    if (!result.ok) {
      broker.restore(this.orders.get(orderId) ?? old); // the replacement failed its checks: the old order keeps working
      return result;
    }
    this.transition(this.orders.get(orderId) ?? old, 'replaced', now, `Replaced by ${result.order.clientOrderId}`);
    return result;
  }

  /** Cancels every working order; returns how many were canceled. */
  cancelAll(): number {
    let canceled = 0;
    for (const order of [...this.orders.values()]) if (WORKING_ORDER_STATUSES.has(order.status) && this.cancel(order.id).ok) canceled++;
    return canceled;
  }

  /** Applies a broker's execution report. */
  apply(report: ExecutionReport): void {
    const order = this.orders.get(report.orderId);
    if (!order) {
      this.events.onAnomaly(`Execution report for unknown order ${report.orderId}`);
      return;
    }
    switch (report.kind) {
      case 'accepted':
        this.transition(order, 'new', report.time, null);
        return;
      case 'fill':
        this.applyFill(order, report.price, report.quantity, report.time);
        return;
      default:
        this.transition(order, report.kind, report.time, report.reason);
    }
  }

  private applyFill(order: Order, price: number, quantity: number, time: number): void {
    const filledQuantity = order.filledQuantity + quantity;
    const status: OrderStatus = filledQuantity >= order.quantity ? 'filled' : 'partially_filled';
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
    this.cancelSiblings(updated);
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
    if (filledExit) this.cancelSiblings(filledExit);
  }

  /**
   * Shares still to fill of the working orders of `symbol` on `side`, leaving out `excludeId` (an
   * order being replaced). Exits of one group (bracket legs, an oco pair) are alternatives: the
   * group counts once, as its largest.
   */
  private workingQuantity(symbol: Symbol, side: Order['side'], excludeId: string | null = null): number {
    const byGroup = new Map<string, number>();
    for (const o of this.orders.values()) {
      if (o.id === excludeId || o.symbol !== symbol || o.side !== side || !WORKING_ORDER_STATUSES.has(o.status)) continue;
      const key = o.parentId ?? o.id;
      byGroup.set(key, Math.max(byGroup.get(key) ?? 0, o.quantity - o.filledQuantity));
    }
    let total = 0;
    for (const quantity of byGroup.values()) total += quantity;
    return total;
  }

  /** One exit of a bracket or oco filled: the other exits of the group are canceled. */
  private cancelSiblings(filled: Order): void {
    const group = filled.parentId ?? (filled.orderClass === 'oco' ? filled.id : null);
    if (group === null) return;
    for (const order of this.orders.values()) {
      const inGroup = order.parentId === group || order.id === group;
      if (!inGroup || order.id === filled.id || !WORKING_ORDER_STATUSES.has(order.status) || order.status === 'pending_new') continue;
      this.broker?.cancel(order.id, filled.updatedAt);
    }
  }

  private transition(order: Order, status: OrderStatus, time: number, reason: string | null): Order {
    if (!canTransition(order.status, status)) {
      this.events.onAnomaly(`Order ${order.clientOrderId}: ${order.status} → ${status} is not allowed`);
      return order;
    }
    const updated = this.record({ ...order, status, reason, updatedAt: time });
    // A bracket or oto entry that ends partly filled still protects what it bought.
    if ((status === 'canceled' || status === 'expired') && updated.filledQuantity > 0 && updated.parentId === null && updated.legs && (updated.orderClass === 'bracket' || updated.orderClass === 'oto')) {
      this.armLegs(updated, updated.legs, updated.filledQuantity, updated.side === 'buy' ? 'sell' : 'buy');
    }
    return updated;
  }

  private record(order: Order, fill: Fill | null = null): Order {
    this.store.save(order, fill);
    this.orders.set(order.id, order);
    this.events.onOrder(order);
    return order;
  }
}
