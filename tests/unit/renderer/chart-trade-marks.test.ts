import { LineStyle } from 'lightweight-charts';
import { describe, expect, it } from 'vitest';
import type { Fill, Order, Position } from '../../../shared/domain';
import type { BarWithIndicators } from '../../../shared/protocol';
import { BUY_COLOR, SELL_COLOR, fillMarkers, orderPriceLines, positionPriceLine, tradePriceLines } from '../../../renderer/windows/chart/chart-trade-marks';

/** ms since epoch of an exchange time on Friday 2024-03-15 (EDT, UTC−4). */
const et = (hour: number, minute: number, second = 0): number => Date.UTC(2024, 2, 15, hour + 4, minute, second);

const order = (id: string, patch: Partial<Order>): Order => ({
  id, clientOrderId: id, symbol: 'IBM', side: 'buy', type: 'limit', timeInForce: 'day', quantity: 100, limitPrice: 123.45, stopPrice: null, trailPrice: null, trailPercent: null,
  extendedHours: false, orderClass: 'simple', legs: null, parentId: null, status: 'new', filledQuantity: 0, averageFillPrice: null, reason: null, createdAt: 1, updatedAt: 1,
  ...patch,
});
const position = (quantity: number, averageEntryPrice: number): Position => ({
  symbol: 'IBM', quantity, averageEntryPrice, lastPrice: averageEntryPrice, marketValue: null, unrealizedPnl: null, realizedPnl: 0,
});
const fill = (id: string, time: number, side: Fill['side'], quantity: number, price: number, symbol = 'IBM'): Fill => ({
  id, orderId: `o-${id}`, clientOrderId: `c-${id}`, symbol, side, quantity, price, time,
});
const bar = (openTime: number, session: BarWithIndicators['bar']['session'] = 'regular'): BarWithIndicators => ({
  bar: { symbol: 'IBM', timeframe: '5m', openTime, open: 1, high: 1, low: 1, close: 1, volume: 1, tradeCount: 1, vwap: 1, session },
  indicators: {},
});

describe('working orders as price lines', () => {
  it('draws a buy limit at its limit price and a sell stop at its stop price, coloured by side', () => {
    const lines = orderPriceLines([order('a', {}), order('b', { side: 'sell', type: 'stop', limitPrice: null, stopPrice: 120.1, quantity: 200 })], 'IBM');
    expect(lines).toEqual([
      { id: 'order:a:limit', price: 123.45, color: BUY_COLOR, title: 'BUY 100 LMT', lineStyle: LineStyle.Solid },
      { id: 'order:b:stop', price: 120.1, color: SELL_COLOR, title: 'SELL 200 STP', lineStyle: LineStyle.Dotted },
    ]);
  });

  it('draws both prices of a stop-limit and the shares still to fill of a partial fill', () => {
    const lines = orderPriceLines([order('c', { type: 'stop_limit', stopPrice: 124, limitPrice: 124.2, quantity: 300, filledQuantity: 100, status: 'partially_filled' })], 'IBM');
    expect(lines.map((l) => [l.title, l.price])).toEqual([
      ['BUY 200 LMT', 124.2],
      ['BUY 200 STP', 124],
    ]);
  });

  it('removes the line once the order is canceled or filled', () => {
    expect(orderPriceLines([order('a', {})], 'IBM')).toHaveLength(1);
    expect(orderPriceLines([order('a', { status: 'canceled' })], 'IBM')).toEqual([]);
    expect(orderPriceLines([order('a', { status: 'filled', filledQuantity: 100 })], 'IBM')).toEqual([]);
    expect(orderPriceLines([order('a', { status: 'pending_cancel' })], 'IBM')).toHaveLength(1); // can still fill
  });

  it('shows only the chart’s symbol, and nothing for a market order', () => {
    expect(orderPriceLines([order('a', { symbol: 'AAPL' }), order('m', { type: 'market', limitPrice: null })], 'IBM')).toEqual([]);
  });
});

describe('position line', () => {
  it('marks the average entry of a long as POS +300 @ price, dashed', () => {
    expect(positionPriceLine(position(300, 123.45))).toMatchObject({ id: 'position', price: 123.45, title: 'POS +300 @ 123.45', lineStyle: LineStyle.Dashed });
  });

  it('marks a short with a minus sign and nothing when flat', () => {
    expect(positionPriceLine(position(-200, 50.1))?.title).toBe('POS -200 @ 50.10');
    expect(positionPriceLine(position(0, 0))).toBeNull();
    expect(positionPriceLine(undefined)).toBeNull();
  });

  it('adds the position after the working orders', () => {
    expect(tradePriceLines([order('a', {})], position(100, 122), 'IBM').map((l) => l.title)).toEqual(['BUY 100 LMT', 'POS +100 @ 122.00']);
  });
});

describe('fill markers', () => {
  const bars = [bar(et(9, 25)), bar(et(9, 30)), bar(et(9, 35))];

  it('marks a 09:31:40 buy on the 09:30 candle of a 5-minute chart, arrow up under the bar', () => {
    expect(fillMarkers([fill('f1', et(9, 31, 40), 'buy', 100, 123.45)], 'IBM', bars, '5m')).toEqual([
      { id: 'f1', time: et(9, 30) / 1000, position: 'belowBar', shape: 'arrowUp', color: BUY_COLOR, text: '100@123.45' },
    ]);
  });

  it('marks a sell with an arrow down over the bar', () => {
    expect(fillMarkers([fill('f2', et(9, 36, 5), 'sell', 50, 124)], 'IBM', bars, '5m')[0]).toMatchObject({
      time: et(9, 35) / 1000, position: 'aboveBar', shape: 'arrowDown', color: SELL_COLOR, text: '50@124.00',
    });
  });

  it('skips fills of other symbols and fills in no bar on the chart (hidden pre-market)', () => {
    expect(fillMarkers([fill('x', et(9, 31), 'buy', 1, 1, 'AAPL'), fill('p', et(8, 0), 'buy', 1, 1)], 'IBM', bars, '5m')).toEqual([]);
  });

  it('sorts markers by bar time, then by fill time', () => {
    const markers = fillMarkers(
      [fill('late', et(9, 36), 'sell', 100, 2), fill('b', et(9, 32), 'buy', 100, 1), fill('a', et(9, 31), 'buy', 100, 1)],
      'IBM',
      bars,
      '5m',
    );
    expect(markers.map((m) => m.id)).toEqual(['a', 'b', 'late']);
  });
});
