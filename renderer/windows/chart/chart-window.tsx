/**
 * Chart: 1-minute candles with volume, session VWAP and EMA(9)/EMA(20). History arrives with
 * `setData` once per symbol; live updates go straight from the store to `series.update()`
 * without a React render.
 */
import { useEffect, useRef, useState } from 'react';
import {
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  LineSeries,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type SeriesType,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { TIMEFRAMES, type Timeframe } from '../../../shared/domain';
import type { BarWithIndicators, LinkGroup } from '../../../shared/protocol';
import { barKey } from '../../state/reducers';
import { formatExchangeDate, formatExchangeMinute, formatExchangeTime, formatPrice } from '../../components/format';
import { useLinkedSymbol, useTopics, useWorkstation, useWorkstationState } from '../../workstation-context';
import { DOWN_COLOR, UP_COLOR, toChartPoint } from './chart-series';

interface ChartSeries {
  readonly candles: ISeriesApi<'Candlestick'>;
  readonly volume: ISeriesApi<'Histogram'>;
  readonly vwap: ISeriesApi<'Line'>;
  readonly ema9: ISeriesApi<'Line'>;
  readonly ema20: ISeriesApi<'Line'>;
}

const toMs = (time: Time): number => (time as UTCTimestamp) * 1000;

function createWorkstationChart(element: HTMLElement, timeframe: Timeframe): { chart: IChartApi; series: ChartSeries } {
  const chart = createChart(element, {
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: '#0f1115' }, textColor: '#c9d1d9', fontSize: 11 },
    grid: { vertLines: { color: '#1c212b' }, horzLines: { color: '#1c212b' } },
    timeScale: {
      timeVisible: timeframe !== '1d',
      secondsVisible: false,
      tickMarkFormatter: (time: Time) => (timeframe === '1d' ? formatExchangeDate(toMs(time)) : formatExchangeMinute(toMs(time))),
    },
    localization: { timeFormatter: (time: Time) => `${formatExchangeTime(toMs(time))} ET` },
    rightPriceScale: { borderColor: '#2a3140' },
  });
  const line = (color: string, title: string): ISeriesApi<'Line'> =>
    chart.addSeries(LineSeries, { color, lineWidth: 1, title, priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false });
  const series: ChartSeries = {
    candles: chart.addSeries(CandlestickSeries, {
      upColor: UP_COLOR,
      downColor: DOWN_COLOR,
      wickUpColor: UP_COLOR,
      wickDownColor: DOWN_COLOR,
      borderVisible: false,
    }),
    volume: chart.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false }),
    vwap: line('#f0b429', 'VWAP'),
    ema9: line('#58a6ff', 'EMA 9'),
    ema20: line('#bc8cff', 'EMA 20'),
  };
  chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  return { chart, series };
}

function forEachSeries(series: ChartSeries, fn: (s: ISeriesApi<SeriesType>) => void): void {
  for (const s of [series.candles, series.volume, series.vwap, series.ema9, series.ema20]) fn(s as ISeriesApi<SeriesType>);
}

