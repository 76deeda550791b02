import { describe, expect, it } from 'vitest';
import type { Timeframe, Trade } from '../../../shared/domain';
import { TradeCondition } from '../../../shared/trade-conditions';
import { SymbolBars } from '../../../electron/engine/bars/symbol-bars';
import { IndicatorSet } from '../../../electron/engine/indicators/indicator-set';
import { sessionTimes } from '../../../electron/engine/market/session-clock';

const T0 = sessionTimes('2024-06-03').regularOpen + 60 * 60_000; // 10:30 ET
const trade = (minute: number, price: number, size: number, second = 10): Trade => ({
  symbol: 'IBM', price, size, exchange: 'N', conditions: TradeCondition.Regular, time: T0 + minute * 60_000 + second * 1000,
});

describe('late prints', () => {
  it('correct the closed 1-minute bar and its 5-minute bucket, recompute indicators, and report the correction', () => {
    const corrections: Timeframe[] = [];
    const bars = new SymbolBars('IBM', () => undefined, { indicators: ['sma3', 'ema3'], onCorrection: (tf) => corrections.push(tf) });
    for (let m = 0; m < 4; m++) bars.addTrade(trade(m, 100 + m, 100));
    expect(bars.addTrade(trade(1, 105, 900, 30))).toBe('corrected');

    const oneMinute = bars.history('1m');
    expect(oneMinute.map((b) => b.bar.volume)).toEqual([100, 1000, 100]);
    expect(oneMinute[1]?.bar).toMatchObject({ high: 105, close: 101, corrected: true });
    const fresh = new IndicatorSet(['sma3', 'ema3']);
    const ctx = { vwap: { vwap: null, sigma: null }, relativeVolume: null };
    expect(oneMinute.map((b) => b.indicators)).toEqual(oneMinute.map((b) => fresh.update(b.bar, ctx)));
    expect(corrections).toEqual(['1m']);
    // 10:30–10:35 bucket, still forming: the corrected closed minutes and the forming 10:33 minute.
    expect(bars.forming('5m')?.bar).toMatchObject({ volume: 1300, high: 105 });

    bars.addTrade(trade(5, 100, 100));
    expect(bars.history('5m')[0]?.bar.volume).toBe(1300);
    expect(bars.addTrade(trade(2, 99, 50, 45))).toBe('corrected');
    expect(corrections).toEqual(['1m', '1m', '5m']);
    expect(bars.history('5m')[0]?.bar).toMatchObject({ volume: 1350, low: 99, corrected: true });
  });

  it('a minute that closes after the clock closed its bucket corrects that bar, never opens a second one', () => {
    const corrections: Timeframe[] = [];
    const closed: Array<[Timeframe, number]> = [];
    const bars = new SymbolBars('IBM', (tf, bar) => closed.push([tf, bar.volume]), { indicators: ['sma3'], onCorrection: (tf) => corrections.push(tf) });
    for (let m = 0; m < 4; m++) bars.addTrade(trade(m, 100 + m, 100)); // 10:30–10:33
    bars.advanceTo(T0 + 5 * 60_000 + 100); // the clock passes 10:35: the 10:30 bucket closes
    expect(bars.history('5m').map((b) => b.bar.volume)).toEqual([400]);
    // A print stamped 10:34:59.9 arrives now, for a minute that had no bar yet.
    expect(bars.addTrade(trade(4, 105, 100, 59.9))).toBe('added');
    expect(bars.forming('5m')).toBeNull(); // its bucket is closed: nothing forms there
    bars.advanceTo(T0 + 5 * 60_000 + 300);
    expect(bars.history('1m').map((b) => b.bar.volume)).toEqual([100, 100, 100, 100, 100]);
    expect(bars.history('5m').map((b) => b.bar.volume)).toEqual([500]);
    expect(bars.history('5m')[0]?.bar).toMatchObject({ high: 105, close: 105, corrected: true });
    expect(corrections).toContain('5m');
    expect(closed.filter(([tf]) => tf === '5m')).toEqual([['5m', 400]]);
    // The next bucket opens as usual.
    bars.addTrade(trade(5, 106, 100));
    expect(bars.forming('5m')?.bar).toMatchObject({ openTime: T0 + 5 * 60_000, volume: 100 });
  });

  it('are counted and dropped when older than the correction window or for a minute without a bar', () => {
    const bars = new SymbolBars('IBM');
    bars.addTrade(trade(0, 100, 100));
    for (let m = 2; m < 40; m++) bars.addTrade(trade(m, 100, 100));
    expect(bars.addTrade(trade(1, 100, 100, 30))).toBe('late');
    expect(bars.addTrade(trade(0, 100, 100, 30))).toBe('late');
    expect(bars.latePrints).toBe(2);
  });
});
