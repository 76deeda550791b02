/**
 * Draws the specs of `chart-trade-marks.ts` on the candle series: price lines are created,
 * changed in place or removed by id (no flicker when one order changes), fill markers go
 * through one `createSeriesMarkers` plugin. Counts are published on the chart element as
 * `data-price-lines` and `data-markers`.
 */
import { createSeriesMarkers, type IPriceLine, type ISeriesApi, type ISeriesMarkersPluginApi, type SeriesMarker, type Time, type UTCTimestamp } from 'lightweight-charts';
import type { PriceLineSpec } from './chart-trade-marks';

const signature = (spec: PriceLineSpec): string => `${spec.price}|${spec.color}|${spec.title}|${spec.lineStyle}`;

/** The price lines and fill markers of one candle series. */
export class TradeMarksLayer {
  private readonly lines = new Map<string, { readonly line: IPriceLine; signature: string }>();
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private markerKey = '';

  constructor(
    private readonly candles: ISeriesApi<'Candlestick'>,
    private readonly element: HTMLElement,
  ) {
    this.markers = createSeriesMarkers<Time>(candles, []);
    element.dataset.priceLines = '0';
    element.dataset.markers = '0';
  }

  /** Shows exactly `specs`: new ones are drawn, changed ones moved or retitled, ended ones removed. */
  setPriceLines(specs: readonly PriceLineSpec[]): void {
    const wanted = new Set(specs.map((s) => s.id));
    for (const [id, drawn] of this.lines) {
      if (wanted.has(id)) continue;
      this.candles.removePriceLine(drawn.line);
      this.lines.delete(id);
    }
    for (const spec of specs) {
      const options = { price: spec.price, color: spec.color, title: spec.title, lineStyle: spec.lineStyle, lineWidth: 1 as const, axisLabelVisible: true };
      const drawn = this.lines.get(spec.id);
      if (!drawn) this.lines.set(spec.id, { line: this.candles.createPriceLine(options), signature: signature(spec) });
      else if (drawn.signature !== signature(spec)) {
        drawn.line.applyOptions(options);
        drawn.signature = signature(spec);
      }
    }
    this.element.dataset.priceLines = String(this.lines.size);
  }

  /** Shows exactly `markers` (sorted by time); unchanged lists are not redrawn. */
  setFillMarkers(markers: readonly SeriesMarker<UTCTimestamp>[]): void {
    const key = markers.map((m) => `${m.id ?? ''}@${m.time}`).join();
    if (key === this.markerKey) return;
    this.markerKey = key;
    this.markers.setMarkers([...markers]);
    this.element.dataset.markers = String(markers.length);
  }

  /** Removes every line and marker (the series stays). */
  clear(): void {
    this.setPriceLines([]);
    this.setFillMarkers([]);
  }

  /** Detaches the markers plugin; call before the series is removed. */
  dispose(): void {
    this.clear();
    this.markers.detach();
  }
}
