import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Fill, Order, Position } from '../../../shared/domain';
import { toCsv } from '../../../renderer/components/csv';
import {
  ariaSortOf,
  cellText,
  compareGridValues,
  csvColumnsOf,
  filterAndSortRows,
  rowCountLabel,
  rowMatchesFilter,
  searchTextOf,
  type GridColumn,
} from '../../../renderer/components/data-grid';
import { FILL_COLUMNS, fillRowsNewestFirst, fillTotals, type FillRow } from '../../../renderer/windows/fills/fills-window';
import { ORDER_COLUMNS, draftOf, modifiableFields, ordersInScope, replacementOf } from '../../../renderer/windows/orders/orders-window';
import { POSITION_COLUMNS, closingOrderOf, positionTotals } from '../../../renderer/windows/positions/positions-window';

// 2013-10-07 10:00:00 ET.
const T0 = Date.UTC(2013, 9, 7, 14, 0, 0, 0);

interface Item {
  readonly id: string;
  readonly symbol: string;
  readonly price: number | null;
}
const ITEM_COLUMNS: readonly GridColumn<Item>[] = [
  { id: 'symbol', header: 'Symbol', value: (r) => r.symbol },
  { id: 'price', header: 'Price', numeric: true, value: (r) => r.price, text: (r) => (r.price === null ? '' : r.price.toFixed(2)) },
];
const itemId = (r: Item): string => r.id;

const order = (id: string, fields: Partial<Order> = {}): Order => ({
  id,
  clientOrderId: `c-${id}`,
  symbol: 'IBM',
  side: 'buy',
  type: 'limit',
  timeInForce: 'day',
  quantity: 100,
  limitPrice: 182.5,
  stopPrice: null,
  trailPrice: null,
  trailPercent: null,
  extendedHours: false,
  orderClass: 'simple',
  legs: null,
  parentId: null,
  status: 'new',
  filledQuantity: 0,
  averageFillPrice: null,
  reason: null,
  createdAt: T0,
  updatedAt: T0,
  ...fields,
});

const fill = (id: string, symbol: string, side: Fill['side'], quantity: number, price: number, time: number): Fill => ({
  id,
  orderId: `o-${id}`,
  clientOrderId: `fill-own-${id}`,
  symbol,
  side,
  quantity,
  price,
  time,
});

describe('grid helpers', () => {
  it('orders numbers numerically, text naturally ignoring case, numbers before text, missing values last', () => {
    expect([10, 9, 100].sort(compareGridValues)).toEqual([9, 10, 100]);
    expect(['ord-10', 'ord-2', 'ORD-1'].sort(compareGridValues)).toEqual(['ORD-1', 'ord-2', 'ord-10']);
    expect([null, 'b', 3, undefined, Number.NaN, 'a', 1].sort(compareGridValues).slice(0, 4)).toEqual([1, 3, 'a', 'b']);
    expect(compareGridValues(null, undefined)).toBe(0);
  });

  it('matches every whitespace-separated term of the filter anywhere in the row, ignoring case', () => {
    const text = searchTextOf(ITEM_COLUMNS, { id: '1', symbol: 'IBM', price: 182.5 });
    expect(text).toBe('ibm\n182.50');
    expect(rowMatchesFilter(text, '')).toBe(true);
    expect(rowMatchesFilter(text, '  ibm  ')).toBe(true);
    expect(rowMatchesFilter(text, 'IBM 182.5')).toBe(true);
    expect(rowMatchesFilter(text, 'ibm 183')).toBe(false);
    // Terms do not match across two cells.
    expect(rowMatchesFilter(text, 'm1')).toBe(false);
  });

  it('shows the raw value as text unless the column formats it', () => {
    expect(cellText(ITEM_COLUMNS[0] as GridColumn<Item>, { id: '1', symbol: 'SPY', price: null })).toBe('SPY');
    expect(cellText(ITEM_COLUMNS[1] as GridColumn<Item>, { id: '1', symbol: 'SPY', price: null })).toBe('');
  });

  it('labels sort direction and row counts for the trader', () => {
    expect(ariaSortOf('asc', true)).toBe('ascending');
    expect(ariaSortOf('desc', true)).toBe('descending');
    expect(ariaSortOf(false, true)).toBe('none');
    expect(ariaSortOf(false, false)).toBeUndefined();
    expect(rowCountLabel(123, 10_000)).toBe('123 of 10,000');
    expect(rowCountLabel(10_000, 10_000)).toBe('10,000');
  });

  it('exports each column’s CSV columns, the raw value by default, nothing for action columns', () => {
    const columns: GridColumn<Item>[] = [
      ...ITEM_COLUMNS,
      { id: 'actions', header: '', value: () => null, csv: [] },
      { id: 'both', header: 'Both', value: (r) => r.id, csv: [{ header: 'x', value: () => 1 }, { header: 'y', value: () => 2 }] },
    ];
    expect(csvColumnsOf(columns).map((c) => c.header)).toEqual(['symbol', 'price', 'x', 'y']);
    expect(toCsv(csvColumnsOf(columns), [{ id: '1', symbol: 'IBM', price: 182.5 }])).toBe('symbol,price,x,y\r\nIBM,182.5,1,2\r\n');
  });
});

