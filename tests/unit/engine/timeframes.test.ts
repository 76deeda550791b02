import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { TimeframeAggregator, type HigherTimeframe } from '../../../electron/engine/bars/timeframe-aggregator';
import { readLeanMinuteTradeBars, readZippedCsv } from '../../../electron/engine/feeds/lean-data';
import { SessionCursor, exchangeTimeToEpoch } from '../../../electron/engine/market/session-clock';
import { HAS_LEAN_DATA, LEAN_DIR, NO_DATA_REASON } from '../../support/shared-data';
import { replayDay } from '../../support/replay-bars';
import { join } from 'node:path';

const sessions = new SessionCursor();

/** Exchange-clock bucket of a minute, computed independently of the engine (luxon wall clock). */
function bucketLabel(bar: Bar, timeframe: HigherTimeframe): string {
  const et = DateTime.fromMillis(bar.openTime, { zone: 'America/New_York' });
  if (timeframe === '1d') return et.toISODate() ?? '';
  const size = { '5m': 5, '15m': 15, '1h': 60 }[timeframe];
  const minute = et.hour * 60 + et.minute;
  return `${et.toISODate()} ${bar.session} ${Math.floor(minute / size)}`;
}

function aggregateIndependently(minutes: readonly Bar[], timeframe: HigherTimeframe) {
  const groups = new Map<string, Bar[]>();
  for (const m of minutes) {
    if (timeframe === '1d' && m.session !== 'regular') continue;
    const key = bucketLabel(m, timeframe);
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return [...groups.values()].map((g) => ({
    open: g[0]!.open,
    high: Math.max(...g.map((b) => b.high)),
    low: Math.min(...g.map((b) => b.low)),
    close: g.at(-1)!.close,
    volume: g.reduce((s, b) => s + b.volume, 0),
    tradeCount: g.reduce((s, b) => s + b.tradeCount, 0),
  }));
}

function minuteBar(date: string, hhmm: string, close: number, volume: number): Bar {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const openTime = exchangeTimeToEpoch(date, (h * 60 + m) * 60_000);
  return { symbol: 'X', timeframe: '1m', openTime, open: close, high: close + 0.1, low: close - 0.1, close, volume, tradeCount: 1, vwap: close, session: sessions.kindAt(openTime) };
}

function aggregate(minutes: readonly Bar[], timeframe: HigherTimeframe, extended = false): Bar[] {
  const out: Bar[] = [];
  const aggregator = new TimeframeAggregator('X', timeframe, (bar) => out.push(bar), extended);
  for (const m of minutes) aggregator.onMinute(m);
  aggregator.finish();
  return out;
}

describe('TimeframeAggregator', () => {
  it('aligns hours to the exchange clock and splits them at session boundaries, across a DST change', () => {
    for (const date of ['2024-03-08', '2024-03-11']) {
      const minutes = ['09:00', '09:29', '09:30', '09:59', '10:00', '15:59', '16:00', '16:30'].map((t, i) => minuteBar(date, t, 100 + i, 10));
      const hours = aggregate(minutes, '1h');
      const label = (b: Bar) => `${DateTime.fromMillis(b.openTime, { zone: 'America/New_York' }).toFormat('HH:mm')} ${b.session} ${b.volume}`;
      expect(hours.map(label)).toEqual(['09:00 pre_market 20', '09:30 regular 20', '10:00 regular 10', '15:00 regular 10', '16:00 after_hours 20']);
    }
  });

  it('values the forming bar from the closed minutes and the forming one, and closes the bucket when the clock passes its end', () => {
    const closed: number[] = [];
    const agg = new TimeframeAggregator('X', '5m', (bar) => closed.push(bar.volume));
    const at = (hhmm: string) => minuteBar('2024-06-03', hhmm, 100, 0).openTime;
    expect(agg.formingBar(null)).toBeNull();
    agg.onFormingMinute(at('10:00'), 'regular');
    expect(agg.formingBar(minuteBar('2024-06-03', '10:00', 100, 5))).toMatchObject({ volume: 5, timeframe: '5m', openTime: at('10:00') });
    agg.onMinute(minuteBar('2024-06-03', '10:00', 100, 7));
    agg.onFormingMinute(at('10:01'), 'regular');
    expect(agg.formingBar(minuteBar('2024-06-03', '10:01', 101, 2))).toMatchObject({ volume: 9, close: 101 });
    agg.onMinute(minuteBar('2024-06-03', '10:01', 100, 3));
    agg.advanceTo(exchangeTimeToEpoch('2024-06-03', 10 * 3_600_000 + 4 * 60_000));
    expect(agg.formingBar(null)?.volume).toBe(10);
    // A forming minute of another bucket does not count in this one.
    expect(agg.formingBar(minuteBar('2024-06-03', '10:05', 100, 50))?.volume).toBe(10);
    expect(closed).toEqual([]);
    agg.advanceTo(exchangeTimeToEpoch('2024-06-03', 10 * 3_600_000 + 5 * 60_000));
    expect(closed).toEqual([10]);
    expect(agg.formingBar(null)).toBeNull();
    // The first minute of the next bucket opens it: a bucket's first forming minute.
    agg.onFormingMinute(at('10:05'), 'regular');
    expect(agg.formingBar(minuteBar('2024-06-03', '10:05', 100, 4))).toMatchObject({ volume: 4, openTime: at('10:05') });
  });

  it('puts the whole extended session in the daily bar only when asked', () => {
    const minutes = ['08:00', '10:00', '17:00'].map((t) => minuteBar('2024-06-03', t, 100, 10));
    expect(aggregate(minutes, '1d').map((b) => b.volume)).toEqual([10]);
    expect(aggregate(minutes, '1d', true).map((b) => b.volume)).toEqual([30]);
  });
});

describe.skipIf(!HAS_LEAN_DATA)(`higher timeframes from recorded data (${NO_DATA_REASON})`, () => {
  for (const [symbol, date] of [['IBM', '2013-10-07'], ['IBM', '2013-10-08'], ['SPY', '2013-10-07']] as const) {
    it(`${symbol} ${date}: 5m, 15m, 1h and daily bars are exactly the aggregation of the 1m bars`, () => {
      const day = replayDay(symbol, date);
      const minutes = day.bars.map((b) => b.bar);
      for (const timeframe of ['5m', '15m', '1h', '1d'] as const) {
        const ours = (day.byTimeframe.get(timeframe) ?? []).map(({ bar }) => ({
          open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, tradeCount: bar.tradeCount,
        }));
        expect(ours, timeframe).toEqual(aggregateIndependently(minutes, timeframe));
      }
    });
  }

  const vendorDaily = (symbol: string, date: string) => {
    const row = readZippedCsv(join(LEAN_DIR, 'equity', 'usa', 'daily', `${symbol.toLowerCase()}.zip`))
      .split('\n')
      .find((line) => line.startsWith(date.replaceAll('-', '')));
    const [, o, h, l, c, v] = (row ?? '').split(',').map(Number);
    return { open: (o as number) / 1e4, high: (h as number) / 1e4, low: (l as number) / 1e4, close: (c as number) / 1e4, volume: v };
  };

  // Exact for these two sessions. On the other recorded days the vendor's daily bar is not the
  // sum of its own minute bars (IBM 2013-10-07: 3 040 shares more; IBM 10-04/10-08 and SPY 10-08:
  // a daily high or low one print beyond any minute bar), so no aggregation could reproduce it.
  for (const [symbol, date] of [['SPY', '2013-10-04'], ['SPY', '2013-10-07']] as const) {
    it(`fed the vendor's own minute bars, the daily aggregate reproduces the vendor's daily bar (${symbol} ${date})`, () => {
      const minutes = readLeanMinuteTradeBars(LEAN_DIR, symbol, date).map((b): Bar => ({
        symbol, timeframe: '1m', ...b, tradeCount: 0, vwap: b.close, session: sessions.kindAt(b.openTime),
      }));
      const [daily] = aggregate(minutes, '1d');
      expect({ open: daily?.open, high: daily?.high, low: daily?.low, close: daily?.close, volume: daily?.volume }).toEqual(vendorDaily(symbol, date));
    });
  }
});
