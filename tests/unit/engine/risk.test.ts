import { afterEach, describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../../shared/domain';
import { openDesk, tempDbPath, type TradingDesk } from '../../support/trading-desk';

let desk: TradingDesk;
afterEach(() => desk?.close());

const buy = (quantity: number, limitPrice?: number, symbol = 'IBM'): OrderRequest =>
  limitPrice === undefined
    ? { symbol, side: 'buy', quantity, type: 'market', timeInForce: 'day' }
    : { symbol, side: 'buy', quantity, type: 'limit', limitPrice, timeInForce: 'day' };
const sell = (quantity: number, symbol = 'IBM'): OrderRequest => ({ symbol, side: 'sell', quantity, type: 'market', timeInForce: 'day' });

describe('pre-trade risk checks', () => {
  it.each([
    ['max order quantity', { maxOrderQuantity: 50 }, buy(60), /Quantity 60 exceeds the maximum of 50 shares/],
    ['price band (fat finger)', {}, buy(10, 110), /Buy limit \$110\.00 is more than 5% above the ask \$100\.02/],
    ['max position notional', { maxPositionNotional: 5_000 }, buy(60), /position would be \$6,001\.20 \(60 shares\), above the maximum of \$5,000\.00/],
    ['short selling off', { allowShortSelling: false }, sell(10), /Short selling is off: this sell would go 10 shares short of IBM/],
  ] as const)('%s', (_name, limits, order, message) => {
    desk = openDesk({ limits });
    desk.quote(100, 100.02);
    const result = desk.manager.place(order);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(message);
  });

  it('max open positions counts symbols with a position', () => {
    desk = openDesk({ limits: { maxOpenPositions: 1 } });
    desk.quote(100, 100.02);
    desk.quote(400, 400.02, 'SPY');
    expect(desk.manager.place(buy(10)).ok).toBe(true);
    expect(desk.manager.place(buy(10, undefined, 'SPY'))).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Already 1 open positions/) } });
    expect(desk.manager.place(buy(5)).ok).toBe(true); // adding to the open one is fine
  });

  it('orders per minute and trades per day', () => {
    desk = openDesk({ limits: { maxOrdersPerMinute: 3, maxDailyTrades: 100 } });
    desk.quote(100, 100.02);
    for (let i = 0; i < 3; i++) expect(desk.manager.place(buy(1)).ok).toBe(true);
    expect(desk.manager.place(buy(1))).toMatchObject({ ok: false, error: { message: expect.stringMatching(/3 orders in the last minute/) } });
    desk.clock += 61_000;
    expect(desk.manager.place(buy(1)).ok).toBe(true);
    desk.close();
    desk = openDesk({ limits: { maxDailyTrades: 2 } });
    desk.quote(100, 100.02);
    desk.manager.place(buy(1));
    desk.manager.place(buy(1));
    expect(desk.manager.place(buy(1))).toMatchObject({ ok: false, error: { message: '2 trades today, the daily maximum: only orders that close positions' } });
  });
});

describe('risk state', () => {
  it('REDUCING lets only exposure-reducing orders through; HALTED refuses everything', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    desk.manager.place(buy(100));
    desk.risk.setState('reducing', 'test', desk.clock);
    expect(desk.manager.place(buy(10))).toMatchObject({ ok: false, error: { field: 'riskState', message: expect.stringMatching(/Only orders that reduce exposure/) } });
    expect(desk.manager.place(sell(50)).ok).toBe(true);
    expect(desk.manager.place(sell(60))).toMatchObject({ ok: false, error: { message: expect.stringMatching(/would open 10 shares/) } });
    desk.risk.setState('halted', 'test', desk.clock);
    expect(desk.manager.place(sell(10))).toMatchObject({ ok: false, error: { message: 'Trading is halted: test' } });
  });

  it('the daily loss limit locks trading, a restart does not reset it, and the next session does', () => {
    const path = tempDbPath();
    desk = openDesk({ path, limits: { dailyLossLimit: 1_000, lossLimitAction: 'halt' } });
    desk.quote(100, 100.02);
    expect(desk.risk.onDayPnl(-500, desk.clock)).toBeNull();
    expect(desk.risk.onDayPnl(-1_000, desk.clock)).toMatchObject({ previous: 'active', status: { state: 'halted', reason: expect.stringMatching(/daily loss limit/) } });
    expect(desk.risk.setState('active', null, desk.clock)).toMatch(/locked trading until the next session/);
    desk.close();

    desk = openDesk({ path, limits: { dailyLossLimit: 1_000 } });
    desk.quote(100, 100.02);
    expect(desk.risk.current.state).toBe('halted');
    expect(desk.manager.place(buy(1)).ok).toBe(false);
    expect(desk.risk.rollTo(desk.clock + 24 * 3_600_000)).toMatchObject({ status: { state: 'active', ordersToday: 0 } });
  });

  it('with the reduce action, the loss lock allows closing but not opening', () => {
    desk = openDesk({ limits: { dailyLossLimit: 100, lossLimitAction: 'reduce' } });
    desk.quote(100, 100.02);
    desk.manager.place(buy(10));
    desk.risk.onDayPnl(-150, desk.clock);
    expect(desk.risk.current.state).toBe('reducing');
    expect(desk.manager.place(buy(1)).ok).toBe(false);
    expect(desk.manager.place(sell(10)).ok).toBe(true);
  });

  it('flattenAll closes every position even while halted', () => {
    desk = openDesk();
    desk.quote(100, 100.02);
    desk.quote(400, 400.02, 'SPY');
    desk.manager.place(buy(10));
    desk.manager.place(sell(5, 'SPY'));
    desk.risk.setState('halted', 'kill switch', desk.clock);
    const results = desk.manager.flattenAll();
    expect(results.every((r) => r.ok)).toBe(true);
    expect(desk.portfolio.quantityOf('IBM')).toBe(0);
    expect(desk.portfolio.quantityOf('SPY')).toBe(0);
  });
});
