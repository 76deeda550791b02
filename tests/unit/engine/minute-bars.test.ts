import { describe, expect, it } from 'vitest';
import type { Trade } from '../../../shared/domain';
import { TradeCondition } from '../../../shared/trade-conditions';
import { MinuteBarBuilder } from '../../../electron/engine/bars/minute-bar-builder';
import { updatesVolume } from '../../../electron/engine/bars/trade-eligibility';
import { readLeanMinuteTradeBars } from '../../../electron/engine/feeds/lean-data';
import { sessionTimes } from '../../../electron/engine/market/session-clock';
import { HAS_LEAN_DATA, LEAN_DIR, NO_DATA_REASON } from '../../support/shared-data';
import { replayDay } from '../../support/replay-bars';

const OPEN_0930 = sessionTimes('2013-10-07').regularOpen;
const trade = (time: number, price: number, size: number, conditions: number = TradeCondition.Regular): Trade => ({
  symbol: 'IBM',
  price,
  size,
  exchange: 'N',
  conditions,
  time,
});

describe('MinuteBarBuilder', () => {
  it('builds OHLCV, says the forming bar changed on every print and closes it when the minute ends', () => {
    const updates: Array<{ close: number; final: boolean }> = [];
    const builder: MinuteBarBuilder = new MinuteBarBuilder('IBM', {
      onClosed: (bar) => updates.push({ close: bar.close, final: true }),
      onFormingChanged: (openTime, session) => {
        expect([openTime, session]).toEqual([OPEN_0930, 'regular']);
        updates.push({ close: builder.formingBar?.close ?? NaN, final: false });
      },
    });
    builder.addTrade(trade(OPEN_0930 + 1_000, 100, 100));
    builder.addTrade(trade(OPEN_0930 + 2_000, 101, 200));
    builder.addTrade(trade(OPEN_0930 + 3_000, 99.5, 100));
    expect(builder.formingBar).toMatchObject({ open: 100, high: 101, low: 99.5, close: 99.5, volume: 400, tradeCount: 3, session: 'regular' });
    expect(builder.formingBar?.vwap).toBeCloseTo((100 * 100 + 101 * 200 + 99.5 * 100) / 400, 12);
    expect(updates.map((u) => u.close)).toEqual([100, 101, 99.5]);
    builder.advanceTo(OPEN_0930 + 59_999);
    expect(updates.filter((u) => u.final)).toHaveLength(0);
    builder.advanceTo(OPEN_0930 + 60_000);
    expect(updates.at(-1)).toEqual({ close: 99.5, final: true });
    expect(builder.formingBar).toBeNull();
  });

  it('counts odd lots in volume but not in OHLC, and ignores official open/close reports', () => {
    const builder = new MinuteBarBuilder('IBM', { onClosed: () => undefined });
    builder.addTrade(trade(OPEN_0930 + 1_000, 100, 100));
    builder.addTrade(trade(OPEN_0930 + 2_000, 105, 10, (TradeCondition.Regular | TradeCondition.OddLot) >>> 0));
    expect(builder.addTrade(trade(OPEN_0930 + 3_000, 90, 5000, TradeCondition.OfficialOpen))).toBe('no_volume');
    expect(builder.formingBar).toMatchObject({ high: 100, low: 100, close: 100, volume: 110 });
  });

  it('counts a print for a minute already closed as late, and ignores prints outside 04:00–20:00 ET', () => {
    const builder = new MinuteBarBuilder('IBM', { onClosed: () => undefined });
    builder.addTrade(trade(OPEN_0930 + 61_000, 100, 100));
    builder.advanceTo(OPEN_0930 + 120_000);
    expect(builder.addTrade(trade(OPEN_0930 + 30_000, 100, 100))).toBe('late');
    expect(builder.latePrints).toBe(1);
    const fresh = new MinuteBarBuilder('IBM', { onClosed: () => undefined });
    expect(fresh.addTrade(trade(sessionTimes('2013-10-07').preMarketOpen - 1, 100, 100))).toBe('outside_session');
    expect(fresh.addTrade(trade(sessionTimes('2013-10-07').afterHoursClose, 100, 100))).toBe('outside_session');
  });
});

describe.skipIf(!HAS_LEAN_DATA)(`bars from recorded ticks vs the vendor's minute bars (${NO_DATA_REASON})`, () => {
  for (const [symbol, date] of [
    ['IBM', '2013-10-07'],
    ['IBM', '2013-10-08'],
    ['SPY', '2013-10-07'],
  ] as const) {
    it(`${symbol} ${date}: volume equals the vendor's on at least 99 % of minutes`, () => {
      const ours = new Map(replayDay(symbol, date).bars.map(({ bar }) => [bar.openTime, bar]));
      const vendor = readLeanMinuteTradeBars(LEAN_DIR, symbol, date);
      expect(vendor.length).toBeGreaterThan(300);
      const sameVolume = vendor.filter((v) => ours.get(v.openTime)?.volume === v.volume).length;
      expect(sameVolume / vendor.length).toBeGreaterThanOrEqual(0.99);
    });
  }

  it('session VWAP equals Σ price·size / Σ size of the regular-session prints, recomputed from the ticks', () => {
    const { trades, bars } = replayDay('IBM', '2013-10-07');
    const times = sessionTimes('2013-10-07');
    for (const { bar, indicators } of bars) {
      if (bar.session !== 'regular') continue;
      const end = bar.openTime + 60_000;
      let pv = 0;
      let v = 0;
      for (const t of trades) {
        if (t.time >= times.regularOpen && t.time < end && updatesVolume(t.conditions)) {
          pv += t.price * t.size;
          v += t.size;
        }
      }
      expect(Math.abs((indicators.sessionVwap as number) - pv / v)).toBeLessThan(1e-9);
    }
  });

  it('keeps the pre-market VWAP apart: the first regular bar starts a new VWAP', () => {
    const { bars } = replayDay('IBM', '2013-10-07');
    const firstRegular = bars.find(({ bar }) => bar.session === 'regular');
    expect(firstRegular?.indicators.sessionVwap).toBeCloseTo(firstRegular?.bar.vwap as number, 9);
    const lastPre = bars.filter(({ bar }) => bar.session === 'pre_market').at(-1);
    expect(lastPre?.indicators.sessionVwap).not.toBeNull();
  });
});
