import { afterEach, describe, expect, it } from 'vitest';
import { DAY, openDesk, type TradingDesk } from '../../support/trading-desk';

let desk: TradingDesk;
afterEach(() => desk?.close());

const limitBuy = (quantity: number, limitPrice: number) =>
  ({ symbol: 'IBM', side: 'buy', quantity, type: 'limit', limitPrice, timeInForce: 'day' }) as const;

describe('paper broker through the order manager', () => {
  it('fills a buy market order at the ask and a sell market order at the bid', () => {
    desk = openDesk();
    desk.quote(181.9, 181.95);
    const buy = desk.manager.place({ symbol: 'IBM', side: 'buy', quantity: 100, type: 'market', timeInForce: 'day' });
    expect(buy.ok && buy.order).toMatchObject({ status: 'filled', filledQuantity: 100, averageFillPrice: 181.95 });
    const sell = desk.manager.place({ symbol: 'IBM', side: 'sell', quantity: 100, type: 'market', timeInForce: 'day' });
    expect(sell.ok && sell.order.averageFillPrice).toBe(181.9);
    expect(desk.orders.map((o) => o.status)).toEqual(['pending_new', 'new', 'filled', 'pending_new', 'new', 'filled']);
  });

  it('rests a buy limit below the ask and fills it at the limit when the ask falls to it', () => {
    desk = openDesk();
    desk.quote(181.9, 181.95);
    const placed = desk.manager.place(limitBuy(100, 181.5));
    expect(placed.ok && placed.order.status).toBe('new');
    desk.quote(181.55, 181.6);
    expect(desk.fills).toHaveLength(0);
    desk.quote(181.4, 181.5);
    expect(desk.fills).toEqual([expect.objectContaining({ price: 181.5, quantity: 100, side: 'buy' })]);
    expect(desk.portfolio.quantityOf('IBM')).toBe(100);
  });

  it('fills a marketable buy limit at once at the ask (price improvement)', () => {
    desk = openDesk();
    desk.quote(181.9, 181.95);
    const placed = desk.manager.place(limitBuy(100, 182.5));
    expect(placed.ok && placed.order).toMatchObject({ status: 'filled', averageFillPrice: 181.95 });
  });

  it('mirrors sells: a sell limit above the bid rests and fills when the bid rises to it', () => {
    desk = openDesk();
    desk.quote(181.9, 181.95);
    desk.manager.place({ symbol: 'IBM', side: 'sell', quantity: 50, type: 'limit', limitPrice: 182.2, timeInForce: 'day' });
    expect(desk.fills).toHaveLength(0);
    desk.quote(182.2, 182.25);
    expect(desk.fills[0]).toMatchObject({ price: 182.2, quantity: 50, side: 'sell' });
    expect(desk.portfolio.quantityOf('IBM')).toBe(-50);
  });

  it('cancels a working order and refuses to cancel a filled one', () => {
    desk = openDesk();
    desk.quote(181.9, 181.95);
    const resting = desk.manager.place(limitBuy(100, 181));
    const id = resting.ok ? resting.order.id : '';
    expect(desk.manager.cancel(id)).toMatchObject({ ok: true, order: { status: 'canceled' } });
    expect(desk.manager.cancel(id)).toMatchObject({ ok: false, error: { code: 'not_cancelable' } });
    expect(desk.manager.cancel('nope')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('expires day orders at 16:00 ET', () => {
    desk = openDesk();
    desk.quote(181.9, 181.95);
    desk.manager.place(limitBuy(100, 181));
    desk.broker.onClock(DAY.regularClose - 1);
    expect(desk.orders.at(-1)?.status).toBe('new');
    desk.broker.onClock(DAY.regularClose);
    expect(desk.orders.at(-1)).toMatchObject({ status: 'expired' });
  });

  it('rejects a market order outside the regular session, with the reason', () => {
    desk = openDesk();
    desk.clock = DAY.regularOpen - 60_000;
    desk.quote(181.9, 181.95);
    const result = desk.manager.place({ symbol: 'IBM', side: 'buy', quantity: 100, type: 'market', timeInForce: 'day' });
    expect(result).toMatchObject({ ok: false, error: { code: 'order_rejected' } });
    expect(!result.ok && result.error.message).toMatch(/regular session/);
  });

  it('returns the existing order for a repeated client_order_id instead of sending it twice', () => {
    desk = openDesk();
    desk.quote(181.9, 181.95);
    const first = desk.manager.place({ ...limitBuy(100, 181), clientOrderId: 'retry-1' });
    const second = desk.manager.place({ ...limitBuy(100, 181), clientOrderId: 'retry-1' });
    expect(second.ok && first.ok && second.order.id).toBe(first.ok && first.order.id);
    expect(desk.manager.allOrders()).toHaveLength(1);
  });
});

describe('pre-trade checks reject with a reason naming the field', () => {
  const cases = [
    { name: 'fractional quantity', order: { ...limitBuy(10.5, 181) }, field: 'quantity', message: /whole number/ },
    { name: 'zero quantity', order: { ...limitBuy(0, 181) }, field: 'quantity', message: /above 0/ },
    { name: 'unknown symbol', order: { ...limitBuy(10, 181), symbol: 'ZZZZ' }, field: 'symbol', message: /Unknown symbol ZZZZ/ },
    { name: 'negative limit', order: { ...limitBuy(10, -1) }, field: 'limitPrice', message: /positive/ },
    { name: 'off the tick grid', order: { ...limitBuy(10, 181.005) }, field: 'limitPrice', message: /tick grid/ },
    { name: 'notional over the maximum', order: { ...limitBuy(2000, 181) }, field: 'quantity', message: /exceeds the maximum of \$250,000/ },
  ] as const;
  for (const c of cases) {
    it(c.name, () => {
      desk = openDesk();
      desk.quote(181.9, 181.95);
      const result = desk.manager.place(c.order);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.field).toBe(c.field);
      expect(result.error.message).toMatch(c.message);
      expect(result.order?.status).toBe('rejected');
    });
  }

  it('accepts sub-dollar limits on the $0.0001 grid', () => {
    desk = openDesk();
    desk.quote(181.9, 181.95);
    const result = desk.manager.place(limitBuy(100, 0.5123));
    expect(result.ok).toBe(true);
  });
});

describe('the store keeps orders and fills across a restart', () => {
  it('restores the blotter and the position after reopening the database', () => {
    desk = openDesk();
    desk.quote(181.9, 181.95);
    desk.manager.place({ symbol: 'IBM', side: 'buy', quantity: 100, type: 'market', timeInForce: 'day' });
    desk.manager.place(limitBuy(100, 180));
    const path = desk.path;
    const before = desk.manager.allOrders();
    desk.close();

    desk = openDesk({ path });
    expect(desk.manager.allOrders()).toEqual(before);
    expect(desk.portfolio.quantityOf('IBM')).toBe(100);
    desk.quote(179.9, 179.95);
    expect(desk.fills).toEqual([expect.objectContaining({ price: 180, quantity: 100 })]);
  });

  it('marks an order that never reached the broker (pending_new at a crash) as rejected on restart', async () => {
    desk = openDesk();
    const { OrderStore } = await import('../../../electron/engine/store/order-store');
    new OrderStore(desk.db).save({
      id: 'o-1', clientOrderId: 'c-1', symbol: 'IBM', side: 'buy', type: 'limit', timeInForce: 'day', quantity: 1,
      limitPrice: 1, stopPrice: null, trailPrice: null, trailPercent: null, extendedHours: false, orderClass: 'simple', legs: null, parentId: null, status: 'pending_new', filledQuantity: 0, averageFillPrice: null, reason: null, createdAt: 1, updatedAt: 1,
    });
    const path = desk.path;
    desk.close();
    desk = openDesk({ path });
    expect(desk.manager.allOrders()[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/before the broker acknowledged/) });
  });
});

describe('rules a trader relies on', () => {
  it('values a sell limited far below the bid at the bid it would fill at', () => {
    desk = openDesk({ limits: { maxOrderNotional: 50_000, priceBandPercent: 100 } });
    desk.quote(100, 100.02);
    desk.portfolio.applyFill({ id: 'seed', orderId: 'x', clientOrderId: 'x', symbol: 'IBM', side: 'buy', quantity: 1000, price: 100, time: desk.clock });
    const result = desk.manager.place({ symbol: 'IBM', side: 'sell', quantity: 1000, type: 'limit', limitPrice: 1, timeInForce: 'day' });
    expect(result).toMatchObject({ ok: false, error: { field: 'quantity', message: expect.stringMatching(/\$100,000\.00 \(1000 × \$100\.00\) exceeds/) } });
  });

  it('refuses an order that opens more than the buying power, but lets a closing order through', () => {
    desk = openDesk({ startingCash: 10_000 });
    desk.quote(100, 100.02);
    expect(desk.manager.place({ symbol: 'IBM', side: 'buy', quantity: 200, type: 'market', timeInForce: 'day' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Not enough buying power: opening 200 shares costs \$20,004\.00/) },
    });
    expect(desk.manager.place({ symbol: 'IBM', side: 'buy', quantity: 90, type: 'market', timeInForce: 'day' }).ok).toBe(true);
    expect(desk.manager.place({ symbol: 'IBM', side: 'sell', quantity: 90, type: 'market', timeInForce: 'day' }).ok).toBe(true);
  });

  it('refuses a different order under a client_order_id already used', () => {
    desk = openDesk();
    desk.quote(181.9, 181.95);
    desk.manager.place({ ...limitBuy(100, 181), clientOrderId: 'dup-1' });
    expect(desk.manager.place({ ...limitBuy(200, 181), clientOrderId: 'dup-1' })).toMatchObject({ ok: false, error: { field: 'clientOrderId' } });
  });

  it('expires a day order before a quote at or after 16:00 could fill it', () => {
    desk = openDesk();
    desk.quote(181.9, 181.95);
    desk.manager.place(limitBuy(100, 181));
    desk.clock = DAY.regularClose + 400;
    desk.quote(180, 180.5);
    expect(desk.fills).toHaveLength(0);
    expect(desk.orders.at(-1)?.status).toBe('expired');
  });

  it('never fills against a quote from an earlier session, and nothing trades on a weekend', () => {
    desk = openDesk();
    desk.quote(181.9, 181.95);
    desk.clock += 24 * 3_600_000; // the next day, no quote yet
    expect(desk.manager.place({ symbol: 'IBM', side: 'buy', quantity: 10, type: 'market', timeInForce: 'day' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/No quote for IBM in this session/) },
    });
    desk.clock = DAY.regularOpen + 5 * 24 * 3_600_000 + 3_600_000; // Saturday 10:30 ET
    desk.quote(181.9, 181.95);
    expect(desk.manager.place(limitBuy(10, 182))).toMatchObject({ ok: false, error: { message: expect.stringMatching(/market is closed/) } });
  });
});
