import { afterEach, describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../../shared/domain';
import { parseClientRequest } from '../../../shared/schemas';
import { DAY, openDesk, orderRequest, type TradingDesk } from '../../support/trading-desk';

const DAY_PRE = DAY.regularOpen - 60 * 60_000;
const DAY_OPEN = DAY.regularOpen;
const DAY_CLOSE = DAY.regularClose;

let desk: TradingDesk;
afterEach(() => desk?.close());

const order = orderRequest;
const statusOf = (id: string) => desk.manager.allOrders().find((o) => o.id === id);

describe('partial fills by displayed size', () => {
  it('fills a market order up to the ask size, then the rest on the next quotes', () => {
    desk = openDesk();
    desk.quote(100, 100.02, 'IBM', 300);
    const placed = desk.manager.place(order({ quantity: 800 }));
    const id = placed.ok ? placed.order.id : '';
    expect(statusOf(id)).toMatchObject({ status: 'partially_filled', filledQuantity: 300, averageFillPrice: 100.02 });
    desk.quote(100.01, 100.03, 'IBM', 400);
    desk.quote(100.02, 100.04, 'IBM', 400);
    expect(statusOf(id)).toMatchObject({ status: 'filled', filledQuantity: 800 });
    expect(statusOf(id)?.averageFillPrice).toBeCloseTo((300 * 100.02 + 400 * 100.03 + 100 * 100.04) / 800, 9);
    expect(desk.fills.map((f) => f.quantity)).toEqual([300, 400, 100]);
  });

  it('shares the displayed size between orders on the same quote', () => {
    desk = openDesk();
    desk.quote(100, 100.02, 'IBM', 500);
    desk.manager.place(order({ type: 'limit', limitPrice: 99.9, quantity: 400 }));
    desk.manager.place(order({ type: 'limit', limitPrice: 99.9, quantity: 400 }));
    desk.quote(99.8, 99.85, 'IBM', 500);
    expect(desk.fills.reduce((s, f) => s + f.quantity, 0)).toBe(500);
  });
});

describe('time in force', () => {
  it('ioc fills what is displayed and cancels the rest', () => {
    desk = openDesk();
    desk.quote(100, 100.02, 'IBM', 300);
    const placed = desk.manager.place(order({ type: 'limit', limitPrice: 100.05, quantity: 500, timeInForce: 'ioc' }));
    expect(placed.ok && statusOf(placed.order.id)).toMatchObject({ status: 'canceled', filledQuantity: 300, reason: expect.stringMatching(/unfilled 200 shares/) });
  });

  it('fok fills all at once or not at all', () => {
    desk = openDesk();
    desk.quote(100, 100.02, 'IBM', 300);
    const killed = desk.manager.place(order({ type: 'limit', limitPrice: 100.05, quantity: 500, timeInForce: 'fok' }));
    expect(killed.ok && statusOf(killed.order.id)).toMatchObject({ status: 'canceled', filledQuantity: 0, reason: expect.stringMatching(/Fill-or-kill/) });
    const filled = desk.manager.place(order({ type: 'limit', limitPrice: 100.05, quantity: 300, timeInForce: 'fok' }));
    expect(filled.ok && statusOf(filled.order.id)).toMatchObject({ status: 'filled', filledQuantity: 300 });
  });

  it('gtc survives the close; day does not', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    const gtc = desk.manager.place(order({ type: 'limit', limitPrice: 95, timeInForce: 'gtc' }));
    const day = desk.manager.place(order({ type: 'limit', limitPrice: 95 }));
    desk.broker.onClock(desk.clock + 8 * 3_600_000);
    expect(gtc.ok && statusOf(gtc.order.id)?.status).toBe('new');
    expect(day.ok && statusOf(day.order.id)?.status).toBe('expired');
  });
});

