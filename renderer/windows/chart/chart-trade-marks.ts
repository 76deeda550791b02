/**
 * The trader's own activity on the chart: working orders and the position's average entry as
 * horizontal price lines, fills as markers on the candle they happened in. Pure: specs only;
 * `chart-trade-marks-layer.ts` draws them.
 */
import { LineStyle, type SeriesMarker, type UTCTimestamp } from 'lightweight-charts';
import { WORKING_ORDER_STATUSES, type Fill, type Order, type Position, type Symbol, type Timeframe } from '../../../shared/domain';
import { formatPrice } from '../../components/format';
import { barIndexAt, chartTime, type TimedBar } from './chart-series';

/** Colour of buy orders and buy fills. */
export const BUY_COLOR = '#3fb950';
/** Colour of sell orders and sell fills. */
export const SELL_COLOR = '#f85149';
const LONG_COLOR = '#58a6ff';
const SHORT_COLOR = '#f0883e';

/** A horizontal line on the candle series. */
export interface PriceLineSpec {
  /** Stable id: `order:<id>:limit`, `order:<id>:stop` or `position`. */
  readonly id: string;
  /** USD. */
  readonly price: number;
  readonly color: string;
  /** Axis label, e.g. `BUY 100 LMT`, `POS +300 @ 123.45`. */
  readonly title: string;
  readonly lineStyle: LineStyle;
}

/**
 * Price lines of the working orders of `symbol` (statuses in `WORKING_ORDER_STATUSES`): a limit
 * line at the limit price (limit, stop-limit) titled `BUY 100 LMT`, a stop line at the stop
 * price (stop, stop-limit, trailing stop once its stop is known) titled `SELL 100 STP` /
 * `SELL 100 TRAIL`. The quantity is what is left to fill, shares. Filled, canceled, rejected,
 * expired and replaced orders have no line; market orders have no price to draw.
 */
export function orderPriceLines(orders: Iterable<Order>, symbol: Symbol): PriceLineSpec[] {
  const lines: PriceLineSpec[] = [];
  for (const order of orders) {
    if (order.symbol !== symbol || !WORKING_ORDER_STATUSES.has(order.status)) continue;
    const remaining = order.quantity - order.filledQuantity;
    if (remaining <= 0) continue;
    const side = order.side === 'buy' ? 'BUY' : 'SELL';
    const color = order.side === 'buy' ? BUY_COLOR : SELL_COLOR;
    const hasLimit = order.type === 'limit' || order.type === 'stop_limit';
    const hasStop = order.type === 'stop' || order.type === 'stop_limit' || order.type === 'trailing_stop';
    if (hasLimit && order.limitPrice !== null) {
      lines.push({ id: `order:${order.id}:limit`, price: order.limitPrice, color, title: `${side} ${remaining} LMT`, lineStyle: LineStyle.Solid });
    }
    if (hasStop && order.stopPrice !== null) {
      const kind = order.type === 'trailing_stop' ? 'TRAIL' : 'STP';
      lines.push({ id: `order:${order.id}:stop`, price: order.stopPrice, color, title: `${side} ${remaining} ${kind}`, lineStyle: LineStyle.Dotted });
    }
  }
  return lines.sort((a, b) => a.id.localeCompare(b.id));
}

/** The position's average entry price as a dashed line titled `POS +300 @ 123.45` (`POS -200 @ …` short); none when flat. */
export function positionPriceLine(position: Position | undefined): PriceLineSpec | null {
  if (!position || position.quantity === 0 || !(position.averageEntryPrice > 0)) return null;
  const signed = position.quantity > 0 ? `+${position.quantity}` : String(position.quantity);
  return {
    id: 'position',
    price: position.averageEntryPrice,
    color: position.quantity > 0 ? LONG_COLOR : SHORT_COLOR,
    title: `POS ${signed} @ ${formatPrice(position.averageEntryPrice)}`,
    lineStyle: LineStyle.Dashed,
  };
}

/** Every price line of `symbol`: its working orders, then its position. */
export function tradePriceLines(orders: Iterable<Order>, position: Position | undefined, symbol: Symbol): PriceLineSpec[] {
  const lines = orderPriceLines(orders, symbol);
  const entry = positionPriceLine(position);
  if (entry) lines.push(entry);
  return lines;
}

/**
 * Fills of `symbol` as markers on the bar of `timeframe` that holds each fill's time: a buy is
 * an arrow up under the bar, a sell an arrow down over it, text `quantity@price` (shares@USD).
 * A fill at 09:31:40 on a 5-minute chart marks the 09:30 candle. Fills in no bar on the chart
 * (a hidden pre-market, a bar not built yet) get no marker. Sorted by time, as the chart needs.
 * @param bars the chart's bars, ascending by open time.
 */
export function fillMarkers(fills: readonly Fill[], symbol: Symbol, bars: readonly TimedBar[], timeframe: Timeframe): SeriesMarker<UTCTimestamp>[] {
  const markers: { marker: SeriesMarker<UTCTimestamp>; fillTime: number }[] = [];
  for (const fill of fills) {
    if (fill.symbol !== symbol) continue;
    const bar = bars[barIndexAt(bars, fill.time, timeframe)];
    if (!bar) continue;
    const buy = fill.side === 'buy';
    markers.push({
      fillTime: fill.time,
      marker: {
        id: fill.id,
        time: chartTime(bar.bar.openTime),
        position: buy ? 'belowBar' : 'aboveBar',
        shape: buy ? 'arrowUp' : 'arrowDown',
        color: buy ? BUY_COLOR : SELL_COLOR,
        text: `${fill.quantity}@${formatPrice(fill.price)}`,
      },
    });
  }
  return markers.sort((a, b) => a.marker.time - b.marker.time || a.fillTime - b.fillTime).map((m) => m.marker);
}
