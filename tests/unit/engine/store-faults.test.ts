/**
 * Fault drill: the database stops accepting writes (a read-only file, a full disk). Orders are
 * refused with a clear message and never reach the broker unsaved; a fill the broker makes
 * meanwhile is still applied and shown; when the disk writes again, orders are accepted again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDesk, orderRequest as order, type TradingDesk } from '../../support/trading-desk';

let desk: TradingDesk;
afterEach(() => desk?.close());

const rows = (table: string): number => desk.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n ?? 0;

describe('a database that cannot be written', () => {
  it('refuses new orders with the reason, sends nothing, writes nothing; accepts them again once it can write', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    expect(desk.manager.place(order({ type: 'limit', limitPrice: 99 })).ok).toBe(true);
    const before = { orders: rows('orders'), events: rows('order_events') };
    desk.db.pragma('query_only = ON'); // every write now fails, as on a read-only file
    const refused = desk.manager.place(order({ quantity: 50 }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'order_rejected', message: expect.stringMatching(/^Not sent: the order could not be saved \(.*readonly.*\)\. New orders are refused/) } });
    expect(desk.portfolio.quantityOf('IBM')).toBe(0); // the market order never reached the paper broker
    desk.manager.checkStore(); // still failing
    expect(desk.manager.place(order({ quantity: 10 })).ok).toBe(false);
    desk.db.pragma('query_only = OFF');
    expect({ orders: rows('orders'), events: rows('order_events') }).toEqual(before); // nothing half-written
    desk.manager.checkStore();
    expect(desk.manager.place(order({ quantity: 10 })).ok).toBe(true);
    expect(desk.portfolio.quantityOf('IBM')).toBe(10);
  });

  it('a fill while the disk fails is applied and shown, and logged as not saved', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    const resting = desk.manager.place(order({ type: 'limit', limitPrice: 99.9, quantity: 100 }));
    expect(resting.ok).toBe(true);
    desk.db.pragma('query_only = ON');
    desk.quote(99.8, 99.85);
    expect(desk.portfolio.quantityOf('IBM')).toBe(100);
    expect(desk.manager.allOrders().find((o) => o.id === (resting.ok ? resting.order.id : ''))?.status).toBe('filled');
    expect(desk.anomalies.some((a) => /could not be saved/.test(a))).toBe(true);
    expect(desk.manager.place(order({ side: 'sell', quantity: 100 })).ok).toBe(false);
    desk.db.pragma('query_only = OFF');
  });
});
