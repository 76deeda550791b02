/**
 * The chart's overlays: which studies a trader can switch on, how each is drawn (on the price
 * pane or in a lower pane), their points from the engine's indicator fields, and the chart
 * settings read from the page URL (`?timeframe=5m&indicators=vwap,ema9,rsi`). Pure.
 *
 * Indicator fields are the engine's `indicator-set` names: `sessionVwap`, `vwapUpper1`…,
 * `ema9`, `ema20`, `sma20`, `bbUpper20`/`bbMiddle20`/`bbLower20`, `rsi14`,
 * `macd`/`macdSignal`/`macdHist`.
 */
import { LineStyle, type HistogramData, type LineData, type UTCTimestamp, type WhitespaceData } from 'lightweight-charts';
import { TIMEFRAMES, type Timeframe } from '../../../shared/domain';
import type { BarWithIndicators } from '../../../shared/protocol';
import { DOWN_COLOR, UP_COLOR, chartTime, volumePoint } from './chart-series';

/** Overlay ids, in menu order; also the ids of the URL's `indicators` and of saved layouts. */
export const OVERLAY_IDS = ['volume', 'vwap', 'vwapBands', 'ema9', 'ema20', 'sma20', 'bollinger', 'rsi', 'macd'] as const;
/** An overlay a trader can switch on: `vwap`, `ema9`, `rsi`, … */
export type OverlayId = (typeof OVERLAY_IDS)[number];

/** Overlays a new chart shows: volume, session VWAP, EMA 9 and EMA 20. */
export const DEFAULT_OVERLAYS: readonly OverlayId[] = ['volume', 'vwap', 'ema9', 'ema20'];

/** One drawn series of an overlay. */
export type OverlayPlot =
  /** A line of an indicator field (USD, or RSI 0–100, or MACD points). */
  | { readonly kind: 'line'; readonly field: string; readonly title: string; readonly color: string; readonly lineStyle: LineStyle }
  /** Histogram of an indicator field, green above zero and red below (MACD histogram). */
  | { readonly kind: 'histogram'; readonly field: string }
  /** Bar volume, shares, on its own scale at the bottom of the price pane. */
  | { readonly kind: 'volume' };

/** How an overlay is drawn. */
export interface OverlayDefinition {
  readonly id: OverlayId;
  /** Name in the menu and the checkbox's accessible name. */
  readonly label: string;
  /** `price`: over the candles; `lower`: a pane of its own under them (RSI, MACD). */
  readonly pane: 'price' | 'lower';
  readonly plots: readonly OverlayPlot[];
  /** Horizontal guide levels of a lower pane (RSI 70/30). */
  readonly guides?: readonly number[];
  /** Fixed value range of a lower pane (RSI 0–100) instead of autoscale. */
  readonly range?: { readonly min: number; readonly max: number };
  /** Legend colour. */
  readonly color: string;
}

const line = (field: string, title: string, color: string, lineStyle: LineStyle = LineStyle.Solid): OverlayPlot => ({ kind: 'line', field, title, color, lineStyle });

const VWAP_COLOR = '#f0b429';
const BAND_COLOR = '#f0b42999';
const BOLLINGER_COLOR = '#8b949e';

/** Every overlay, by id. */
export const OVERLAYS: Readonly<Record<OverlayId, OverlayDefinition>> = {
  volume: { id: 'volume', label: 'Volume', pane: 'price', plots: [{ kind: 'volume' }], color: '#7d8590' },
  vwap: { id: 'vwap', label: 'VWAP', pane: 'price', plots: [line('sessionVwap', 'VWAP', VWAP_COLOR)], color: VWAP_COLOR },
  vwapBands: {
    id: 'vwapBands',
    label: 'VWAP bands',
    pane: 'price',
    plots: [
      line('vwapUpper1', 'VWAP +1σ', BAND_COLOR, LineStyle.Dashed),
      line('vwapLower1', 'VWAP −1σ', BAND_COLOR, LineStyle.Dashed),
      line('vwapUpper2', 'VWAP +2σ', BAND_COLOR, LineStyle.Dotted),
      line('vwapLower2', 'VWAP −2σ', BAND_COLOR, LineStyle.Dotted),
    ],
    color: BAND_COLOR,
  },
  ema9: { id: 'ema9', label: 'EMA 9', pane: 'price', plots: [line('ema9', 'EMA 9', '#58a6ff')], color: '#58a6ff' },
  ema20: { id: 'ema20', label: 'EMA 20', pane: 'price', plots: [line('ema20', 'EMA 20', '#bc8cff')], color: '#bc8cff' },
  sma20: { id: 'sma20', label: 'SMA 20', pane: 'price', plots: [line('sma20', 'SMA 20', '#ff7b72')], color: '#ff7b72' },
  bollinger: {
    id: 'bollinger',
    label: 'Bollinger',
    pane: 'price',
    plots: [
      line('bbUpper20', 'BB upper', BOLLINGER_COLOR),
      line('bbMiddle20', 'BB middle', BOLLINGER_COLOR, LineStyle.Dashed),
      line('bbLower20', 'BB lower', BOLLINGER_COLOR),
    ],
    color: BOLLINGER_COLOR,
  },
  rsi: { id: 'rsi', label: 'RSI', pane: 'lower', plots: [line('rsi14', 'RSI 14', '#d2a8ff')], guides: [70, 30], range: { min: 0, max: 100 }, color: '#d2a8ff' },
  macd: {
    id: 'macd',
    label: 'MACD',
    pane: 'lower',
    plots: [{ kind: 'histogram', field: 'macdHist' }, line('macd', 'MACD', '#58a6ff'), line('macdSignal', 'Signal', '#f0883e')],
    color: '#58a6ff',
  },
};

