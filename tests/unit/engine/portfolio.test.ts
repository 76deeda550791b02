import { describe, expect, it } from 'vitest';
import type { Fill } from '../../../shared/domain';
import { Portfolio } from '../../../electron/engine/portfolio/portfolio';

let n = 0;
const fill = (side: 'buy' | 'sell', quantity: number, price: number): Fill => ({
  id: `f${++n}`, orderId: 'o', clientOrderId: 'c', symbol: 'IBM', side, quantity, price, time: n,
});

describe('Portfolio (average cost)', () => {
  it('averages entries, realizes on reduction, and marks unrealized P&L to the last price', () => {
    const p = new Portfolio(100_000);
    p.applyFill(fill('buy', 100, 100));
    const pos = p.applyFill(fill('buy', 100, 102));
    expect(pos).toMatchObject({ quantity: 200, averageEntryPrice: 101 });
    const after = p.applyFill(fill('sell', 50, 105));
    expect(after.realizedPnl).toBeCloseTo(200, 9);
    expect(after.averageEntryPrice).toBe(101);
    expect(p.mark('IBM', 103)?.unrealizedPnl).toBeCloseTo(300, 9);
    const account = p.account();
    expect(account.cash).toBeCloseTo(100_000 - 10_000 - 10_200 + 5_250, 9);
    expect(account.equity).toBeCloseTo(account.cash + 150 * 103, 9);
    expect(account.realizedPnl).toBeCloseTo(200, 9);
  });

  it('handles a fill through zero: realizes the long and opens a short at the fill price', () => {
    const p = new Portfolio(0);
    p.applyFill(fill('buy', 100, 50));
    const pos = p.applyFill(fill('sell', 150, 55));
    expect(pos).toMatchObject({ quantity: -50, averageEntryPrice: 55 });
    expect(pos.realizedPnl).toBeCloseTo(500, 9);
    expect(p.mark('IBM', 54)?.unrealizedPnl).toBeCloseTo(50, 9);
  });

  it('is flat with zero average entry after closing', () => {
    const p = new Portfolio(0);
    p.applyFill(fill('sell', 10, 20));
    const pos = p.applyFill(fill('buy', 10, 19));
    expect(pos).toMatchObject({ quantity: 0, averageEntryPrice: 0 });
    expect(pos.realizedPnl).toBeCloseTo(10, 9);
  });
});

describe('Portfolio trading days', () => {
  it('restarts realized P&L on a new exchange date and keeps the position', () => {
    const p = new Portfolio(0, (time) => (time < 1000 ? 'day-1' : 'day-2'));
    p.applyFill({ id: 'a', orderId: 'o', clientOrderId: 'c', symbol: 'IBM', side: 'buy', quantity: 100, price: 10, time: 1 });
    p.applyFill({ id: 'b', orderId: 'o', clientOrderId: 'c', symbol: 'IBM', side: 'sell', quantity: 50, price: 12, time: 2 });
    expect(p.account().realizedPnl).toBeCloseTo(100, 9);
    p.rollTo(1500);
    expect(p.account().realizedPnl).toBe(0);
    expect(p.quantityOf('IBM')).toBe(50);
  });
});
