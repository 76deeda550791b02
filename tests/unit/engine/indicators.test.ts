import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { Atr } from '../../../electron/engine/indicators/atr';
import { Bollinger } from '../../../electron/engine/indicators/bollinger';
import { ALL_INDICATORS, DEFAULT_INDICATORS, IndicatorSet, parseIndicatorList } from '../../../electron/engine/indicators/indicator-set';
import { Macd } from '../../../electron/engine/indicators/macd';
import { RelativeVolume } from '../../../electron/engine/indicators/relative-volume';
import { Rsi } from '../../../electron/engine/indicators/rsi';
import { SessionVwap } from '../../../electron/engine/indicators/session-vwap';
import { Sma } from '../../../electron/engine/indicators/sma';
import { HAS_LEAN_DATA, NO_DATA_REASON, readReferenceCsv } from '../../support/shared-data';
import { replayDay } from '../../support/replay-bars';
import { talibRun } from '../../support/talib';

/** Asserts `ours` equals TA-Lib wherever TA-Lib has a value (after its warm-up), to `tolerance`. */
function expectParity(ours: ReadonlyArray<number | null | undefined>, oracle: ReadonlyArray<number | null>, tolerance = 1e-9): number {
  let compared = 0;
  oracle.forEach((expected, i) => {
    if (expected === null) return;
    const actual = ours[i];
    expect(actual, `index ${i}`).not.toBeNull();
    expect(Math.abs((actual as number) - expected), `index ${i}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
    compared++;
  });
  return compared;
}

const SESSIONS = [
  ['IBM', '2013-10-07'],
  ['IBM', '2013-10-08'],
  ['SPY', '2013-10-07'],
] as const;

describe.skipIf(!HAS_LEAN_DATA)(`every indicator equals TA-Lib to 1e-9 on recorded sessions (${NO_DATA_REASON})`, () => {
  for (const [symbol, date] of SESSIONS) {
    for (const timeframe of ['1m', '5m'] as const) {
      it(`${symbol} ${date} ${timeframe}`, () => {
        const bars = replayDay(symbol, date, ALL_INDICATORS).byTimeframe.get(timeframe) ?? [];
        expect(bars.length).toBeGreaterThan(timeframe === '1m' ? 300 : 90);
        const series = {
          open: bars.map((b) => b.bar.open),
          high: bars.map((b) => b.bar.high),
          low: bars.map((b) => b.bar.low),
          close: bars.map((b) => b.bar.close),
        };
        const field = (name: string) => bars.map((b) => b.indicators[name]);
        let compared = 0;
        compared += expectParity(field('sma20'), talibRun('SMA', series, { optInTimePeriod: 20 }).outReal ?? []);
        compared += expectParity(field('ema9'), talibRun('EMA', series, { optInTimePeriod: 9 }).outReal ?? []);
        compared += expectParity(field('ema20'), talibRun('EMA', series, { optInTimePeriod: 20 }).outReal ?? []);
        compared += expectParity(field('rsi14'), talibRun('RSI', series, { optInTimePeriod: 14 }).outReal ?? []);
        compared += expectParity(field('atr14'), talibRun('ATR', series, { optInTimePeriod: 14 }).outReal ?? []);
        const bb = talibRun('BBANDS', series, { optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 });
        compared += expectParity(field('bbUpper20'), bb.outRealUpperBand ?? []);
        compared += expectParity(field('bbMiddle20'), bb.outRealMiddleBand ?? []);
        compared += expectParity(field('bbLower20'), bb.outRealLowerBand ?? []);
        const macd = talibRun('MACD', series, { optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 });
        compared += expectParity(field('macd'), macd.outMACD ?? []);
        compared += expectParity(field('macdSignal'), macd.outMACDSignal ?? []);
        compared += expectParity(field('macdHist'), macd.outMACDHist ?? []);
        expect(compared).toBeGreaterThan(timeframe === '1m' ? 3000 : 600);
      });
    }
  }

  it('takes periods and sources as parameters (EMA 5 of hlc3, RSI 7, SMA 50) and still matches TA-Lib', () => {
    const bars = replayDay('IBM', '2013-10-07', ['ema5:hlc3', 'rsi7', 'sma50', 'macd5_35_5']).bars;
    const hlc3 = bars.map((b) => (b.bar.high + b.bar.low + b.bar.close) / 3);
    const close = bars.map((b) => b.bar.close);
    expectParity(bars.map((b) => b.indicators['ema5:hlc3']), talibRun('EMA', { close: hlc3 }, { optInTimePeriod: 5 }).outReal ?? []);
    expectParity(bars.map((b) => b.indicators.rsi7), talibRun('RSI', { close }, { optInTimePeriod: 7 }).outReal ?? []);
    expectParity(bars.map((b) => b.indicators.sma50), talibRun('SMA', { close }, { optInTimePeriod: 50 }).outReal ?? []);
    expectParity(bars.map((b) => b.indicators.macd5_35_5), talibRun('MACD', { close }, { optInFastPeriod: 5, optInSlowPeriod: 35, optInSignalPeriod: 5 }).outMACD ?? []);
  });
});

describe.skipIf(!HAS_LEAN_DATA)(`indicators against Lean's reference columns (${NO_DATA_REASON})`, () => {
  const num = (s: string | undefined): number | null => (s === undefined || s === '' ? null : Number(s));

  it('SMA14 and RSI 14 Wilder of spy_with_indicators.txt (printed to 2 and 5 decimals)', () => {
    const rows = readReferenceCsv('spy_with_indicators.txt');
    const sma = new Sma(14);
    const rsi = new Rsi(14);
    let compared = 0;
    for (const row of rows) {
      const close = Number(row.Close);
      const s = sma.update(close);
      const r = rsi.update(close);
      const expectedSma = num(row.SMA14);
      const expectedRsi = num(row['RSI 14 Wilder']);
      if (expectedSma !== null) expect(Math.abs((s as number) - expectedSma)).toBeLessThanOrEqual(0.006);
      if (expectedRsi !== null) {
        expect(Math.abs((r as number) - expectedRsi)).toBeLessThanOrEqual(0.00001);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(400);
  });

  it('Bollinger Bands 20/2 of spy_bollinger_bands.txt (population σ, printed to 4 decimals)', () => {
    const bb = new Bollinger(20, 2);
    let compared = 0;
    for (const row of readReferenceCsv('spy_bollinger_bands.txt')) {
      const value = bb.update(Number(row.Close));
      const top = num(row['Bollinger Bands® 20 2 Top']);
      if (top === null) continue;
      expect(Math.abs((value?.upper as number) - top)).toBeLessThanOrEqual(0.0001);
      expect(Math.abs((value?.middle as number) - Number(row['Moving Average 20']))).toBeLessThanOrEqual(0.001);
      expect(Math.abs((value?.lower as number) - Number(row['Bollinger Bands® 20 2 Bottom']))).toBeLessThanOrEqual(0.0001);
      compared++;
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('MACD 12/26/9 of spy_with_macd.txt once the seeding difference has decayed', () => {
    const macd = new Macd(12, 26, 9);
    const rows = readReferenceCsv('spy_with_macd.txt');
    let compared = 0;
    rows.forEach((row, i) => {
      const value = macd.update(Number(row.Close));
      const expected = num(row.MACD);
      // Lean seeds the fast EMA with the first 12 closes, TA-Lib (and we) with the 12 before the
      // slow EMA's start: the two agree to a cent after ~60 bars.
      if (expected === null || i < 100) return;
      expect(Math.abs((value?.macd as number) - expected)).toBeLessThanOrEqual(0.01);
      expect(Math.abs((value?.signal as number) - Number(row.Signal))).toBeLessThanOrEqual(0.01);
      compared++;
    });
    expect(compared).toBeGreaterThan(100);
  });

  it('Wilder ATR 14 of spy_atr_wilder.txt converges (Lean seeds one bar earlier than TA-Lib)', () => {
    const atr = new Atr(14);
    const rows = readReferenceCsv('spy_atr_wilder.txt');
    let compared = 0;
    rows.forEach((row, i) => {
      const value = atr.update({ high: Number(row.High), low: Number(row.Low), close: Number(row.Close) });
      const expected = num(row['Average True Range 14']);
      if (expected === null || i < 80) return;
      expect(Math.abs((value as number) - expected)).toBeLessThanOrEqual(0.001);
      compared++;
    });
    expect(compared).toBeGreaterThan(100);
  });
});

describe('incremental indicators', () => {
  const bar = (close: number, i: number): Bar => ({
    symbol: 'X', timeframe: '1m', openTime: i * 60_000, open: close - 0.1, high: close + 0.3, low: close - 0.4, close, volume: 100 + i, tradeCount: 1, vwap: close, session: 'regular',
  });

  it('preview of the forming bar equals what update commits, for every indicator, however often it was revised', () => {
    const set = new IndicatorSet(ALL_INDICATORS);
    const ctx = { vwap: { vwap: 100, sigma: 0.5 }, relativeVolume: 1.5 };
    let warm = 0;
    for (let i = 0; i < 80; i++) {
      const b = bar(100 + Math.sin(i / 4) * 2 + (i % 5) * 0.07, i);
      set.preview(bar(90, i), ctx); // earlier states of the forming bar leave no trace
      set.preview(bar(110, i), ctx);
      const preview = set.preview(b, ctx);
      const committed = set.update(b, ctx);
      expect(committed).toEqual(preview);
      if (Object.values(committed).every((v) => v !== null)) warm++;
    }
    expect(warm).toBeGreaterThan(40);
  });

  it('parses indicator lists and names an unknown one', () => {
    expect(parseIndicatorList('all')).toEqual([...ALL_INDICATORS]);
    expect(parseIndicatorList('ema9, rsi14')).toEqual(['ema9', 'rsi14']);
    expect(() => parseIndicatorList('ema9,foo7')).toThrow(/Unknown indicator "foo7"/);
    expect(() => parseIndicatorList('ema0')).toThrow(RangeError);
    expect(() => parseIndicatorList('ema9:vwap')).toThrow(/Unknown price source/);
    expect(DEFAULT_INDICATORS).toHaveLength(16);
  });

  it('session VWAP bands use the volume-weighted σ', () => {
    const vwap = new SessionVwap();
    vwap.add(10, 100, 'regular', 0);
    vwap.add(12, 100, 'regular', 0);
    expect(vwap.snapshot()).toEqual({ vwap: 11, sigma: 1 });
    vwap.add(50, 100, 'after_hours', 0);
    expect(vwap.snapshot().vwap).toBe(11);
  });

  it('relative volume compares a bar with the same bar of earlier sessions', () => {
    const rv = new RelativeVolume(2);
    expect(rv.update({ date: '2024-01-02', minuteOfDay: 570, volume: 1000 })).toBeNull();
    rv.update({ date: '2024-01-03', minuteOfDay: 570, volume: 3000 });
    expect(rv.update({ date: '2024-01-04', minuteOfDay: 570, volume: 6000 })).toBe(3);
    expect(rv.cumulative(570)).toBe(3);
    expect(rv.preview({ date: '2024-01-05', minuteOfDay: 570, volume: 4500 })).toBe(1);
  });
});

describe('relative volume across sessions', () => {
  it('counts a minute without prints as 0 in the average and carries the running total through it', () => {
    const rv = new RelativeVolume(2);
    rv.update({ date: '2024-01-02', minuteOfDay: 570, volume: 1000 });
    rv.update({ date: '2024-01-02', minuteOfDay: 571, volume: 1000 });
    rv.update({ date: '2024-01-03', minuteOfDay: 570, volume: 3000 }); // no print at 571 this day
    expect(rv.update({ date: '2024-01-04', minuteOfDay: 571, volume: 500 })).toBe(1); // (1000 + 0) / 2 = 500
    expect(rv.cumulative(571)).toBe(0.2); // 500 / ((2000 + 3000) / 2)
  });
});