describe('stop orders', () => {
  it('a buy stop triggers on a print at or above the stop and fills at the ask', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    const placed = desk.manager.place(order({ type: 'stop', stopPrice: 100.5 }));
    const id = placed.ok ? placed.order.id : '';
    desk.trade(100.4);
    expect(statusOf(id)?.status).toBe('new');
    desk.quote(100.49, 100.52);
    desk.trade(100.5);
    expect(statusOf(id)).toMatchObject({ status: 'filled', averageFillPrice: 100.52 });
  });

  it('a sell stop-limit triggers at or below the stop and then works as a limit', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    desk.manager.place(order({ quantity: 100 }));
    const placed = desk.manager.place(order({ side: 'sell', type: 'stop_limit', stopPrice: 99.5, limitPrice: 99.4 }));
    const id = placed.ok ? placed.order.id : '';
    desk.quote(99.3, 99.35);
    desk.trade(99.3); // triggered, but the bid is under the limit
    expect(statusOf(id)?.status).toBe('new');
    desk.quote(99.45, 99.5);
    expect(statusOf(id)).toMatchObject({ status: 'filled', averageFillPrice: 99.4 });
  });

  it('validates stop orders: the stop is required and on the tick grid; ioc does not apply', () => {
    expect(parseClientRequest({ id: 1, command: { type: 'placeOrder', order: order({ type: 'stop' }) } })).toMatchObject({ ok: false, error: { field: 'command.order.stopPrice' } });
    expect(parseClientRequest({ id: 1, command: { type: 'placeOrder', order: order({ type: 'stop', stopPrice: 10, timeInForce: 'ioc' }) } })).toMatchObject({
      ok: false,
      error: { field: 'command.order.timeInForce' },
    });
    desk = openDesk();
    desk.quote(100, 100.02);
    expect(desk.manager.place(order({ type: 'stop', stopPrice: 100.505 }))).toMatchObject({ ok: false, error: { field: 'stopPrice' } });
  });
});

describe('cancel/replace', () => {
  it('moves a resting limit: the old order ends replaced, the new one works at the new price', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    const placed = desk.manager.place(order({ type: 'limit', limitPrice: 99 }));
    const oldId = placed.ok ? placed.order.id : '';
    const replaced = desk.manager.replace(oldId, { limitPrice: 99.5, quantity: 200 });
    expect(replaced).toMatchObject({ ok: true, order: { status: 'new', limitPrice: 99.5, quantity: 200 } });
    expect(statusOf(oldId)).toMatchObject({ status: 'replaced', reason: expect.stringMatching(/^Replaced by tw-/) });
    desk.quote(99.4, 99.45);
    expect(desk.fills).toEqual([expect.objectContaining({ price: 99.5, quantity: 200 })]);
  });

  it('keeps the old order working when the replacement fails its checks', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    const placed = desk.manager.place(order({ type: 'limit', limitPrice: 99 }));
    const oldId = placed.ok ? placed.order.id : '';
    expect(desk.manager.replace(oldId, { limitPrice: 99.005 })).toMatchObject({ ok: false, error: { field: 'limitPrice' } });
    expect(statusOf(oldId)?.status).toBe('new');
    desk.quote(98.9, 98.95);
    expect(desk.fills).toEqual([expect.objectContaining({ price: 99, quantity: 100 })]);
  });

  it('refuses to replace a filled order and needs a change', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    const placed = desk.manager.place(order({}));
    expect(placed.ok && desk.manager.replace(placed.order.id, { quantity: 5 })).toMatchObject({ ok: false, error: { code: 'not_cancelable' } });
    expect(parseClientRequest({ id: 1, command: { type: 'replaceOrder', orderId: 'x' } })).toMatchObject({ ok: false });
  });
});

