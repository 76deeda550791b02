/**
 * Conversions from engine bars to lightweight-charts data, and the bar bookkeeping the chart
 * needs (which bars show, where a live update goes, which bar holds a moment). Pure: no chart,
 * no DOM. Chart times are UTC seconds; the chart's formatters show them in exchange time.
 */
import type { CandlestickData, HistogramData, UTCTimestamp, WhitespaceData } from 'lightweight-charts';
import type { Bar, Timeframe } from '../../../shared/domain';
import type { BarWithIndicators } from '../../../shared/protocol';

/** Colour of a candle that closed at or above its open. */
export const UP_COLOR = '#26a69a';
/** Colour of a candle that closed below its open. */
export const DOWN_COLOR = '#ef5350';
/** Background of pre-market and after-hours bars: a translucent full-height column. */
export const EXTENDED_SESSION_SHADE = 'rgba(125, 133, 144, 0.12)';

/** A bar of the chart: anything with the engine bar's open time (ms since epoch). */
export interface TimedBar {
  readonly bar: Pick<Bar, 'openTime'>;
}

/**
 * Longest span of one bar, ms. Intraday bars never cross a session boundary, so a bar can be
 * shorter (the 09:00 hour's regular bar runs 09:30–10:00); the daily bar spans at most
 * 04:00–20:00 ET.
 */
export const BAR_SPAN_MS: Readonly<Record<Timeframe, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '1d': 16 * 3_600_000,
};

/** Chart time (UTC seconds) of ms since epoch. */
export function chartTime(ms: number): UTCTimestamp {
  return Math.floor(ms / 1000) as UTCTimestamp;
}

/** Whether the timeframe is intraday (everything but daily bars). */
export function isIntraday(timeframe: Timeframe): boolean {
  return timeframe !== '1d';
}

/**
 * Whether a bar shows on the chart: daily bars always; intraday pre-market and after-hours bars
 * only with extended hours on (the `charts.extendedHours` setting).
 */
export function showsBar(row: BarWithIndicators, timeframe: Timeframe, extendedHours: boolean): boolean {
  return extendedHours || !isIntraday(timeframe) || row.bar.session === 'regular';
}

/** One bar as a candle (USD). */
export function candlePoint({ bar }: BarWithIndicators): CandlestickData<UTCTimestamp> {
  return { time: chartTime(bar.openTime), open: bar.open, high: bar.high, low: bar.low, close: bar.close };
}

/** One bar's volume (shares) as a histogram column, coloured by the candle's direction. */
export function volumePoint({ bar }: BarWithIndicators): HistogramData<UTCTimestamp> {
  return { time: chartTime(bar.openTime), value: bar.volume, color: bar.close >= bar.open ? `${UP_COLOR}80` : `${DOWN_COLOR}80` };
}

/**
 * The session-shading column of one bar: value 1 (a full-height column on the shading series'
 * own 0–1 price scale) for pre-market and after-hours bars of an intraday chart with extended
 * hours shown, otherwise whitespace (a regular bar, a daily chart, or extended hours off).
 */
export function sessionShadePoint(
  { bar }: BarWithIndicators,
  timeframe: Timeframe,
  extendedHours: boolean,
): HistogramData<UTCTimestamp> | WhitespaceData<UTCTimestamp> {
  const time = chartTime(bar.openTime);
  const shaded = extendedHours && isIntraday(timeframe) && bar.session !== 'regular' && bar.session !== 'closed';
  return shaded ? { time, value: 1, color: EXTENDED_SESSION_SHADE } : { time };
}

/** What {@link upsertBar} did with an update. */
export type BarUpsert =
  /** A bar newer than the last: added at the end. */
  | { readonly kind: 'appended'; readonly index: number }
  /** The forming (last) bar revised. */
  | { readonly kind: 'revised'; readonly index: number }
  /** A closed bar corrected by a late print. */
  | { readonly kind: 'corrected'; readonly index: number }
  /** Older than the last bar and not on the chart: dropped (a chart cannot insert in the past). */
  | { readonly kind: 'ignored' };

/**
 * Puts a live bar update into `rows` (ascending by open time, changed in place): appends a new
 * bar, replaces the forming one, or replaces a corrected closed bar.
 */
export function upsertBar<T extends TimedBar>(rows: T[], update: T): BarUpsert {
  const time = update.bar.openTime;
  const lastIndex = rows.length - 1;
  const last = rows[lastIndex];
  if (!last || time > last.bar.openTime) {
    rows.push(update);
    return { kind: 'appended', index: rows.length - 1 };
  }
  if (time === last.bar.openTime) {
    rows[lastIndex] = update;
    return { kind: 'revised', index: lastIndex };
  }
  const index = lastBarAtOrBefore(rows, time);
  if (index >= 0 && rows[index]?.bar.openTime === time) {
    rows[index] = update;
    return { kind: 'corrected', index };
  }
  return { kind: 'ignored' };
}

/** Index of the last bar opening at or before `time` (ms), or -1; `rows` ascending. O(log n). */
function lastBarAtOrBefore(rows: readonly TimedBar[], time: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((rows[mid]?.bar.openTime ?? Infinity) <= time) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Index of the bar of `timeframe` that holds the moment `time` (ms since epoch), or -1 when no
 * bar on the chart holds it (a gap, extended hours hidden, before the first or after the last
 * bar's span). `rows` ascending by open time. O(log n).
 */
export function barIndexAt(rows: readonly TimedBar[], time: number, timeframe: Timeframe): number {
  const index = lastBarAtOrBefore(rows, time);
  const bar = rows[index];
  return bar && time < bar.bar.openTime + BAR_SPAN_MS[timeframe] ? index : -1;
}

/**
 * Merges a batch of live updates into a snapshot: a new array (the snapshot is not changed),
 * ascending by open time, each bar at its latest version.
 */
export function mergeBars(snapshot: readonly BarWithIndicators[], updates: Iterable<BarWithIndicators>): BarWithIndicators[] {
  const rows = [...snapshot];
  for (const update of updates) upsertBar(rows, update);
  return rows;
}
