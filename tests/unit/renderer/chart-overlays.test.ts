import { describe, expect, it } from 'vitest';
import { DEFAULT_INDICATORS } from '../../../electron/engine/indicators/indicator-set';
import type { BarWithIndicators } from '../../../shared/protocol';
import {
  DEFAULT_OVERLAYS,
  OVERLAYS,
  OVERLAY_IDS,
  chartParamsFrom,
  overlayPoint,
  parseOverlayList,
  toggleOverlay,
  type OverlayPlot,
} from '../../../renderer/windows/chart/chart-overlays';

const openTime = Date.UTC(2024, 2, 15, 13, 45);
const time = openTime / 1000;
const row = (indicators: BarWithIndicators['indicators']): BarWithIndicators => ({
  bar: { symbol: 'IBM', timeframe: '1m', openTime, open: 100, high: 101, low: 99, close: 100.5, volume: 5_000, tradeCount: 40, vwap: 100.2, session: 'regular' },
  indicators,
});
const plot = (field: string): OverlayPlot => {
  for (const definition of Object.values(OVERLAYS)) {
    const found = definition.plots.find((p) => p.kind !== 'volume' && p.field === field);
    if (found) return found;
  }
  throw new Error(`no plot of ${field}`);
};

describe('overlay points', () => {
  it('draws an indicator value at the bar’s time', () => {
    expect(overlayPoint(plot('sessionVwap'), row({ sessionVwap: 100.25 }))).toEqual({ time, value: 100.25 });
    expect(overlayPoint(plot('vwapUpper2'), row({ vwapUpper2: 102.1 }))).toEqual({ time, value: 102.1 });
  });

  it('leaves whitespace while an indicator warms up or when the engine did not send it', () => {
    expect(overlayPoint(plot('ema20'), row({ ema20: null }))).toEqual({ time });
    expect(overlayPoint(plot('rsi14'), row({}))).toEqual({ time });
  });

  it('colours the MACD histogram green above zero and red below', () => {
    expect(overlayPoint(plot('macdHist'), row({ macdHist: 0.12 }))).toMatchObject({ value: 0.12, color: expect.stringMatching(/^#26a69a/) });
    expect(overlayPoint(plot('macdHist'), row({ macdHist: -0.05 }))).toMatchObject({ value: -0.05, color: expect.stringMatching(/^#ef5350/) });
  });

  it('draws volume in shares from the bar', () => {
    expect(overlayPoint({ kind: 'volume' }, row({}))).toMatchObject({ time, value: 5_000 });
  });

  it('reads only fields the engine computes by default, so every overlay has data', () => {
    const fields = Object.values(OVERLAYS).flatMap((d) => d.plots.flatMap((p) => (p.kind === 'volume' ? [] : [p.field])));
    expect(fields).toContain('vwapLower2');
    for (const field of fields) expect(DEFAULT_INDICATORS).toContain(field);
  });

  it('puts RSI and MACD in lower panes, RSI with 70/30 guides on a 0–100 scale', () => {
    expect(OVERLAYS.rsi).toMatchObject({ pane: 'lower', guides: [70, 30], range: { min: 0, max: 100 } });
    expect(OVERLAYS.macd.pane).toBe('lower');
    expect(OVERLAYS.macd.plots.map((p) => (p.kind === 'volume' ? 'volume' : p.field))).toEqual(['macdHist', 'macd', 'macdSignal']);
    expect(OVERLAY_IDS.filter((id) => OVERLAYS[id].pane === 'price')).toEqual(['volume', 'vwap', 'vwapBands', 'ema9', 'ema20', 'sma20', 'bollinger']);
  });
});

describe('chart settings from the URL', () => {
  it('reads timeframe and overlays, in menu order', () => {
    expect(chartParamsFrom('?window=chart&symbol=IBM&timeframe=5m&indicators=rsi,vwap,ema9')).toEqual({ timeframe: '5m', overlays: ['vwap', 'ema9', 'rsi'] });
  });

  it('opens on 1m with volume, VWAP, EMA 9 and EMA 20 when nothing is asked', () => {
    expect(chartParamsFrom('?window=chart')).toEqual({ timeframe: '1m', overlays: DEFAULT_OVERLAYS });
    expect(DEFAULT_OVERLAYS).toEqual(['volume', 'vwap', 'ema9', 'ema20']);
  });

  it('ignores an unknown timeframe and unknown overlay ids; an empty list means none', () => {
    expect(chartParamsFrom('?timeframe=2m&indicators=vwap,ichimoku,,EMA20')).toEqual({ timeframe: '1m', overlays: ['vwap', 'ema20'] });
    expect(chartParamsFrom('?indicators=').overlays).toEqual([]);
  });

  it('accepts the engine’s indicator names for their overlay, once each', () => {
    expect(parseOverlayList('sessionVwap,bbUpper20,bbLower20,rsi14,macdHist,vwapUpper1')).toEqual(['vwap', 'vwapBands', 'bollinger', 'rsi', 'macd']);
  });
});

describe('overlay menu', () => {
  it('switches one overlay on or off and keeps menu order', () => {
    expect(toggleOverlay(['vwap', 'ema9'], 'macd', true)).toEqual(['vwap', 'ema9', 'macd']);
    expect(toggleOverlay(['vwap', 'ema9'], 'volume', true)).toEqual(['volume', 'vwap', 'ema9']);
    expect(toggleOverlay(['vwap', 'ema9'], 'vwap', false)).toEqual(['ema9']);
  });
});
