import { describe, expect, it } from 'vitest';
import type { Bar, Order } from '../../../shared/domain';
import { INITIAL_STATE, MAX_PRINTS, applyEvents, ordersNewestFirst } from '../../../renderer/state/reducers';

const bar = (openTime: number, close: number): Bar => ({
  symbol: 'IBM', timeframe: '1m', openTime, open: close, high: close, low: close, close, volume: 100, tradeCount: 1, vwap: close, session: 'regular',
});
const indicators = { sessionVwap: null, ema9: null, ema20: null };
const order = (id: string, createdAt: number, status: Order['status'] = 'new'): Order => ({
  id, clientOrderId: id, symbol: 'IBM', side: 'buy', type: 'limit', timeInForce: 'day', quantity: 1, limitPrice: 1, stopPrice: null, trailPrice: null, trailPercent: null, extendedHours: false, orderClass: 'simple', legs: null, parentId: null, status,
  filledQuantity: 0, averageFillPrice: null, reason: null, createdAt, updatedAt: createdAt,
});

describe('applyEvents', () => {
  it('replaces bar history on a snapshot and collects the batch updates in order for the chart', () => {
    let state = applyEvents(INITIAL_STATE, [{ type: 'barHistory', symbol: 'IBM', timeframe: '1m', bars: [{ bar: bar(0, 1), indicators }] }]);
    expect(state.bars['IBM:1m']).toMatchObject({ snapshotVersion: 1, updates: [] });
    state = applyEvents(state, [
      { type: 'bar', bar: bar(0, 2), indicators },
      { type: 'bar', bar: bar(60_000, 3), indicators },
    ]);
    expect(state.bars['IBM:1m']?.updates.map((u) => u.bar.close)).toEqual([2, 3]);
    expect(state.bars['IBM:1m']?.snapshotVersion).toBe(1);
  });

  it('keeps untouched slices identical, so selectors do not re-render', () => {
    const before = applyEvents(INITIAL_STATE, [{ type: 'order', order: order('a', 1) }]);
    const after = applyEvents(before, [{ type: 'link', group: 'main', symbol: 'IBM', snapshot: false }]);
    expect(after.orders).toBe(before.orders);
    expect(after.tickers).toBe(before.tickers);
  });

  it('updates an order in place and never duplicates a fill', () => {
    let state = applyEvents(INITIAL_STATE, [{ type: 'order', order: order('a', 1) }, { type: 'order', order: order('b', 2) }]);
    state = applyEvents(state, [{ type: 'order', order: order('a', 1, 'filled') }]);
    expect(ordersNewestFirst(state.orders).map((o) => [o.id, o.status])).toEqual([['b', 'new'], ['a', 'filled']]);
    const fill = { id: 'f', orderId: 'a', clientOrderId: 'a', symbol: 'IBM', side: 'buy' as const, quantity: 1, price: 1, time: 1 };
    state = applyEvents(state, [{ type: 'fill', fill }, { type: 'fill', fill }]);
    expect(state.fills).toHaveLength(1);
  });
});

describe('time & sales', () => {
  it('keeps the snapshot, appends prints of a batch in order, and caps the list', () => {
    const trade = (i: number) => ({ symbol: 'IBM', price: 100 + i / 100, size: 100, exchange: 'N', conditions: 1, time: 1_000 + i });
    let state = applyEvents(INITIAL_STATE, [{ type: 'prints', symbol: 'IBM', prints: [{ trade: trade(0), side: 'at_ask' }] }]);
    state = applyEvents(state, [
      { type: 'trade', trade: trade(1), side: 'at_bid' },
      { type: 'trade', trade: trade(2), side: 'between' },
    ]);
    expect(state.prints.IBM?.map((p) => [p.trade.time, p.side])).toEqual([
      [1_000, 'at_ask'],
      [1_001, 'at_bid'],
      [1_002, 'between'],
    ]);
    const many = Array.from({ length: MAX_PRINTS + 10 }, (_, i) => ({ type: 'trade' as const, trade: trade(i + 3), side: 'between' as const }));
    state = applyEvents(state, many);
    expect(state.prints.IBM).toHaveLength(MAX_PRINTS);
    expect(state.prints.IBM?.at(-1)?.trade.time).toBe(1_000 + MAX_PRINTS + 12);
  });
});
