/**
 * Conversions from engine bars to lightweight-charts data. Times are UTC seconds; the chart's
 * formatters show them in exchange time.
 */
import type { CandlestickData, HistogramData, LineData, UTCTimestamp, WhitespaceData } from 'lightweight-charts';
import type { BarWithIndicators } from '../../../shared/protocol';

export const UP_COLOR = '#26a69a';
export const DOWN_COLOR = '#ef5350';

export interface ChartPoint {
  readonly candle: CandlestickData<UTCTimestamp>;
  readonly volume: HistogramData<UTCTimestamp>;
  readonly vwap: LineData<UTCTimestamp> | WhitespaceData<UTCTimestamp>;
  readonly ema9: LineData<UTCTimestamp> | WhitespaceData<UTCTimestamp>;
  readonly ema20: LineData<UTCTimestamp> | WhitespaceData<UTCTimestamp>;
}

function line(time: UTCTimestamp, value: number | null | undefined): LineData<UTCTimestamp> | WhitespaceData<UTCTimestamp> {
  return value === null || value === undefined ? { time } : { time, value };
}

/** One bar as the chart's candle, volume and overlay points. */
export function toChartPoint({ bar, indicators }: BarWithIndicators): ChartPoint {
  const time = (bar.openTime / 1000) as UTCTimestamp;
  return {
    candle: { time, open: bar.open, high: bar.high, low: bar.low, close: bar.close },
    volume: { time, value: bar.volume, color: bar.close >= bar.open ? `${UP_COLOR}80` : `${DOWN_COLOR}80` },
    vwap: line(time, indicators.sessionVwap),
    ema9: line(time, indicators.ema9),
    ema20: line(time, indicators.ema20),
  };
}
