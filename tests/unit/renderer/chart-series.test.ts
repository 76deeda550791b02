import { describe, expect, it } from 'vitest';
import type { Bar, Timeframe } from '../../../shared/domain';
import type { BarWithIndicators } from '../../../shared/protocol';
import {
  EXTENDED_SESSION_SHADE,
  barIndexAt,
  candlePoint,
  mergeBars,
  sessionShadePoint,
  showsBar,
  upsertBar,
  volumePoint,
} from '../../../renderer/windows/chart/chart-series';

/** ms since epoch of an exchange time on Friday 2024-03-15 (EDT, UTC−4). */
const et = (hour: number, minute: number, second = 0): number => Date.UTC(2024, 2, 15, hour + 4, minute, second);

const row = (openTime: number, close: number, session: Bar['session'] = 'regular', timeframe: Timeframe = '1m'): BarWithIndicators => ({
  bar: { symbol: 'IBM', timeframe, openTime, open: 100, high: Math.max(100, close), low: Math.min(100, close), close, volume: 1_200, tradeCount: 10, vwap: close, session },
  indicators: {},
});

describe('candles and volume', () => {
  it('puts a bar at its open time in UTC seconds, with volume coloured by direction', () => {
    expect(candlePoint(row(et(9, 30), 101.5))).toEqual({ time: et(9, 30) / 1000, open: 100, high: 101.5, low: 100, close: 101.5 });
    expect(volumePoint(row(et(9, 30), 101.5))).toMatchObject({ value: 1_200, color: expect.stringMatching(/^#26a69a/) });
    expect(volumePoint(row(et(9, 30), 99))).toMatchObject({ color: expect.stringMatching(/^#ef5350/) });
  });
});

describe('extended-hours bars', () => {
  const pre = row(et(8, 15), 100, 'pre_market');
  const post = row(et(16, 5), 100, 'after_hours');
  const regular = row(et(10, 0), 100);

  it('shades pre-market and after-hours bars of intraday charts with extended hours shown', () => {
    expect(sessionShadePoint(pre, '1m', true)).toEqual({ time: et(8, 15) / 1000, value: 1, color: EXTENDED_SESSION_SHADE });
    expect(sessionShadePoint(post, '5m', true)).toMatchObject({ value: 1 });
    expect(sessionShadePoint(regular, '1m', true)).toEqual({ time: et(10, 0) / 1000 });
  });

  it('does not shade on a daily chart or with extended hours off', () => {
    expect(sessionShadePoint(pre, '1d', true)).toEqual({ time: et(8, 15) / 1000 });
    expect(sessionShadePoint(pre, '1m', false)).toEqual({ time: et(8, 15) / 1000 });
  });

  it('hides them on intraday charts when extended hours are off; daily bars always show', () => {
    expect(showsBar(pre, '5m', false)).toBe(false);
    expect(showsBar(pre, '5m', true)).toBe(true);
    expect(showsBar(regular, '5m', false)).toBe(true);
    expect(showsBar(pre, '1d', false)).toBe(true);
  });
});

describe('live bar updates', () => {
  it('appends a new bar, revises the forming one, corrects a closed one and drops one it cannot place', () => {
    const rows = [row(et(9, 30), 100), row(et(9, 31), 101)];
    expect(upsertBar(rows, row(et(9, 31), 101.2))).toEqual({ kind: 'revised', index: 1 });
    expect(upsertBar(rows, row(et(9, 32), 101.4))).toEqual({ kind: 'appended', index: 2 });
    expect(upsertBar(rows, row(et(9, 30), 99.9))).toEqual({ kind: 'corrected', index: 0 });
    expect(upsertBar(rows, row(et(9, 29), 99))).toEqual({ kind: 'ignored' });
    expect(rows.map((r) => r.bar.close)).toEqual([99.9, 101.2, 101.4]);
  });

  it('merges a batch into a snapshot without changing the snapshot', () => {
    const snapshot = [row(et(9, 30), 100), row(et(9, 31), 101)];
    const merged = mergeBars(snapshot, [row(et(9, 31), 102), row(et(9, 32), 103)]);
    expect(merged.map((r) => r.bar.close)).toEqual([100, 102, 103]);
    expect(snapshot.map((r) => r.bar.close)).toEqual([100, 101]);
  });
});

describe('the bar that holds a moment', () => {
  const fiveMinute = [et(9, 25), et(9, 30), et(9, 35)].map((t) => row(t, 100, 'regular', '5m'));

  it('finds the 09:30 candle for 09:31:40 on a 5-minute chart', () => {
    expect(barIndexAt(fiveMinute, et(9, 31, 40), '5m')).toBe(1);
    expect(barIndexAt(fiveMinute, et(9, 30), '5m')).toBe(1);
    expect(barIndexAt(fiveMinute, et(9, 34, 59), '5m')).toBe(1);
  });

  it('finds none before the first bar or past the last bar’s span', () => {
    expect(barIndexAt(fiveMinute, et(9, 20), '5m')).toBe(-1);
    expect(barIndexAt(fiveMinute, et(9, 40), '5m')).toBe(-1);
    expect(barIndexAt([], et(9, 40), '5m')).toBe(-1);
  });

  it('follows session-aligned hourly bars (09:30–10:00 is the first regular hour)', () => {
    const hourly = [et(9, 0), et(9, 30), et(10, 0)].map((t) => row(t, 100, t < et(9, 30) ? 'pre_market' : 'regular', '1h'));
    expect(barIndexAt(hourly, et(9, 45), '1h')).toBe(1);
    expect(barIndexAt(hourly, et(9, 10), '1h')).toBe(0);
    expect(barIndexAt(hourly, et(10, 59), '1h')).toBe(2);
  });

  it('puts an intraday moment in the day’s daily bar but not a pre-market moment of the next day', () => {
    const daily = [row(et(9, 30), 100, 'regular', '1d')];
    expect(barIndexAt(daily, et(15, 59), '1d')).toBe(0);
    expect(barIndexAt(daily, et(9, 30) + 86_400_000 - 3_600_000, '1d')).toBe(-1);
  });
});
