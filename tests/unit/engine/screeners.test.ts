import { describe, expect, it } from 'vitest';
import { DEFAULT_GAP_AND_GO, DEFAULT_VWAP_RECLAIM, type Bar, type ScreenerConfig } from '../../../shared/domain';
import { GapAndGo } from '../../../electron/engine/screeners/gap-and-go';
import { ScreenerRunner } from '../../../electron/engine/screeners/screener-runner';
import { VwapReclaim } from '../../../electron/engine/screeners/vwap-reclaim';
import { sessionTimes } from '../../../electron/engine/market/session-clock';

const OPEN = sessionTimes('2024-06-03').regularOpen;
let minute = 0;
const bar = (close: number, volume = 1000, low = close - 0.05, symbol = 'GAPR'): Bar => ({
  symbol, timeframe: '1m', openTime: OPEN + 60_000 * minute++, open: close, high: close + 0.05, low, close, volume, tradeCount: 10, vwap: close, session: 'regular',
});

describe('Gap & Go', () => {
  const screener = new GapAndGo(DEFAULT_GAP_AND_GO);

  it('fires on a 10 %+ gap with 3× relative volume holding above VWAP, with stop under VWAP and a 2:1 target', () => {
    const hit = screener.onBar({ bar: bar(11.5), sessionVwap: 11.2, previousClose: 10, cumulativeRelativeVolume: 3.6 });
    expect(hit?.suggestion).toEqual({ side: 'buy', entry: 11.5, stop: 11.19, target: 12.12, rewardRisk: 2 });
    expect(hit?.values.gapPercent).toBeCloseTo(15, 9);
    expect(hit?.values.confidence).toBeCloseTo(0.75, 9);
    expect(hit?.message).toMatch(/GAPR is up 15\.0% from \$10\.00 on 3\.6× usual volume and holds above VWAP \$11\.20/);
  });

  it('grows confidence with the gap, capped at 1', () => {
    const small = screener.onBar({ bar: bar(11), sessionVwap: 10.8, previousClose: 10, cumulativeRelativeVolume: 4 });
    const big = screener.onBar({ bar: bar(13), sessionVwap: 12.5, previousClose: 10, cumulativeRelativeVolume: 4 });
    expect(small?.values.confidence).toBeCloseTo(0.5, 9);
    expect(big?.values.confidence).toBe(1);
  });

  it.each([
    ['the gap is too small', { bar: bar(10.5), sessionVwap: 10.4, previousClose: 10, cumulativeRelativeVolume: 5 }],
    ['volume is ordinary', { bar: bar(11.5), sessionVwap: 11.2, previousClose: 10, cumulativeRelativeVolume: 2.9 }],
    ['price is below VWAP', { bar: bar(11.5), sessionVwap: 11.6, previousClose: 10, cumulativeRelativeVolume: 5 }],
    ['there is no previous close', { bar: bar(11.5), sessionVwap: 11.2, previousClose: null, cumulativeRelativeVolume: 5 }],
    ['the bar is pre-market', { bar: { ...bar(11.5), session: 'pre_market' as const }, sessionVwap: 11.2, previousClose: 10, cumulativeRelativeVolume: 5 }],
  ])('stays quiet when %s', (_why, ctx) => {
    expect(screener.onBar(ctx)).toBeNull();
  });
});

describe('VWAP reclaim', () => {
  it('fires when a bar closes back above VWAP after N bars below on enough volume; stop under its low', () => {
    const screener = new VwapReclaim({ ...DEFAULT_VWAP_RECLAIM, minBarsBelow: 3 });
    for (let i = 0; i < 3; i++) expect(screener.onBar({ bar: bar(99.8, 1000), sessionVwap: 100, previousClose: null, cumulativeRelativeVolume: null })).toBeNull();
    const hit = screener.onBar({ bar: bar(100.2, 2000, 99.9), sessionVwap: 100, previousClose: null, cumulativeRelativeVolume: null });
    expect(hit?.suggestion).toEqual({ side: 'buy', entry: 100.2, stop: 99.89, target: 100.82, rewardRisk: 2 });
    expect(hit?.values).toMatchObject({ barsBelow: 3, volumeRatio: 2 });
  });

  it('needs volume confirmation and enough bars below', () => {
    const screener = new VwapReclaim({ ...DEFAULT_VWAP_RECLAIM, minBarsBelow: 3, minVolumeRatio: 1.5 });
    for (let i = 0; i < 3; i++) screener.onBar({ bar: bar(99.8, 1000), sessionVwap: 100, previousClose: null, cumulativeRelativeVolume: null });
    expect(screener.onBar({ bar: bar(100.2, 1200), sessionVwap: 100, previousClose: null, cumulativeRelativeVolume: null })).toBeNull();
    for (let i = 0; i < 2; i++) screener.onBar({ bar: bar(99.8, 1000), sessionVwap: 100, previousClose: null, cumulativeRelativeVolume: null });
    expect(screener.onBar({ bar: bar(100.2, 5000), sessionVwap: 100, previousClose: null, cumulativeRelativeVolume: null })).toBeNull();
  });
});

describe('ScreenerRunner', () => {
  const config = (over: Partial<ScreenerConfig> = {}): ScreenerConfig =>
    ({ id: 'gap', kind: 'gap-and-go', name: 'Gap', enabled: true, symbols: [], maxAlertsPerDay: 2, cooldownMinutes: 10, params: DEFAULT_GAP_AND_GO, ...over }) as ScreenerConfig;
  const hot = (symbol = 'GAPR') => ({ bar: bar(11.5, 1000, 11.45, symbol), sessionVwap: 11.2, previousClose: 10, cumulativeRelativeVolume: 4 });

  it('builds full alerts and rate-limits them per symbol: cooldown, then a daily maximum', () => {
    const runner = new ScreenerRunner([config()]);
    const first = runner.onBar(hot());
    expect(first).toEqual([
      expect.objectContaining({ source: 'screener', kind: 'gap-and-go', instanceId: 'gap', symbol: 'GAPR', title: 'Gap & Go GAPR', barTime: expect.any(Number) }),
    ]);
    let fired = 1;
    for (let i = 0; i < 40; i++) fired += runner.onBar(hot()).length;
    expect(fired).toBe(2);
    expect(runner.onBar(hot('OTHR'))).toHaveLength(1);
  });

  it('screens only the configured symbols, skips disabled instances, and applies a new configuration at once', () => {
    const runner = new ScreenerRunner([config({ symbols: ['AAA'] })]);
    expect(runner.onBar(hot('GAPR'))).toHaveLength(0);
    runner.configure([config({ symbols: [] })]);
    expect(runner.onBar(hot('GAPR'))).toHaveLength(1);
    runner.configure([config({ symbols: [], enabled: false })]);
    expect(runner.onBar(hot('NEWW'))).toHaveLength(0);
  });
});