/** A point of one overlay plot: a line value, a histogram column, or whitespace while the indicator warms up. */
export type OverlayPoint = LineData<UTCTimestamp> | HistogramData<UTCTimestamp> | WhitespaceData<UTCTimestamp>;

/**
 * One bar's point of an overlay plot. An indicator that is not warm yet (`null`) or not sent
 * gives whitespace, so the line starts where the indicator does and every series keeps one
 * point per bar.
 */
export function overlayPoint(plot: OverlayPlot, row: BarWithIndicators): OverlayPoint {
  if (plot.kind === 'volume') return volumePoint(row);
  const time = chartTime(row.bar.openTime);
  const value = row.indicators[plot.field];
  if (value === null || value === undefined || !Number.isFinite(value)) return { time };
  if (plot.kind === 'histogram') return { time, value, color: value >= 0 ? `${UP_COLOR}b3` : `${DOWN_COLOR}b3` };
  return { time, value };
}

/** Engine indicator names accepted for an overlay id (saved layouts may name the fields). */
const ALIASES: Readonly<Record<string, OverlayId>> = {
  sessionvwap: 'vwap',
  vwapupper1: 'vwapBands',
  vwaplower1: 'vwapBands',
  vwapupper2: 'vwapBands',
  vwaplower2: 'vwapBands',
  vwapbands: 'vwapBands',
  bbupper20: 'bollinger',
  bbmiddle20: 'bollinger',
  bblower20: 'bollinger',
  bb: 'bollinger',
  rsi14: 'rsi',
  macdsignal: 'macd',
  macdhist: 'macd',
};

/**
 * Overlay ids of a comma list (`vwap,ema9,rsi`), in menu order without repeats. Unknown ids
 * are ignored; engine field names map to their overlay (`rsi14` → `rsi`). Case-insensitive.
 */
export function parseOverlayList(text: string): OverlayId[] {
  const wanted = new Set<OverlayId>();
  for (const raw of text.split(',')) {
    const name = raw.trim().toLowerCase();
    if (!name) continue;
    const id = OVERLAY_IDS.find((o) => o.toLowerCase() === name) ?? ALIASES[name];
    if (id) wanted.add(id);
  }
  return OVERLAY_IDS.filter((id) => wanted.has(id));
}

/** Chart settings a window opens with. */
export interface ChartParams {
  readonly timeframe: Timeframe;
  readonly overlays: readonly OverlayId[];
}

/**
 * Timeframe and overlays from the page URL (`?timeframe=5m&indicators=vwap,ema9,rsi`): 1m and
 * {@link DEFAULT_OVERLAYS} when absent or unknown; `indicators=` (empty) means none.
 */
export function chartParamsFrom(search: string): ChartParams {
  const params = new URLSearchParams(search);
  const requested = params.get('timeframe');
  const timeframe = TIMEFRAMES.find((tf) => tf === requested) ?? '1m';
  const list = params.get('indicators');
  return { timeframe, overlays: list === null ? DEFAULT_OVERLAYS : parseOverlayList(list) };
}

/** Switches one overlay on or off; the result is in menu order. */
export function toggleOverlay(overlays: readonly OverlayId[], id: OverlayId, on: boolean): OverlayId[] {
  return OVERLAY_IDS.filter((o) => (o === id ? on : overlays.includes(o)));
}
