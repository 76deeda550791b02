/** Regressions for order-handling bugs found in review: each would have left a trader exposed. */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, openDesk, orderRequest, type TradingDesk } from '../../support/trading-desk';

let desk: TradingDesk;
afterEach(() => desk?.close());

const order = orderRequest;
const byType = (type: string) => desk.manager.allOrders().filter((o) => o.type === type);

describe('order safety', () => {
  it('a bracket whose take-profit fills at once leaves no stop-loss working', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    desk.manager.place(order({ orderClass: 'bracket', takeProfit: { limitPrice: 99.9 }, stopLoss: { stopPrice: 99 } }));
    expect(byType('stop')[0]?.status).toBe('canceled');
    desk.quote(98.9, 98.95);
    desk.trade(98.95);
    expect(desk.portfolio.quantityOf('IBM')).toBe(0);
  });

  it('replacing a bracket stop keeps it in the bracket: the take-profit still cancels it', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    desk.manager.place(order({ orderClass: 'bracket', takeProfit: { limitPrice: 101 }, stopLoss: { stopPrice: 99 } }));
    const stop = byType('stop')[0];
    expect(desk.manager.replace(stop?.id ?? '', { stopPrice: 99.5 }).ok).toBe(true);
    desk.quote(101, 101.02);
    expect(byType('stop').map((o) => o.status)).toEqual(['replaced', 'canceled']);
    expect(desk.portfolio.quantityOf('IBM')).toBe(0);
  });

  it('the kill switch or a manual state cannot lift the daily loss lock', () => {
    desk = openDesk({ limits: { dailyLossLimit: 100 } });
    desk.risk.onDayPnl(-200, desk.clock);
    desk.risk.setState('halted', 'kill switch', desk.clock);
    expect(desk.risk.setState('active', null, desk.clock)).toMatch(/locked/);
  });

  it('working sells count: REDUCING and no-shorting cannot be bypassed with several resting sells', () => {
    desk = openDesk({ limits: { allowShortSelling: false } });
    desk.quote(100, 100.02);
    desk.manager.place(order({}));
    desk.risk.setState('reducing', 'test', desk.clock);
    expect(desk.manager.place(order({ side: 'sell', type: 'limit', limitPrice: 101 })).ok).toBe(true);
    expect(desk.manager.place(order({ side: 'sell', type: 'limit', limitPrice: 101 }))).toMatchObject({ ok: false, error: { field: 'riskState' } });
  });

  it('flatten twice never overshoots, and outside the regular session it uses extended-hours limits', () => {
    desk = openDesk();
    desk.quote(100, 100.02, 'IBM', 2000);
    desk.manager.place(order({ quantity: 1000 }));
    desk.quote(100, 100.02, 'IBM', 300);
    desk.manager.flattenAll();
    desk.manager.flattenAll();
    desk.quote(100, 100.02, 'IBM', 5000);
    expect(desk.portfolio.quantityOf('IBM')).toBe(0);

    desk.manager.place(order({ quantity: 10 }));
    desk.clock = DAY.regularClose + 60_000;
    desk.quote(99, 99.02);
    const [result] = desk.manager.flattenAll();
    expect(result).toMatchObject({ ok: true, order: { type: 'limit', extendedHours: true, status: 'filled', averageFillPrice: 99 } });
  });

  it('a cls order fills against the last quote before 16:00 even when a later quote arrives first', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    const placed = desk.manager.place(order({ timeInForce: 'cls' }));
    desk.clock = DAY.regularClose - 1_000;
    desk.quote(101, 101.03);
    desk.clock = DAY.regularClose + 200;
    desk.quote(102, 102.03);
    expect(placed.ok && desk.manager.allOrders().find((o) => o.id === placed.order.id)).toMatchObject({ status: 'filled', averageFillPrice: 101.03 });
  });

  it('partial fills size the exits: an oco stop covers what is left; a partly filled bracket entry still gets its exits', () => {
    desk = openDesk();
    desk.quote(100, 100.02, 'IBM', 1000);
    desk.manager.place(order({ quantity: 500 }));
    desk.quote(100, 100.02, 'IBM', 200);
    desk.manager.place(order({ side: 'sell', type: 'limit', limitPrice: 99, quantity: 500, orderClass: 'oco', takeProfit: { limitPrice: 99 }, stopLoss: { stopPrice: 98 } }));
    expect(byType('stop')[0]?.quantity).toBe(300);
    desk.close();

    desk = openDesk();
    desk.quote(100, 100.02, 'IBM', 60);
    const entry = desk.manager.place(order({ type: 'limit', limitPrice: 100.02, orderClass: 'bracket', takeProfit: { limitPrice: 101 }, stopLoss: { stopPrice: 99 } }));
    expect(entry.ok && entry.order.filledQuantity).toBe(60);
    desk.manager.cancel(entry.ok ? entry.order.id : '');
    expect(desk.manager.allOrders().filter((o) => o.parentId).map((o) => [o.type, o.quantity])).toEqual([['limit', 60], ['stop', 60]]);
  });

  it('a retry of a rejected order is not reported as accepted', () => {
    desk = openDesk({ limits: { maxOrderQuantity: 10 } });
    desk.quote(100, 100.02);
    desk.manager.place(order({ clientOrderId: 'again' }));
    expect(desk.manager.place(order({ clientOrderId: 'again' }))).toMatchObject({ ok: false, error: { code: 'order_rejected' } });
  });

  it('the daily trade limit still lets a position be closed', () => {
    desk = openDesk({ limits: { maxDailyTrades: 1 } });
    desk.quote(100, 100.02);
    desk.manager.place(order({ quantity: 10 }));
    expect(desk.manager.place(order({ quantity: 10 })).ok).toBe(false);
    expect(desk.manager.place(order({ side: 'sell', quantity: 10 })).ok).toBe(true);
  });
});
