/**
 * The chart of a chart window: one lightweight-charts instance for the window's life, fed from
 * the zustand store without React. A symbol or timeframe change (or a new snapshot) calls
 * `setData` once per series from the bars already in the store; live bars are coalesced per
 * animation frame (latest version per bar time) and reach each series through `update()` only.
 * Owns every series, pane, price line, marker plugin, timer and channel it creates; `dispose`
 * releases them.
 */
import { CandlestickSeries, ColorType, HistogramSeries, createChart, type IChartApi, type ISeriesApi, type MouseEventParams, type Time, type UTCTimestamp } from 'lightweight-charts';
import type { StoreApi } from 'zustand/vanilla';
import type { Symbol, Timeframe } from '../../../shared/domain';
import type { BarWithIndicators, LinkGroup } from '../../../shared/protocol';
import { formatExchangeDate, formatExchangeMinute, formatExchangeTime } from '../../components/format';
import { barKey, type BarSeriesState, type WorkstationState } from '../../state/reducers';
import { openCrosshairLink, type CrosshairLink } from './chart-crosshair-link';
import { OVERLAYS, type OverlayId } from './chart-overlays';
import { addOverlayPlots, plotOf, stretchPanes, type Plot } from './chart-plots';
import { DOWN_COLOR, UP_COLOR, barIndexAt, candlePoint, chartTime, isIntraday, mergeBars, sessionShadePoint, showsBar, upsertBar } from './chart-series';
import { fillMarkers, tradePriceLines } from './chart-trade-marks';
import { TradeMarksLayer } from './chart-trade-marks-layer';

/** What the chart shows. */
export interface ChartView {
  readonly symbol: Symbol | null;
  readonly timeframe: Timeframe;
  /** Pre-market and after-hours bars on intraday charts (the `charts.extendedHours` setting). */
  readonly extendedHours: boolean;
}

type Row = BarWithIndicators;

/** A hidden window gets no animation frames: flush at least this often, ms. */
const HIDDEN_WINDOW_FLUSH_MS = 250;

/** Runs `callback` at the next animation frame (or after {@link HIDDEN_WINDOW_FLUSH_MS}); returns its cancel. */
function nextFrame(callback: () => void): () => void {
  let done = false;
  const run = (): void => {
    if (done) return;
    done = true;
    cancelAnimationFrame(raf);
    clearTimeout(timer);
    callback();
  };
  const raf = requestAnimationFrame(run);
  const timer = setTimeout(run, HIDDEN_WINDOW_FLUSH_MS);
  return () => {
    done = true;
    cancelAnimationFrame(raf);
    clearTimeout(timer);
  };
}

const toMs = (time: Time): number => (time as UTCTimestamp) * 1000;

