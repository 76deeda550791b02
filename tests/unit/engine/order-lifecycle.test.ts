import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import type { Broker, ExecutionReportListener } from '../../../electron/engine/brokers/broker';
import { canTransition } from '../../../electron/engine/orders/order-state';
import { DAY, openDesk, orderRequest as order, type TradingDesk } from '../../support/trading-desk';

let desk: TradingDesk;
afterEach(() => desk?.close());

const statusOf = (id: string): Order | undefined => desk.manager.allOrders().find((o) => o.id === id);
const idOf = (result: ReturnType<TradingDesk['manager']['place']>): string => (result.ok ? result.order.id : (result.order?.id ?? ''));

/** A paper broker whose delayed requests run when the test says so. */
function delayedPaper(): { tasks: Array<() => void>; run: () => void } {
  const tasks: Array<() => void> = [];
  return {
    tasks,
    run: () => {
      while (tasks.length) tasks.shift()?.();
    },
  };
}

describe('order state machine', () => {
  it('refuses transitions out of terminal states and skips no step of a cancel', () => {
    for (const terminal of ['filled', 'canceled', 'expired', 'rejected', 'replaced'] as const) {
      for (const to of ['new', 'partially_filled', 'filled', 'canceled', 'pending_cancel'] as const) expect(canTransition(terminal, to)).toBe(false);
    }
    expect(canTransition('new', 'pending_cancel')).toBe(true);
    expect(canTransition('pending_cancel', 'filled')).toBe(true); // the cancel lost the race
    expect(canTransition('pending_cancel', 'new')).toBe(true); // the broker refused the cancel
    expect(canTransition('pending_new', 'replaced')).toBe(false);
    expect(canTransition('pending_cancel', 'rejected')).toBe(true); // canceled before the broker refused it
  });

  it('an illegal report is logged as an anomaly, the order is unchanged, and every transition is audited', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    const id = idOf(desk.manager.place(order({ type: 'limit', limitPrice: 99 })));
    desk.manager.cancel(id);
    desk.manager.apply({ kind: 'fill', orderId: id, price: 99, quantity: 100, time: desk.clock });
    expect(statusOf(id)?.status).toBe('canceled');
    expect(desk.anomalies.some((a) => a.includes('ignored'))).toBe(true);
    const audit = desk.db.prepare<[string], { status: string }>('SELECT status FROM order_events WHERE order_id = ? ORDER BY seq').all(id);
    expect(audit.map((a) => a.status)).toEqual(['pending_new', 'new', 'canceled']);
  });
});

describe('paper broker latency', () => {
  it('an order reaches the paper exchange after the latency and meets the quote of that moment', () => {
    const clock = delayedPaper();
    desk = openDesk({ paper: { latencyMs: () => 50, schedule: (task) => clock.tasks.push(task) } });
    desk.quote(100, 100.02);
    const id = idOf(desk.manager.place(order()));
    expect(statusOf(id)?.status).toBe('pending_new');
    desk.quote(100.1, 100.12);
    clock.run();
    expect(statusOf(id)).toMatchObject({ status: 'filled', averageFillPrice: 100.12 });
  });

  it('a cancel shows pending_cancel, and a fill that beats it is kept: the trader owns those shares', () => {
    const clock = delayedPaper();
    desk = openDesk({ paper: { latencyMs: () => 50, schedule: (task) => clock.tasks.push(task) } });
    desk.quote(100, 100.02);
    const id = idOf(desk.manager.place(order({ type: 'limit', limitPrice: 100 })));
    clock.run();
    expect(statusOf(id)?.status).toBe('new');
    expect(desk.manager.cancel(id).ok).toBe(true);
    expect(statusOf(id)?.status).toBe('pending_cancel');
    desk.quote(99.98, 100); // the ask comes down to the limit before the cancel arrives
    expect(statusOf(id)).toMatchObject({ status: 'filled', filledQuantity: 100 });
    clock.run();
    expect(statusOf(id)?.status).toBe('filled');
    expect(desk.portfolio.quantityOf('IBM')).toBe(100);
  });
});

