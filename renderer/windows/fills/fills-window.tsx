/**
 * Fills blotter: every execution of the session (topic `orders`), newest first, in a
 * {@link DataGrid} (sort, filter, CSV export), with shares bought and sold and the net notional
 * of the rows the filter leaves.
 */
import { useMemo, useState } from 'react';
import type { Fill, Order } from '../../../shared/domain';
import { datedCsvFileName, timeCsvColumns } from '../../components/csv';
import { DataGrid, type GridColumn, type GridSorting } from '../../components/data-grid';
import { formatExchangeTime, formatMoney, formatPrice, formatShares, signClass } from '../../components/format';
import { useTopics, useWorkstationState } from '../../workstation-context';

/** A fill with the client_order_id of its order (from the order book; the fill's own when the order is unknown). */
export interface FillRow {
  readonly fill: Fill;
  readonly clientOrderId: string;
}

/**
 * Fills as blotter rows, newest first (time, then fill id). With `reuse`, a fill whose row is
 * unchanged keeps the same row object, so the grid re-renders and re-indexes only what changed.
 */
export function fillRowsNewestFirst(fills: readonly Fill[], orders: Readonly<Record<string, Order>>, reuse?: WeakMap<Fill, FillRow>): FillRow[] {
  return fills
    .map((fill) => {
      const clientOrderId = orders[fill.orderId]?.clientOrderId ?? fill.clientOrderId;
      const previous = reuse?.get(fill);
      if (previous && previous.clientOrderId === clientOrderId) return previous;
      const row = { fill, clientOrderId };
      reuse?.set(fill, row);
      return row;
    })
    .sort((a, b) => b.fill.time - a.fill.time || b.fill.id.localeCompare(a.fill.id));
}

/** quantity × price of a fill, USD. */
export function notionalOf(fill: Fill): number {
  return fill.quantity * fill.price;
}

/** Shares and notional (USD) bought and sold in a set of fills. */
export interface FillTotals {
  readonly boughtShares: number;
  readonly soldShares: number;
  readonly boughtNotional: number;
  readonly soldNotional: number;
  /** soldNotional − boughtNotional, USD: the cash the fills brought in (negative: paid out). */
  readonly netNotional: number;
}

/** Totals of `rows` ({@link FillTotals}); not rounded (round to cents only for display). */
export function fillTotals(rows: readonly FillRow[]): FillTotals {
  let boughtShares = 0;
  let soldShares = 0;
  let boughtNotional = 0;
  let soldNotional = 0;
  for (const { fill } of rows) {
    if (fill.side === 'buy') {
      boughtShares += fill.quantity;
      boughtNotional += notionalOf(fill);
    } else {
      soldShares += fill.quantity;
      soldNotional += notionalOf(fill);
    }
  }
  return { boughtShares, soldShares, boughtNotional, soldNotional, netNotional: soldNotional - boughtNotional };
}

/** Columns of the fills blotter; CSV exports raw prices and shares, the time in UTC and ET (ms), ids. */
export const FILL_COLUMNS: readonly GridColumn<FillRow>[] = [
  {
    id: 'time',
    header: 'Time (ET)',
    description: 'Execution time, exchange time',
    value: (r) => r.fill.time,
    text: (r) => formatExchangeTime(r.fill.time),
    csv: timeCsvColumns('time', (r) => r.fill.time),
  },
  { id: 'symbol', header: 'Symbol', value: (r) => r.fill.symbol, csv: [{ header: 'symbol', value: (r) => r.fill.symbol }] },
  { id: 'side', header: 'Side', value: (r) => r.fill.side, className: (r) => r.fill.side, csv: [{ header: 'side', value: (r) => r.fill.side }] },
  {
    id: 'quantity',
    header: 'Qty',
    description: 'Shares',
    numeric: true,
    value: (r) => r.fill.quantity,
    text: (r) => formatShares(r.fill.quantity),
    csv: [{ header: 'quantity', value: (r) => r.fill.quantity }],
  },
  {
    id: 'price',
    header: 'Price',
    description: 'USD per share',
    numeric: true,
    value: (r) => r.fill.price,
    text: (r) => formatPrice(r.fill.price),
    csv: [{ header: 'price', value: (r) => r.fill.price }],
  },
  {
    id: 'notional',
    header: 'Notional',
    description: 'Quantity × price, USD',
    numeric: true,
    value: (r) => notionalOf(r.fill),
    text: (r) => formatMoney(notionalOf(r.fill)),
    csv: [{ header: 'notional', value: (r) => notionalOf(r.fill) }],
  },
  {
    id: 'client-order-id',
    header: 'client_order_id',
    value: (r) => r.clientOrderId,
    className: () => 'muted',
    csv: [
      { header: 'client_order_id', value: (r) => r.clientOrderId },
      { header: 'order_id', value: (r) => r.fill.orderId },
    ],
  },
  { id: 'fill-id', header: 'Fill ID', value: (r) => r.fill.id, className: () => 'muted', csv: [{ header: 'fill_id', value: (r) => r.fill.id }] },
];

function FillSummary({ rows }: { rows: readonly FillRow[] }) {
  const totals = fillTotals(rows);
  return (
    <span className="data-grid-summary" data-testid="fill-totals" data-bought={totals.boughtShares} data-sold={totals.soldShares} data-net-notional={totals.netNotional}>
      <span>
        Bought <strong className="num buy">{formatShares(totals.boughtShares)}</strong> <span className="muted">{formatMoney(totals.boughtNotional)}</span>
      </span>
      <span>
        Sold <strong className="num sell">{formatShares(totals.soldShares)}</strong> <span className="muted">{formatMoney(totals.soldNotional)}</span>
      </span>
      <span title="Sold notional − bought notional, USD">
        Net <strong className={`num ${signClass(totals.netNotional)}`}>{formatMoney(totals.netNotional, true)}</strong>
      </span>
    </span>
  );
}

const NEWEST_FIRST: GridSorting = [{ id: 'time', desc: true }];
const fillId = (r: FillRow): string => r.fill.id;
const fillAttributes = (r: FillRow): Record<string, string> => ({ 'data-fill-id': r.fill.id, 'data-order-id': r.fill.orderId });
const fileName = (): string => datedCsvFileName('fills', Date.now());
const summary = (rows: readonly FillRow[]) => <FillSummary rows={rows} />;

/** The Fills window (window kind `fills`): every execution, with totals of what the filter shows. */
export function FillsWindow() {
  useTopics(['orders']);
  const fills = useWorkstationState((s) => s.fills);
  const orders = useWorkstationState((s) => s.orders);
  const [reuse] = useState(() => new WeakMap<Fill, FillRow>());
  const rows = useMemo(() => fillRowsNewestFirst(fills, orders, reuse), [fills, orders, reuse]);
  return (
    <div className="blotter-window fills-window">
      <DataGrid
        label="Fills"
        columns={FILL_COLUMNS}
        rows={rows}
        getRowId={fillId}
        rowAttributes={fillAttributes}
        initialSorting={NEWEST_FIRST}
        csvFileName={fileName}
        summary={summary}
        emptyText="No fills yet"
      />
    </div>
  );
}
