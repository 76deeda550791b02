import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Bar, type Quote } from '../../../shared/domain';
import { AnomalyDetector } from '../../../electron/engine/anomaly/anomaly-detector';
import { sessionTimes } from '../../../electron/engine/market/session-clock';

const OPEN = sessionTimes('2024-06-03').regularOpen;
const settings = { ...DEFAULT_SETTINGS.anomaly, windowBars: 20, cooldownMinutes: 5 };
const bar = (i: number, close: number, volume = 1000): Bar => ({
  symbol: 'IBM', timeframe: '1m', openTime: OPEN + i * 60_000, open: close, high: close, low: close, close, volume, tradeCount: 1, vwap: close, session: 'regular',
});
const quote = (t: number, bid: number, ask: number): Quote => ({ symbol: 'IBM', bid, bidSize: 100, bidExchange: 'N', ask, askSize: 100, askExchange: 'P', time: t });

function calmDetector(): AnomalyDetector {
  const d = new AnomalyDetector('IBM', settings);
  for (let i = 0; i < 20; i++) d.onBar(bar(i, 100 + (i % 2 ? 0.02 : -0.02)));
  return d;
}

describe('AnomalyDetector', () => {
  it('flags a price spike with its z-score, critical when far beyond the threshold', () => {
    const alerts = calmDetector().onBar(bar(20, 101));
    expect(alerts).toEqual([expect.objectContaining({ kind: 'price-spike', severity: 'critical', source: 'anomaly' })]);
    expect(alerts[0]?.values.zScore).toBeGreaterThan(6);
    expect(alerts[0]?.message).toMatch(/IBM moved \+0\.9\d% in one minute/);
  });

  it('flags a volume spike against the recent average', () => {
    const alerts = calmDetector().onBar(bar(20, 100.02, 8000));
    expect(alerts.map((a) => a.kind)).toEqual(['volume-spike']);
    expect(alerts[0]?.values.multiple).toBeCloseTo(8, 6);
  });

  it('stays quiet on ordinary bars', () => {
    expect(calmDetector().onBar(bar(20, 99.98, 1100))).toEqual([]);
  });

  it('flags a spread blow-out against the normal spread, and a crossed market', () => {
    const d = new AnomalyDetector('IBM', settings);
    for (let i = 0; i < 150; i++) expect(d.onQuote(quote(OPEN + i * 1000, 100, 100.02), true)).toEqual([]);
    const wide = d.onQuote(quote(OPEN + 200_000, 99.9, 100.1), true);
    expect(wide).toEqual([expect.objectContaining({ kind: 'spread-blowout', severity: 'warning' })]);
    expect(wide[0]?.values.multiple).toBeGreaterThan(5);
    expect(d.onQuote(quote(OPEN + 201_000, 100.05, 100.01), true)).toEqual([expect.objectContaining({ kind: 'crossed-market' })]);
  });

  it('flags a symbol that went silent in the regular session once, until it updates again', () => {
    const d = new AnomalyDetector('IBM', settings);
    d.onQuote(quote(OPEN, 100, 100.02), true);
    expect(d.onClock(OPEN + 29_000, true)).toEqual([]);
    expect(d.onClock(OPEN + 31_000, true)).toEqual([expect.objectContaining({ kind: 'stale-symbol' })]);
    expect(d.isStale).toBe(true);
    expect(d.onClock(OPEN + 60_000, true)).toEqual([]);
    d.onTrade(OPEN + 61_000);
    expect(d.isStale).toBe(false);
  });

  it('keeps alerts of one kind at least the cooldown apart, and does nothing when disabled', () => {
    const d = calmDetector();
    expect(d.onBar(bar(20, 101))).toHaveLength(1);
    expect(d.onBar(bar(21, 100)).filter((a) => a.kind === 'price-spike')).toHaveLength(0);
    d.configure({ ...settings, enabled: false });
    expect(d.onBar(bar(40, 110, 90_000))).toEqual([]);
  });
});

describe('AnomalyDetector across sessions', () => {
  it('does not score the overnight gap or the open against the previous segment', () => {
    const d = calmDetector();
    const nextDay = sessionTimes('2024-06-04').regularOpen;
    expect(d.onBar({ ...bar(0, 108, 20_000), openTime: nextDay })).toEqual([]);
  });

  it('measures silence from the open, not from the evening before', () => {
    const d = new AnomalyDetector('IBM', settings);
    d.onQuote(quote(sessionTimes('2024-06-03').afterHoursClose - 60_000, 100, 100.02), false);
    const open = sessionTimes('2024-06-04').regularOpen;
    expect(d.onClock(open + 1_000, true)).toEqual([]);
    expect(d.onClock(open + 31_000, true)).toEqual([expect.objectContaining({ kind: 'stale-symbol' })]);
  });
});