describe('cancel/replace safety', () => {
  it('a replacement the paper exchange refuses leaves the old order working (the stop stays)', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    const stop = idOf(desk.manager.place(order({ side: 'sell', type: 'stop', stopPrice: 99, timeInForce: 'gtc' })));
    desk.clock = DAY.regularClose + 60 * 60_000; // 17:00 ET: a stop cannot be placed after hours
    const result = desk.manager.replace(stop, { stopPrice: 98.5 });
    expect(result.ok).toBe(false);
    expect(statusOf(stop)).toMatchObject({ status: 'new', stopPrice: 99 });
  });

  it('shares filled while a replace travels come off the replacement: an exit never oversells', () => {
    const clock = delayedPaper();
    desk = openDesk({ paper: { latencyMs: () => 50, schedule: (task) => clock.tasks.push(task) } });
    desk.quote(100, 100.02, 'IBM', 1000);
    desk.manager.place(order({ quantity: 100 }));
    clock.run();
    const exit = idOf(desk.manager.place(order({ side: 'sell', type: 'limit', limitPrice: 101, quantity: 100 })));
    clock.run();
    desk.manager.replace(exit, { limitPrice: 100.5 });
    expect(statusOf(exit)?.status).toBe('pending_replace');
    desk.quote(101, 101.02, 'IBM', 60); // 60 shares fill at 101 before the replace arrives
    clock.run();
    const replacement = desk.manager.allOrders().find((o) => o.clientOrderId !== statusOf(exit)?.clientOrderId && o.side === 'sell' && o.status === 'new');
    expect(statusOf(exit)?.status).toBe('replaced');
    expect(replacement?.quantity).toBe(40);
    desk.quote(100.5, 100.52, 'IBM', 1000);
    expect(desk.portfolio.quantityOf('IBM')).toBe(0);
  });

  it('the kill switch cancels an order still on its way to the paper exchange', () => {
    const clock = delayedPaper();
    desk = openDesk({ paper: { latencyMs: () => 50, schedule: (task) => clock.tasks.push(task) } });
    desk.quote(100, 100.02);
    const id = idOf(desk.manager.place(order()));
    expect(desk.manager.cancelAll()).toBe(1);
    expect(statusOf(id)?.status).toBe('pending_cancel');
    clock.run();
    expect(statusOf(id)?.status).toBe('canceled');
    expect(desk.portfolio.quantityOf('IBM')).toBe(0);
  });

  it('an exit still being resized when the other exit completes is canceled, not left to sell short', () => {
    const clock = delayedPaper();
    desk = openDesk({ paper: { latencyMs: () => 50, schedule: (task) => clock.tasks.push(task) } });
    desk.quote(100, 100.02, 'IBM', 1000);
    desk.manager.place(order({ quantity: 100, orderClass: 'bracket', takeProfit: { limitPrice: 101 }, stopLoss: { stopPrice: 99 } }));
    clock.run();
    clock.run();
    desk.quote(101, 101.02, 'IBM', 40); // take-profit fills 40: the stop is being resized to 60
    desk.quote(101, 101.03, 'IBM', 100); // ...and the other 60 fill before that arrives
    clock.run();
    clock.run();
    expect(desk.portfolio.quantityOf('IBM')).toBe(0);
    expect(desk.manager.allOrders().filter((o) => o.type === 'stop' && ['new', 'partially_filled', 'pending_new', 'pending_replace'].includes(o.status))).toEqual([]);
    desk.quote(98, 98.02, 'IBM', 1000);
    desk.trade(98);
    clock.run();
    expect(desk.portfolio.quantityOf('IBM')).toBe(0);
  });
});

describe('bracket exits follow partial fills', () => {
  it('a take-profit filling in part shrinks the stop-loss to the shares still held; its full fill cancels the stop', () => {
    desk = openDesk();
    desk.quote(100, 100.02, 'IBM', 1000);
    desk.manager.place(order({ quantity: 300, orderClass: 'bracket', takeProfit: { limitPrice: 101 }, stopLoss: { stopPrice: 99 } }));
    const exits = () => desk.manager.allOrders().filter((o) => o.parentId !== null && o.status !== 'replaced');
    expect(exits().map((o) => [o.type, o.quantity, o.status])).toEqual([
      ['limit', 300, 'new'],
      ['stop', 300, 'new'],
    ]);
    desk.quote(101, 101.02, 'IBM', 120); // 120 shares bid at the take-profit
    const stop = () => exits().find((o) => o.type === 'stop' && o.status === 'new');
    expect(stop()?.quantity).toBe(180);
    expect(desk.portfolio.quantityOf('IBM')).toBe(180);
    desk.quote(101, 101.02, 'IBM', 500);
    expect(desk.portfolio.quantityOf('IBM')).toBe(0);
    expect(stop()).toBeUndefined();
    expect(desk.manager.allOrders().filter((o) => o.type === 'stop').map((o) => o.status)).toEqual(['replaced', 'canceled']);
  });

  it('the stop that triggers later sells only what is left, never going short', () => {
    desk = openDesk();
    desk.quote(100, 100.02, 'IBM', 1000);
    desk.manager.place(order({ quantity: 300, orderClass: 'bracket', takeProfit: { limitPrice: 101 }, stopLoss: { stopPrice: 99 } }));
    desk.quote(101, 101.02, 'IBM', 100);
    desk.quote(98.9, 98.92, 'IBM', 1000);
    desk.trade(98.9);
    expect(desk.portfolio.quantityOf('IBM')).toBe(0);
    expect(desk.manager.allOrders().filter((o) => o.parentId !== null && o.type === 'limit' && o.status !== 'replaced').map((o) => o.status)).toEqual(['canceled']);
  });
});