describe('filterAndSortRows (the grid’s table pipeline)', () => {
  const items: Item[] = [
    { id: 'a', symbol: 'IBM', price: 182.5 },
    { id: 'b', symbol: 'SPY', price: null },
    { id: 'c', symbol: 'AAPL', price: 483.03 },
    { id: 'd', symbol: 'IBMX', price: 5 },
  ];

  it('keeps the given order when neither sorted nor filtered', () => {
    expect(filterAndSortRows(ITEM_COLUMNS, items, itemId, {}).map(itemId)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('sorts by a column both ways', () => {
    expect(filterAndSortRows(ITEM_COLUMNS, items, itemId, { sorting: [{ id: 'symbol', desc: false }] }).map(itemId)).toEqual(['c', 'a', 'd', 'b']);
    expect(filterAndSortRows(ITEM_COLUMNS, items, itemId, { sorting: [{ id: 'price', desc: false }] }).map(itemId)).toEqual(['d', 'a', 'c', 'b']);
    expect(filterAndSortRows(ITEM_COLUMNS, items, itemId, { sorting: [{ id: 'price', desc: true }] }).map(itemId).slice(1)).toEqual(['c', 'a', 'd']);
  });

  it('filters on what the cells show, then sorts what is left', () => {
    expect(filterAndSortRows(ITEM_COLUMNS, items, itemId, { filter: 'ibm', sorting: [{ id: 'price', desc: false }] }).map(itemId)).toEqual(['d', 'a']);
    expect(filterAndSortRows(ITEM_COLUMNS, items, itemId, { filter: '182.50' }).map(itemId)).toEqual(['a']);
    expect(filterAndSortRows(ITEM_COLUMNS, items, itemId, { filter: 'nothing' })).toEqual([]);
  });

  it('filters and sorts 10 000 rows', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ id: String(i), symbol: i % 2 ? 'IBM' : 'SPY', price: (i * 7919) % 10_000 }));
    const shown = filterAndSortRows(ITEM_COLUMNS, many, itemId, { filter: 'IBM', sorting: [{ id: 'price', desc: true }] });
    expect(shown).toHaveLength(5_000);
    expect(shown.every((r) => r.symbol === 'IBM')).toBe(true);
    expect(shown.every((r, i) => i === 0 || (shown[i - 1] as Item).price! >= r.price!)).toBe(true);
  });
});