describe('trailing stops', () => {
  it('a sell trailing stop follows the highest print up and triggers the trail below it', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    desk.manager.place(order({ quantity: 100 }));
    desk.trade(100);
    const placed = desk.manager.place(order({ side: 'sell', type: 'trailing_stop', trailPrice: 0.5 }));
    const id = placed.ok ? placed.order.id : '';
    desk.trade(100.5);
    desk.trade(101); // stop now 100.50
    desk.trade(100.6);
    expect(statusOf(id)?.status).toBe('new');
    desk.quote(100.45, 100.47);
    desk.trade(100.5);
    expect(statusOf(id)).toMatchObject({ status: 'filled', averageFillPrice: 100.45 });
  });

  it('a buy trailing stop in percent follows the lowest print down', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    desk.trade(100);
    const placed = desk.manager.place(order({ type: 'trailing_stop', trailPercent: 1 }));
    const id = placed.ok ? placed.order.id : '';
    desk.trade(99); // stop now 99.99
    desk.trade(99.5);
    expect(statusOf(id)?.status).toBe('new');
    desk.quote(99.98, 100);
    desk.trade(99.99);
    expect(statusOf(id)).toMatchObject({ status: 'filled', averageFillPrice: 100 });
  });

  it('needs exactly one of trail price and trail percent', () => {
    expect(parseClientRequest({ id: 1, command: { type: 'placeOrder', order: order({ type: 'trailing_stop' }) } })).toMatchObject({ ok: false, error: { field: 'command.order.trailPrice' } });
    expect(parseClientRequest({ id: 1, command: { type: 'placeOrder', order: order({ type: 'trailing_stop', trailPrice: 1, trailPercent: 1 }) } })).toMatchObject({ ok: false });
    expect(parseClientRequest({ id: 1, command: { type: 'placeOrder', order: order({ type: 'limit', limitPrice: 1, trailPrice: 1 }) } })).toMatchObject({ ok: false, error: { field: 'command.order.trailPrice' } });
  });
});

describe('extended hours and auctions', () => {
  it('a pre-market limit without extended hours waits for the open; with it, it fills at once', () => {
    desk = openDesk();
    desk.clock = DAY_PRE;
    desk.quote(100, 100.02);
    const plain = desk.manager.place(order({ type: 'limit', limitPrice: 100.05 }));
    expect(plain.ok && statusOf(plain.order.id)?.status).toBe('new');
    const extended = desk.manager.place(order({ type: 'limit', limitPrice: 100.05, extendedHours: true }));
    expect(extended.ok && statusOf(extended.order.id)?.status).toBe('filled');
    desk.clock = DAY_OPEN + 1_000;
    desk.quote(100, 100.02);
    expect(plain.ok && statusOf(plain.order.id)?.status).toBe('filled');
  });

  it('after 16:00 only extended-hours orders are accepted', () => {
    desk = openDesk();
    desk.clock = DAY_CLOSE + 60_000;
    desk.quote(100, 100.02);
    expect(desk.manager.place(order({ type: 'limit', limitPrice: 99 }))).toMatchObject({ ok: false, error: { message: expect.stringMatching(/check Extended hours/) } });
    expect(desk.manager.place(order({ type: 'limit', limitPrice: 99, extendedHours: true })).ok).toBe(true);
  });

  it('an opg order fills at the open against the first regular quote; a late one is refused', () => {
    desk = openDesk();
    desk.clock = DAY_PRE;
    desk.quote(99, 99.02);
    const placed = desk.manager.place(order({ timeInForce: 'opg' }));
    const id = placed.ok ? placed.order.id : '';
    expect(statusOf(id)?.status).toBe('new');
    desk.clock = DAY_OPEN + 200;
    desk.quote(100, 100.05);
    expect(statusOf(id)).toMatchObject({ status: 'filled', averageFillPrice: 100.05 });
    desk.clock = DAY_OPEN - 60_000;
    expect(desk.manager.place(order({ timeInForce: 'opg' }))).toMatchObject({ ok: false, error: { message: expect.stringMatching(/before 09:28/) } });
  });

  it('a cls order fills at the close against the last quote before 16:00', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    const placed = desk.manager.place(order({ side: 'buy', timeInForce: 'cls' }));
    const id = placed.ok ? placed.order.id : '';
    desk.clock = DAY_CLOSE - 5_000;
    desk.quote(101, 101.03);
    expect(statusOf(id)?.status).toBe('new');
    desk.broker.onClock(DAY_CLOSE);
    expect(statusOf(id)).toMatchObject({ status: 'filled', averageFillPrice: 101.03 });
  });

  it('extended hours apply to limit day orders only', () => {
    expect(parseClientRequest({ id: 1, command: { type: 'placeOrder', order: order({ extendedHours: true }) } })).toMatchObject({ ok: false, error: { field: 'command.order.extendedHours' } });
  });
});

