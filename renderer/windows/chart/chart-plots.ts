/**
 * The chart's series as the data feed sees them ({@link Plot}: `setData` from bars, `update`
 * with one bar), and the series each overlay adds: lines and histograms on the price pane or
 * in a lower pane, volume on its own scale at the bottom of the price pane.
 */
import { HistogramSeries, LineSeries, LineStyle, type IChartApi, type ISeriesApi, type SeriesType } from 'lightweight-charts';
import type { BarWithIndicators } from '../../../shared/protocol';
import { overlayPoint, type OverlayDefinition, type OverlayPlot } from './chart-overlays';

/** Height of the price pane against each lower pane (RSI, MACD). */
const PRICE_PANE_STRETCH = 3;
/** Colour of the RSI 70/30 guides. */
const GUIDE_COLOR = '#6e7681';

/** A series and how one bar becomes its point. */
export interface Plot {
  readonly series: ISeriesApi<SeriesType>;
  /** Replaces the series' data with one point per bar. */
  setData(rows: readonly BarWithIndicators[]): void;
  /** Adds or replaces one bar's point; `historical` for a closed bar corrected in place. */
  update(row: BarWithIndicators, historical: boolean): void;
}

/** The part of a series the data feed uses, whatever its type. */
interface DataSink<TData> {
  setData(data: TData[]): void;
  update(bar: TData, historicalUpdate?: boolean): void;
}

/** A {@link Plot} of `series` whose points come from `point`. */
export function plotOf<TData>(series: ISeriesApi<SeriesType> & DataSink<TData>, point: (row: BarWithIndicators) => TData): Plot {
  return {
    series,
    setData: (rows) => series.setData(rows.map(point)),
    update: (row, historical) => series.update(point(row), historical),
  };
}

/**
 * Adds an overlay's series to `chart` in pane `pane` (0 = price pane), with its guide lines and
 * fixed range; returns them empty (the caller sets their data). Remove them with `removeSeries`;
 * a lower pane left empty disappears with its last series.
 */
export function addOverlayPlots(chart: IChartApi, definition: OverlayDefinition, pane: number): Plot[] {
  const plots = definition.plots.map((plot) => addPlot(chart, plot, definition, pane));
  if (definition.pane === 'lower') chart.priceScale('right', pane).applyOptions({ scaleMargins: { top: 0.1, bottom: 0.1 } });
  const first = plots[0]?.series;
  for (const price of definition.guides ?? []) {
    first?.createPriceLine({ price, color: GUIDE_COLOR, lineWidth: 1, lineStyle: LineStyle.Dashed, axisLabelVisible: true, title: '' });
  }
  return plots;
}

/** Gives the price pane {@link PRICE_PANE_STRETCH} times the height of each lower pane. */
export function stretchPanes(chart: IChartApi): void {
  chart.panes().forEach((pane, index) => pane.setStretchFactor(index === 0 ? PRICE_PANE_STRETCH : 1));
}

function addPlot(chart: IChartApi, plot: OverlayPlot, definition: OverlayDefinition, pane: number): Plot {
  const point = (row: BarWithIndicators) => overlayPoint(plot, row);
  const range = definition.range;
  const autoscaleInfoProvider = range ? () => ({ priceRange: { minValue: range.min, maxValue: range.max } }) : undefined;
  switch (plot.kind) {
    case 'volume': {
      const series = chart.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false }, 0);
      chart.priceScale('volume', 0).applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
      series.setSeriesOrder(1); // over the session shading (series 0), under the candles
      return plotOf(series, point);
    }
    case 'histogram':
      return plotOf(chart.addSeries(HistogramSeries, { priceLineVisible: false, lastValueVisible: false, autoscaleInfoProvider }, pane), point);
    case 'line': {
      const lower = definition.pane === 'lower';
      const options = {
        color: plot.color,
        lineWidth: 1 as const,
        lineStyle: plot.lineStyle,
        title: lower ? plot.title : '',
        priceLineVisible: false,
        lastValueVisible: lower,
        crosshairMarkerVisible: false,
        autoscaleInfoProvider,
      };
      return plotOf(chart.addSeries(LineSeries, options, pane), point);
    }
  }
}