/** A broker whose order-update stream can be switched off. */
class GatedPaper implements Broker {
  readonly managesOrderClasses = false;
  ready = false;
  readonly sent: Order[] = [];
  constructor(private readonly report: ExecutionReportListener) {}
  health(): ReturnType<Broker['health']> {
    return { provider: 'alpaca', mode: 'paper', state: this.ready ? 'connected' : 'disconnected', streamUp: this.ready, lastReconciledAt: null, detail: null };
  }
  readiness(): ReturnType<Broker['readiness']> {
    return this.ready ? { ready: true } : { ready: false, reason: "The broker's order-update stream is down" };
  }
  submit(order: Order, _q: unknown, now: number): void {
    this.sent.push(order);
    this.report({ kind: 'accepted', orderId: order.id, time: now });
  }
  cancel(orderId: string, now: number): boolean {
    this.report({ kind: 'canceled', orderId, time: now, reason: 'Canceled by the trader' });
    return true;
  }
  replace(): void {}
  restore(): void {}
  onQuote(): void {}
  onTrade(): void {}
  onClock(): void {}
  close(): void {}
}

describe('while the broker stream is down', () => {
  it('hold: the order waits, says why, and goes out once the stream is back', () => {
    let gated: GatedPaper | null = null;
    desk = openDesk({ makeBroker: (report) => (gated = new GatedPaper(report)) });
    const broker = gated as unknown as GatedPaper;
    desk.quote(100, 100.02);
    const placed = desk.manager.place(order());
    expect(placed).toMatchObject({ ok: true, order: { status: 'pending_new', reason: expect.stringContaining('Held') } });
    expect(desk.manager.heldCount()).toBe(1);
    expect(broker.sent).toHaveLength(0);
    broker.ready = true;
    desk.manager.serviceHeld();
    expect(broker.sent).toHaveLength(1);
    expect(statusOf(idOf(placed))).toMatchObject({ status: 'new', reason: null });
  });

  it('hold: an order held longer than the setting is canceled, not sent into a moved market', () => {
    let wall = 1_000_000;
    let gated: GatedPaper | null = null;
    desk = openDesk({ makeBroker: (report) => (gated = new GatedPaper(report)), broker: { maxHoldSeconds: 30 }, wallClock: () => wall });
    const broker = gated as unknown as GatedPaper;
    desk.quote(100, 100.02);
    const id = idOf(desk.manager.place(order()));
    wall += 31_000;
    broker.ready = true;
    desk.manager.serviceHeld();
    expect(broker.sent).toHaveLength(0);
    expect(statusOf(id)).toMatchObject({ status: 'canceled', reason: expect.stringContaining('Held 31 s') });
  });

  it('refuse: the order is rejected with the reason', () => {
    desk = openDesk({ makeBroker: (report) => new GatedPaper(report), broker: { whenStreamDown: 'refuse' } });
    desk.quote(100, 100.02);
    const placed = desk.manager.place(order());
    expect(placed).toMatchObject({ ok: false, error: { message: expect.stringContaining('order-update stream is down') } });
  });
});

describe('cancel all', () => {
  it('for one symbol leaves the other symbols\' orders working', () => {
    desk = openDesk();
    desk.quote(100, 100.02, 'IBM');
    desk.quote(160, 160.02, 'SPY');
    const ibm = [idOf(desk.manager.place(order({ type: 'limit', limitPrice: 99 }))), idOf(desk.manager.place(order({ type: 'limit', limitPrice: 98 })))];
    const spy = idOf(desk.manager.place(order({ symbol: 'SPY', type: 'limit', limitPrice: 159 })));
    expect(desk.manager.cancelAll('IBM')).toBe(2);
    expect(ibm.map((id) => statusOf(id)?.status)).toEqual(['canceled', 'canceled']);
    expect(statusOf(spy)?.status).toBe('new');
    expect(desk.manager.cancelAll()).toBe(1);
    expect(statusOf(spy)?.status).toBe('canceled');
  });
});