describe('order classes', () => {
  const working = () => desk.manager.allOrders().filter((o) => o.status === 'new');

  it('bracket: the entry fill arms a take-profit and a stop-loss; the take-profit filling cancels the stop', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    const entry = desk.manager.place(order({ orderClass: 'bracket', takeProfit: { limitPrice: 101 }, stopLoss: { stopPrice: 99 } }));
    expect(entry).toMatchObject({ ok: true, order: { status: 'filled', orderClass: 'bracket' } });
    const legs = working();
    expect(legs.map((o) => [o.side, o.type, o.limitPrice ?? o.stopPrice, o.quantity, o.parentId])).toEqual([
      ['sell', 'limit', 101, 100, entry.ok && entry.order.id],
      ['sell', 'stop', 99, 100, entry.ok && entry.order.id],
    ]);
    desk.quote(101, 101.02);
    expect(desk.manager.allOrders().find((o) => o.type === 'limit' && o.parentId)).toMatchObject({ status: 'filled', averageFillPrice: 101 });
    expect(desk.manager.allOrders().find((o) => o.type === 'stop')?.status).toBe('canceled');
    expect(desk.portfolio.quantityOf('IBM')).toBe(0);
  });

  it('bracket: the stop-loss triggering cancels the take-profit', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    desk.manager.place(order({ orderClass: 'bracket', takeProfit: { limitPrice: 101 }, stopLoss: { stopPrice: 99 } }));
    desk.quote(98.9, 98.95);
    desk.trade(98.95);
    expect(desk.manager.allOrders().find((o) => o.type === 'stop')).toMatchObject({ status: 'filled', averageFillPrice: 98.9 });
    expect(desk.manager.allOrders().find((o) => o.type === 'limit' && o.parentId)?.status).toBe('canceled');
  });

  it('oto arms its single exit; oco works both exits from the start', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    desk.manager.place(order({ orderClass: 'oto', stopLoss: { stopPrice: 99 } }));
    expect(working().map((o) => o.type)).toEqual(['stop']);
    desk.close();

    desk = openDesk();
    desk.quote(100, 100.02);
    desk.manager.place(order({ quantity: 100 }));
    const oco = desk.manager.place(order({ side: 'sell', type: 'limit', limitPrice: 102, orderClass: 'oco', takeProfit: { limitPrice: 102 }, stopLoss: { stopPrice: 98 } }));
    expect(oco.ok).toBe(true);
    expect(working().map((o) => [o.side, o.type])).toEqual([['sell', 'limit'], ['sell', 'stop']]);
    desk.quote(97.8, 97.85);
    desk.trade(97.9);
    expect(desk.manager.allOrders().find((o) => o.type === 'stop')?.status).toBe('filled');
    expect(oco.ok && desk.manager.allOrders().find((o) => o.id === oco.order.id)?.status).toBe('canceled');
  });

  it('validates classes the way Alpaca does', () => {
    const check = (o: Partial<OrderRequest>) => parseClientRequest({ id: 1, command: { type: 'placeOrder', order: order(o) } });
    expect(check({ orderClass: 'bracket', takeProfit: { limitPrice: 99 }, stopLoss: { stopPrice: 100 } })).toMatchObject({ ok: false, error: { field: 'command.order.takeProfit.limitPrice' } });
    expect(check({ orderClass: 'bracket', takeProfit: { limitPrice: 101 } })).toMatchObject({ ok: false, error: { field: 'command.order.stopLoss' } });
    expect(check({ orderClass: 'bracket', type: 'stop', stopPrice: 1, takeProfit: { limitPrice: 101 }, stopLoss: { stopPrice: 99 } })).toMatchObject({ ok: false });
    expect(check({ takeProfit: { limitPrice: 101 } })).toMatchObject({ ok: false, error: { field: 'command.order.takeProfit' } });
    expect(check({ orderClass: 'oto', takeProfit: { limitPrice: 101 }, stopLoss: { stopPrice: 99 } })).toMatchObject({ ok: false });
  });
});