/** The chart of one window. */
export class WorkstationChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  /** Always-present series: candles and the session shading (drawn under everything). */
  private readonly basePlots: readonly Plot[];
  private readonly overlayPlots = new Map<OverlayId, Plot[]>();
  private readonly marks: TradeMarksLayer;
  private readonly unsubscribeStore: () => void;
  private view: ChartView = { symbol: null, timeframe: '1m', extendedHours: true };
  private overlays: readonly OverlayId[] = [];
  /** Every bar of the series (snapshot plus live updates), ascending; mirrors what the chart was given. */
  private allRows: Row[] = [];
  /** The bars on the chart: {@link allRows} less hidden extended-hours bars. */
  private rows: Row[] = [];
  private seenVersion = -1;
  private seenUpdates: readonly Row[] | null = null;
  /** A snapshot to `setData` at the next flush, or null. */
  private reloadFrom: readonly Row[] | null = null;
  /** Live updates since the last flush, latest per bar open time. */
  private readonly pending = new Map<number, Row>();
  private linesDirty = false;
  private markersDirty = false;
  private resetScale = false;
  private cancelFrame: (() => void) | null = null;
  private crosshair: CrosshairLink | null = null;
  private applyingRemoteCrosshair = false;

  /**
   * Creates the chart inside `element` (which also receives `data-bars`, `data-last-close`,
   * `data-price-lines` and `data-markers`) and follows `store`.
   */
  constructor(
    private readonly element: HTMLElement,
    private readonly store: StoreApi<WorkstationState>,
  ) {
    this.chart = createChart(element, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#0f1115' }, textColor: '#c9d1d9', fontSize: 11, panes: { separatorColor: '#2a3140' } },
      grid: { vertLines: { color: '#1c212b' }, horzLines: { color: '#1c212b' } },
      timeScale: {
        timeVisible: true,
        secondsVisible: false,
        tickMarkFormatter: (time: Time) => (isIntraday(this.view.timeframe) ? formatExchangeMinute(toMs(time)) : formatExchangeDate(toMs(time))),
      },
      localization: { timeFormatter: (time: Time) => (isIntraday(this.view.timeframe) ? `${formatExchangeTime(toMs(time))} ET` : formatExchangeDate(toMs(time))) },
      rightPriceScale: { borderColor: '#2a3140' },
    });
    const shading = this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'session',
      priceLineVisible: false,
      lastValueVisible: false,
      autoscaleInfoProvider: () => ({ priceRange: { minValue: 0, maxValue: 1 } }),
    });
    this.chart.priceScale('session').applyOptions({ visible: false, scaleMargins: { top: 0, bottom: 0 } });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: UP_COLOR,
      downColor: DOWN_COLOR,
      wickUpColor: UP_COLOR,
      wickDownColor: DOWN_COLOR,
      borderVisible: false,
    });
    // Candles get their data first: the time scale anchors its right edge on the last bar with
    // data, and the shading's whitespace must not become that anchor.
    this.basePlots = [
      plotOf(this.candles, candlePoint),
      plotOf(shading, (row) => sessionShadePoint(row, this.view.timeframe, this.view.extendedHours)),
    ];
    this.marks = new TradeMarksLayer(this.candles, element);
    this.chart.subscribeCrosshairMove(this.onCrosshairMove);
    this.unsubscribeStore = store.subscribe((state, previous) => this.onStoreChange(state, previous));
    this.publishStats();
  }

  /**
   * Shows a symbol and timeframe. A new symbol or timeframe is drawn at once from the bars the
   * store already holds (kept after unsubscribe, so switching back is instant), then replaced
   * when the fresh snapshot arrives. Changing only extended hours redraws the bars already held.
   */
  setView(view: ChartView): void {
    const previous = this.view;
    if (previous.symbol === view.symbol && previous.timeframe === view.timeframe && previous.extendedHours === view.extendedHours) return;
    this.view = view;
    if (previous.timeframe !== view.timeframe) this.chart.applyOptions({ timeScale: { timeVisible: isIntraday(view.timeframe) } });
    if (previous.symbol !== view.symbol || previous.timeframe !== view.timeframe) {
      this.pending.clear();
      this.seenVersion = -1;
      this.seenUpdates = null;
      this.allRows = [];
      this.reloadFrom = [];
      this.resetScale = true;
      this.linesDirty = true;
      const cached = view.symbol ? this.store.getState().bars[barKey(view.symbol, view.timeframe)] : undefined;
      if (cached) this.ingest(cached);
    } else {
      this.reloadFrom = this.allRows;
    }
    this.cancelFrame?.();
    this.cancelFrame = null;
    this.flush();
  }

  /** Shows exactly these overlays; a lower pane is added or removed with RSI / MACD. */
  setOverlays(overlays: readonly OverlayId[]): void {
    const lower = (ids: readonly OverlayId[]): OverlayId[] => ids.filter((id) => OVERLAYS[id].pane === 'lower');
    const lowerAfter = lower(overlays);
    const panesChanged = lower(this.overlays).join() !== lowerAfter.join();
    for (const [id, plots] of this.overlayPlots) {
      if (overlays.includes(id) && !(panesChanged && OVERLAYS[id].pane === 'lower')) continue;
      for (const plot of plots) this.chart.removeSeries(plot.series);
      this.overlayPlots.delete(id);
    }
    for (const id of overlays) {
      if (this.overlayPlots.has(id)) continue;
      const definition = OVERLAYS[id];
      const plots = addOverlayPlots(this.chart, definition, definition.pane === 'lower' ? 1 + lowerAfter.indexOf(id) : 0);
      for (const plot of plots) plot.setData(this.rows);
      this.overlayPlots.set(id, plots);
    }
    if (panesChanged) stretchPanes(this.chart);
    this.overlays = [...overlays];
  }

  /** Shares the crosshair time with the charts of `group` (another window's), or stops sharing (`null`). */
  setCrosshairGroup(group: LinkGroup | null): void {
    this.crosshair?.dispose();
    this.crosshair = group === null ? null : openCrosshairLink(group, (time) => this.showCrosshairAt(time));
  }

  /** Releases the chart, its series, plugins, timers, channel and store subscription. */
  dispose(): void {
    this.cancelFrame?.();
    this.cancelFrame = null;
    this.unsubscribeStore();
    this.setCrosshairGroup(null);
    this.chart.unsubscribeCrosshairMove(this.onCrosshairMove);
    this.marks.dispose();
    this.chart.remove();
  }

  private *plots(): Iterable<Plot> {
    yield* this.basePlots;
    for (const plots of this.overlayPlots.values()) yield* plots;
  }

  private onStoreChange(state: WorkstationState, previous: WorkstationState): void {
    const { symbol, timeframe } = this.view;
    if (symbol === null) return;
    const key = barKey(symbol, timeframe);
    const series = state.bars[key];
    if (series && series !== previous.bars[key]) this.ingest(series);
    if (state.orders !== previous.orders) this.linesDirty = true;
    const position = state.positions[symbol];
    const before = previous.positions[symbol];
    // A position is re-marked on every trade; only its size and entry move the line.
    if (position?.quantity !== before?.quantity || position?.averageEntryPrice !== before?.averageEntryPrice) this.linesDirty = true;
    if (state.fills !== previous.fills) this.markersDirty = true;
    if (this.linesDirty || this.markersDirty) this.schedule();
  }

  /** Takes a store series: a new snapshot to reload, and every update of its latest batch. */
  private ingest(series: BarSeriesState): void {
    if (series.snapshotVersion !== this.seenVersion) {
      this.seenVersion = series.snapshotVersion;
      this.reloadFrom = series.snapshot;
      this.pending.clear();
    }
    if (series.updates !== this.seenUpdates) {
      this.seenUpdates = series.updates;
      for (const update of series.updates) this.pending.set(update.bar.openTime, update);
    }
    this.schedule();
  }

  private schedule(): void {
    this.cancelFrame ??= nextFrame(() => {
      this.cancelFrame = null;
      this.flush();
    });
  }

  /** Draws what arrived since the last frame: one `setData` for a reload, else one `update` per series per changed bar. */
  private flush(): void {
    const { symbol, timeframe, extendedHours } = this.view;
    const updates = [...this.pending.values()].sort((a, b) => a.bar.openTime - b.bar.openTime);
    this.pending.clear();
    if (this.reloadFrom) {
      const wasEmpty = this.rows.length === 0;
      this.allRows = mergeBars(this.reloadFrom, updates);
      this.reloadFrom = null;
      this.rows = this.allRows.filter((row) => showsBar(row, timeframe, extendedHours));
      for (const plot of this.plots()) plot.setData(this.rows);
      if (this.resetScale) this.chart.timeScale().resetTimeScale();
      else if (wasEmpty) this.chart.timeScale().scrollToRealTime();
      this.resetScale = false;
      this.markersDirty = true;
    } else {
      for (const update of updates) {
        if (upsertBar(this.allRows, update).kind === 'ignored' || !showsBar(update, timeframe, extendedHours)) continue;
        const placed = upsertBar(this.rows, update);
        if (placed.kind === 'ignored') continue;
        for (const plot of this.plots()) plot.update(update, placed.kind === 'corrected');
        if (placed.kind === 'appended') this.markersDirty = true;
      }
    }
    const state = this.store.getState();
    if (this.linesDirty) {
      this.linesDirty = false;
      this.marks.setPriceLines(symbol === null ? [] : tradePriceLines(Object.values(state.orders), state.positions[symbol], symbol));
    }
    if (this.markersDirty) {
      this.markersDirty = false;
      this.marks.setFillMarkers(symbol === null ? [] : fillMarkers(state.fills, symbol, this.rows, timeframe));
    }
    this.publishStats();
  }

  private publishStats(): void {
    const last = this.rows.at(-1);
    this.element.dataset.bars = String(this.rows.length);
    if (last) this.element.dataset.lastClose = String(last.bar.close);
    else delete this.element.dataset.lastClose;
  }

  /** The trader moved over (or left) this chart: tell the group. Programmatic moves are not echoed. */
  private readonly onCrosshairMove = (param: MouseEventParams<Time>): void => {
    if (this.applyingRemoteCrosshair || !this.crosshair) return;
    if (param.point === undefined || param.time === undefined) this.crosshair.publish(null);
    else if (param.sourceEvent) this.crosshair.publish(toMs(param.time));
  };

  /** Another chart of the group hovers `time` (ms): put the crosshair on the bar holding it, at its close; `null` clears it. */
  private showCrosshairAt(time: number | null): void {
    const row = time === null ? undefined : this.rows[barIndexAt(this.rows, time, this.view.timeframe)];
    this.applyingRemoteCrosshair = true;
    try {
      if (row) this.chart.setCrosshairPosition(row.bar.close, chartTime(row.bar.openTime), this.candles);
      else this.chart.clearCrosshairPosition();
    } finally {
      this.applyingRemoteCrosshair = false;
    }
  }
}