export function ChartWindow({ group, initialSymbol }: { group: LinkGroup; initialSymbol: string | null }) {
  const workstation = useWorkstation();
  const symbol = useLinkedSymbol(group, initialSymbol);
  const [timeframe, setTimeframe] = useState<Timeframe>('1m');
  useTopics(symbol ? [`bars:${symbol}:${timeframe}`, `quotes:${symbol}`, 'settings'] : ['settings']);
  const extendedHours = useWorkstationState((s) => s.settings?.charts.extendedHours ?? true);
  const showsBar = (b: BarWithIndicators): boolean => extendedHours || timeframe === '1d' || b.bar.session === 'regular';
  const last = useWorkstationState((s) => (symbol ? s.tickers[symbol]?.last : undefined));
  const stale = useWorkstationState((s) => (symbol ? (s.tickers[symbol]?.stale ?? false) : false));
  const halt = useWorkstationState((s) => (symbol ? (s.tickers[symbol]?.halt ?? null) : null));
  const luld = useWorkstationState((s) => (symbol ? (s.tickers[symbol]?.luld ?? null) : null));
  const containerRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = containerRef.current;
    if (!element || !symbol) return undefined;
    const { chart, series } = createWorkstationChart(element, timeframe);
    const key = barKey(symbol, timeframe);
    let version = -1;
    let barCount = 0;
    let lastBarTime = -Infinity;
    const publishStats = (close: number | null): void => {
      element.dataset.bars = String(barCount);
      if (close !== null) element.dataset.lastClose = String(close);
    };
    const render = (): void => {
      const state = workstation.store.getState().bars[key];
      if (!state) return;
      if (state.snapshotVersion !== version) {
        version = state.snapshotVersion;
        const points = state.snapshot.filter(showsBar).map(toChartPoint);
        series.candles.setData(points.map((p) => p.candle));
        series.volume.setData(points.map((p) => p.volume));
        series.vwap.setData(points.map((p) => p.vwap));
        series.ema9.setData(points.map((p) => p.ema9));
        series.ema20.setData(points.map((p) => p.ema20));
        barCount = points.length;
        lastBarTime = points.length > 0 ? (points[points.length - 1]?.candle.time ?? -Infinity) : -Infinity;
        publishStats(state.snapshot.filter(showsBar).at(-1)?.bar.close ?? null);
        return;
      }
      for (const update of state.updates) {
        if (!showsBar(update)) continue;
        const p = toChartPoint(update);
        if (p.candle.time < lastBarTime) continue;
        if (p.candle.time > lastBarTime) barCount++;
        lastBarTime = p.candle.time;
        series.candles.update(p.candle);
        series.volume.update(p.volume);
        series.vwap.update(p.vwap);
        series.ema9.update(p.ema9);
        series.ema20.update(p.ema20);
        publishStats(update.bar.close);
      }
    };
    render();
    const unsubscribe = workstation.store.subscribe((state, previous) => {
      if (state.bars[key] !== previous.bars[key]) render();
    });
    return () => {
      unsubscribe();
      forEachSeries(series, (s) => chart.removeSeries(s));
      chart.remove();
    };
  }, [workstation, symbol, timeframe, extendedHours]);

  return (
    <div className="chart-window">
      <div className="chart-header">
        <strong>{symbol ?? 'No symbol'}</strong>
        {halt ? (
          <span className="badge badge-halt" title={halt}>
            HALT
          </span>
        ) : stale ? (
          <span className="badge badge-stale" data-testid="stale-badge" title="No update at this symbol's usual rate: prices may be old">
            STALE
          </span>
        ) : null}
        {luld ? (
          <span className="luld" title="Limit up–limit down band: trading pauses outside it">
            LULD {luld.limitDown.toFixed(2)}–{luld.limitUp.toFixed(2)}
          </span>
        ) : null}
        <label className="inline-toggle">
          <input
            type="checkbox"
            checked={extendedHours}
            onChange={(e) => void workstation.client.request({ type: 'updateSettings', settings: { charts: { extendedHours: e.target.checked } } })}
          />
          Extended hours
        </label>
        <span className="timeframes" role="group" aria-label="Timeframe">
          {TIMEFRAMES.map((tf) => (
            <button key={tf} type="button" className="small" aria-pressed={tf === timeframe} onClick={() => setTimeframe(tf)}>
              {tf}
            </button>
          ))}
        </span>
        <span className="num">{formatPrice(last)}</span>
        <span className="legend">
          <span style={{ color: '#f0b429' }}>VWAP</span> <span style={{ color: '#58a6ff' }}>EMA 9</span>{' '}
          <span style={{ color: '#bc8cff' }}>EMA 20</span>
        </span>
      </div>
      <div className="chart-container" ref={containerRef} data-testid="chart" data-timeframe={timeframe} aria-label={`${symbol ?? ''} ${timeframe} chart`} role="img" />
    </div>
  );
}