describe('fills blotter', () => {
  const fills: Fill[] = [
    fill('f1', 'IBM', 'buy', 100, 182.505, T0 + 1_000),
    fill('f2', 'SPY', 'buy', 50, 168.0175, T0 + 2_000),
    fill('f3', 'IBM', 'sell', 40, 183.1, T0 + 3_000),
    fill('f4', 'IBM', 'sell', 60, 0.9999, T0 + 4_000),
  ];
  const orders: Record<string, Order> = { 'o-f1': order('o-f1', { clientOrderId: 'from-order-book' }) };

  it('lists fills newest first with the client_order_id of their order', () => {
    const rows = fillRowsNewestFirst(fills, orders);
    expect(rows.map((r) => r.fill.id)).toEqual(['f4', 'f3', 'f2', 'f1']);
    expect(rows.at(-1)?.clientOrderId).toBe('from-order-book');
    expect(rows[0]?.clientOrderId).toBe('fill-own-f4');
  });

  it('keeps unchanged rows identical between updates', () => {
    const reuse = new WeakMap<Fill, FillRow>();
    const first = fillRowsNewestFirst(fills, orders, reuse);
    const second = fillRowsNewestFirst([...fills, fill('f5', 'SPY', 'sell', 1, 170, T0 + 5_000)], orders, reuse);
    expect(second[1]).toBe(first[0]);
  });

  it('totals shares bought and sold and the net notional (sold − bought)', () => {
    const totals = fillTotals(fillRowsNewestFirst(fills, orders));
    expect(totals.boughtShares).toBe(150);
    expect(totals.soldShares).toBe(100);
    expect(totals.boughtNotional).toBeCloseTo(100 * 182.505 + 50 * 168.0175, 9);
    expect(totals.soldNotional).toBeCloseTo(40 * 183.1 + 60 * 0.9999, 9);
    expect(totals.netNotional).toBeCloseTo(totals.soldNotional - totals.boughtNotional, 9);
  });

  it('exports exactly the filtered fills, sorted as shown, with raw prices and UTC and ET times', () => {
    const rows = fillRowsNewestFirst(fills, orders);
    const shown = filterAndSortRows(FILL_COLUMNS, rows, (r) => r.fill.id, { filter: 'ibm sell', sorting: [{ id: 'price', desc: false }] });
    const parsed = Papa.parse<Record<string, string>>(toCsv(csvColumnsOf(FILL_COLUMNS), shown), { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toEqual(['time_utc', 'time_et', 'symbol', 'side', 'quantity', 'price', 'notional', 'client_order_id', 'order_id', 'fill_id']);
    expect(parsed.data.map((r) => r.fill_id)).toEqual(['f4', 'f3']);
    expect(parsed.data.map((r) => r.price)).toEqual(['0.9999', '183.1']);
    expect(parsed.data[1]).toMatchObject({ time_utc: '2013-10-07T14:00:03.000Z', time_et: '2013-10-07 10:00:03.000', quantity: '40', side: 'sell' });
    expect(Number(parsed.data[1]?.notional)).toBeCloseTo(40 * 183.1, 9);
    // The totals of the same filter: 100 shares sold, none bought.
    expect(fillTotals(shown)).toMatchObject({ boughtShares: 0, soldShares: 100 });
  });
});

describe('orders blotter', () => {
  it('splits orders into working and done', () => {
    const orders = [order('a'), order('b', { status: 'filled' }), order('c', { status: 'partially_filled' }), order('d', { status: 'canceled' })];
    expect(ordersInScope(orders, 'working').map((o) => o.id)).toEqual(['a', 'c']);
    expect(ordersInScope(orders, 'done').map((o) => o.id)).toEqual(['b', 'd']);
    expect(ordersInScope(orders, 'all')).toBe(orders);
  });

  it('sends only the fields the trader changed', () => {
    const limit = order('a');
    expect(replacementOf(limit, { ...draftOf(limit), limitPrice: '182.40' })).toEqual({ ok: true, changes: { limitPrice: 182.4 } });
    expect(replacementOf(limit, { ...draftOf(limit), quantity: '200' })).toEqual({ ok: true, changes: { quantity: 200 } });
    expect(replacementOf(limit, draftOf(limit))).toEqual({ ok: false, error: 'Nothing changed' });
    const stopLimit = order('b', { type: 'stop_limit', stopPrice: 181, limitPrice: 180.9 });
    expect(replacementOf(stopLimit, { ...draftOf(stopLimit), stopPrice: '181.25', limitPrice: '181.10' })).toEqual({ ok: true, changes: { stopPrice: 181.25, limitPrice: 181.1 } });
  });

  it('counts a new quantity in shares still to work, as the engine does', () => {
    const partial = order('a', { status: 'partially_filled', quantity: 100, filledQuantity: 40 });
    expect(draftOf(partial).quantity).toBe('60');
    expect(replacementOf(partial, { ...draftOf(partial), limitPrice: '182.45' })).toEqual({ ok: true, changes: { limitPrice: 182.45 } });
    expect(replacementOf(partial, { ...draftOf(partial), quantity: '1,000' })).toEqual({ ok: true, changes: { quantity: 1000 } });
  });

  it('does not resize an order that fills while the trader edits its limit', () => {
    const opened = order('a', { quantity: 100 });
    const initial = draftOf(opened);
    const partlyFilled = { ...opened, status: 'partially_filled' as const, filledQuantity: 40 };
    expect(replacementOf(partlyFilled, { ...initial, limitPrice: '182.45' }, initial)).toEqual({ ok: true, changes: { limitPrice: 182.45 } });
    expect(replacementOf(partlyFilled, { ...initial, quantity: '50' }, initial)).toEqual({ ok: true, changes: { quantity: 50 } });
  });

  it('offers only the prices the order type has', () => {
    expect(modifiableFields(order('a'))).toEqual({ limitPrice: true, stopPrice: false });
    expect(modifiableFields(order('b', { type: 'stop', limitPrice: null, stopPrice: 181 }))).toEqual({ limitPrice: false, stopPrice: true });
    expect(modifiableFields(order('c', { type: 'trailing_stop', limitPrice: null, stopPrice: 181, trailPrice: 1 }))).toEqual({ limitPrice: false, stopPrice: false });
    expect(modifiableFields(order('d', { type: 'market', limitPrice: null }))).toEqual({ limitPrice: false, stopPrice: false });
  });

  it('refuses bad quantities and prices off the tick before anything is sent', () => {
    const limit = order('a');
    expect(replacementOf(limit, { ...draftOf(limit), quantity: '0' })).toMatchObject({ ok: false });
    expect(replacementOf(limit, { ...draftOf(limit), quantity: '10.5' })).toMatchObject({ ok: false });
    expect(replacementOf(limit, { ...draftOf(limit), limitPrice: '' })).toEqual({ ok: false, error: 'Limit price must be a price above 0' });
    expect(replacementOf(limit, { ...draftOf(limit), limitPrice: '0x10' })).toEqual({ ok: false, error: 'Limit price must be a price above 0' });
    expect(replacementOf(limit, { ...draftOf(limit), limitPrice: '$182.40' })).toEqual({ ok: true, changes: { limitPrice: 182.4 } });
    expect(replacementOf(limit, { ...draftOf(limit), limitPrice: '182.505' })).toEqual({ ok: false, error: 'Limit price 182.505 is off the $0.01 tick' });
    expect(replacementOf(order('p', { limitPrice: 0.5 }), { ...draftOf(order('p', { limitPrice: 0.5 })), limitPrice: '0.5012' })).toEqual({ ok: true, changes: { limitPrice: 0.5012 } });
  });

  it('exports raw order figures, not the formatted ones', () => {
    const filled = order('a', { status: 'filled', filledQuantity: 100, averageFillPrice: 182.4975, reason: 'done, "all" of it' });
    const [record] = Papa.parse<Record<string, string>>(toCsv(csvColumnsOf(ORDER_COLUMNS), [filled]), { header: true, skipEmptyLines: true }).data;
    expect(record).toMatchObject({ created_at_utc: '2013-10-07T14:00:00.000Z', created_at_et: '2013-10-07 10:00:00.000', limit_price: '182.5', average_fill_price: '182.4975', filled_quantity: '100', client_order_id: 'c-a', reason: 'done, "all" of it' });
    expect(Object.keys(record ?? {})).not.toContain('actions');
  });
});

describe('positions', () => {
  const position = (symbol: string, quantity: number, fields: Partial<Position> = {}): Position => ({
    symbol,
    quantity,
    averageEntryPrice: 100,
    lastPrice: 101,
    marketValue: quantity * 101,
    unrealizedPnl: quantity,
    realizedPnl: 0,
    ...fields,
  });

  it('closes a long with a sell and a short with a buy, all shares at market for the day', () => {
    expect(closingOrderOf(position('IBM', 100))).toEqual({ symbol: 'IBM', side: 'sell', quantity: 100, type: 'market', timeInForce: 'day' });
    expect(closingOrderOf(position('SPY', -30))).toEqual({ symbol: 'SPY', side: 'buy', quantity: 30, type: 'market', timeInForce: 'day' });
    expect(closingOrderOf(position('AAPL', 0))).toBeNull();
  });

  it('totals open positions and P&L', () => {
    expect(positionTotals([position('IBM', 100), position('SPY', -30, { realizedPnl: 12.5 }), position('AAPL', 0, { marketValue: null, unrealizedPnl: null, realizedPnl: -2 })])).toEqual({
      open: 2,
      marketValue: 7070,
      unrealizedPnl: 70,
      realizedPnl: 10.5,
    });
  });

  it('exports raw position figures', () => {
    const csv = toCsv(csvColumnsOf(POSITION_COLUMNS), [position('IBM', 100, { averageEntryPrice: 182.505 })]);
    expect(csv).toBe('symbol,quantity,average_entry_price,last_price,market_value,unrealized_pnl,realized_pnl\r\nIBM,100,182.505,101,10100,100,0\r\n');
  });
});
