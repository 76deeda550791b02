/**
 * Orders blotter: every order of the session, newest first, in a {@link DataGrid} (sort, filter,
 * CSV export); Working / Done / All; inline Cancel and Modify (cancel/replace) of working orders,
 * with the engine's answer shown in the row; Cancel all.
 */
import { createContext, useCallback, useContext, useMemo, useState, type KeyboardEvent } from 'react';
import { WORKING_ORDER_STATUSES, type Order } from '../../../shared/domain';
import { isOnTickGrid, tickSize } from '../../../shared/price';
import type { CommandOf } from '../../../shared/protocol';
import { BrokerStatus } from '../../components/broker-status';
import { datedCsvFileName, timeCsvColumns } from '../../components/csv';
import { DataGrid, type GridColumn, type GridSorting } from '../../components/data-grid';
import { formatExchangeTime, formatPrice, formatShares } from '../../components/format';
import { ordersNewestFirst } from '../../state/reducers';
import { useTopics, useWorkstation, useWorkstationState } from '../../workstation-context';

/** Which orders the blotter lists: still able to fill, ended, or all. */
export type OrderScope = 'working' | 'done' | 'all';

/** The orders of a scope, in the order given ({@link WORKING_ORDER_STATUSES} decides working). */
export function ordersInScope(orders: readonly Order[], scope: OrderScope): readonly Order[] {
  if (scope === 'all') return orders;
  const working = scope === 'working';
  return orders.filter((o) => WORKING_ORDER_STATUSES.has(o.status) === working);
}

/** Whether a cancel can still be sent (working, and no cancel already pending). */
export function canCancel(order: Order): boolean {
  return WORKING_ORDER_STATUSES.has(order.status) && order.status !== 'pending_cancel';
}

/** Whether the engine accepts a cancel/replace of the order: only `new` and `partially_filled` ones. */
export function canModify(order: Order): boolean {
  return order.status === 'new' || order.status === 'partially_filled';
}

/** Shares still to work (ordered − filled): what a replace's `quantity` sets. */
export function remainingQuantity(order: Order): number {
  return order.quantity - order.filledQuantity;
}

/** Which prices a replace may change: the limit of limit and stop-limit orders, the stop of stop and stop-limit orders. */
export function modifiableFields(order: Order): { readonly limitPrice: boolean; readonly stopPrice: boolean } {
  return {
    limitPrice: (order.type === 'limit' || order.type === 'stop_limit') && order.limitPrice !== null,
    stopPrice: (order.type === 'stop' || order.type === 'stop_limit') && order.stopPrice !== null,
  };
}

/** The text of the Modify inputs: shares still to work and prices in USD. */
export interface ModifyDraft {
  readonly quantity: string;
  readonly limitPrice: string;
  readonly stopPrice: string;
}

/** The Modify inputs as they open: the order's current figures. */
export function draftOf(order: Order): ModifyDraft {
  return { quantity: String(remainingQuantity(order)), limitPrice: formatPrice(order.limitPrice), stopPrice: formatPrice(order.stopPrice) };
}

/** The fields of a `replaceOrder` command: shares still to work, limit and stop prices (USD). */
export type Replacement = Omit<CommandOf<'replaceOrder'>, 'type' | 'orderId'>;

function parsePrice(text: string, name: string): number | string {
  const plain = text.trim().replace(/^\$/, '');
  const price = Number(plain);
  if (!/^(\d+\.?\d*|\.\d+)$/.test(plain) || !Number.isFinite(price) || price <= 0) return `${name} must be a price above 0`;
  if (!isOnTickGrid(price)) return `${name} ${text.trim()} is off the $${tickSize(price)} tick`;
  return price;
}

const samePrice = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;

/**
 * The replace to send for a Modify draft: only the fields the trader changed from `initial`, the
 * inputs as they opened (quantity = shares still to work; prices on the tick grid of Reg NMS
 * Rule 612), or why it cannot be sent. Comparing with the opening values, not the live order,
 * means a fill that lands while the trader edits the limit does not also resize the order.
 */
export function replacementOf(
  order: Order,
  draft: ModifyDraft,
  initial: ModifyDraft = draftOf(order),
): { readonly ok: true; readonly changes: Replacement } | { readonly ok: false; readonly error: string } {
  const fields = modifiableFields(order);
  const quantityText = draft.quantity.trim().replaceAll(',', '');
  if (!/^\d+$/.test(quantityText) || Number(quantityText) <= 0) return { ok: false, error: 'Quantity must be a whole number of shares above 0' };
  const changes: { quantity?: number; limitPrice?: number; stopPrice?: number } = {};
  const quantity = Number(quantityText);
  if (quantity !== Number(initial.quantity.trim().replaceAll(',', ''))) changes.quantity = quantity;
  if (fields.limitPrice) {
    const limit = parsePrice(draft.limitPrice, 'Limit price');
    if (typeof limit === 'string') return { ok: false, error: limit };
    const before = parsePrice(initial.limitPrice, 'Limit price');
    if (typeof before === 'string' || !samePrice(limit, before)) changes.limitPrice = limit;
  }
  if (fields.stopPrice) {
    const stop = parsePrice(draft.stopPrice, 'Stop price');
    if (typeof stop === 'string') return { ok: false, error: stop };
    const before = parsePrice(initial.stopPrice, 'Stop price');
    if (typeof before === 'string' || !samePrice(stop, before)) changes.stopPrice = stop;
  }
  if (Object.keys(changes).length === 0) return { ok: false, error: 'Nothing changed' };
  return { ok: true, changes };
}

/** The order being modified, and the engine's last refusal per order id. */
interface OrderActions {
  /** `initial`: the inputs as they opened; `draft`: as they are now. */
  readonly edit: { readonly orderId: string; readonly initial: ModifyDraft; readonly draft: ModifyDraft; readonly sending: boolean } | null;
  readonly messages: Readonly<Record<string, string>>;
  startEdit(order: Order): void;
  changeDraft(field: keyof ModifyDraft, value: string): void;
  discardEdit(): void;
  sendEdit(order: Order): void;
  cancel(order: Order): void;
}

const OrderActionsContext = createContext<OrderActions | null>(null);

function useOrderActions(): OrderActions {
  const actions = useContext(OrderActionsContext);
  if (!actions) throw new Error('Order cells need the orders window');
  return actions;
}

function useOrderActionsState(): OrderActions {
  const { client } = useWorkstation();
  const [edit, setEdit] = useState<OrderActions['edit']>(null);
  const [messages, setMessages] = useState<Readonly<Record<string, string>>>({});
  return useMemo(() => {
    const setMessage = (orderId: string, text: string | null): void =>
      setMessages((previous) => {
        if (!text && !(orderId in previous)) return previous;
        const next = { ...previous };
        if (text) next[orderId] = text;
        else delete next[orderId];
        return next;
      });
    return {
      edit,
      messages,
      startEdit: (order) => {
        const initial = draftOf(order);
        setEdit({ orderId: order.id, initial, draft: initial, sending: false });
        setMessage(order.id, null);
      },
      changeDraft: (field, value) => setEdit((current) => current && { ...current, draft: { ...current.draft, [field]: value } }),
      discardEdit: () => {
        if (edit) setMessage(edit.orderId, null);
        setEdit(null);
      },
      sendEdit: (order) => {
        if (!edit || edit.orderId !== order.id || edit.sending) return;
        const replacement = replacementOf(order, edit.draft, edit.initial);
        if (!replacement.ok) {
          setMessage(order.id, replacement.error);
          return;
        }
        setEdit({ ...edit, sending: true });
        client.request({ type: 'replaceOrder', orderId: order.id, ...replacement.changes }).then(
          () => {
            setEdit((current) => (current?.orderId === order.id ? null : current));
            setMessage(order.id, null);
          },
          (error: unknown) => {
            setEdit((current) => (current?.orderId === order.id ? { ...current, sending: false } : current));
            setMessage(order.id, error instanceof Error ? error.message : String(error));
          },
        );
      },
      cancel: (order) => {
        client.request({ type: 'cancelOrder', orderId: order.id }).then(
          () => setMessage(order.id, null),
          (error: unknown) => setMessage(order.id, error instanceof Error ? error.message : String(error)),
        );
      },
    };
  }, [client, edit, messages]);
}

/** The order actions, and whether `order`'s row is in Modify (only while the order can still be replaced). */
function useDraftOf(order: Order): { actions: OrderActions; editing: boolean } {
  const actions = useOrderActions();
  return { actions, editing: actions.edit?.orderId === order.id && canModify(order) };
}

function DraftInput({ order, field, label, title, autoFocus = false }: { order: Order; field: keyof ModifyDraft; label: string; title: string; autoFocus?: boolean }) {
  const { actions } = useDraftOf(order);
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    // Enter and Escape belong to this edit, not to the window's hotkeys (Escape cancels orders there).
    if (event.key === 'Enter') {
      event.preventDefault();
      event.stopPropagation();
      actions.sendEdit(order);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      actions.discardEdit();
    }
  };
  return (
    <input
      className="cell-input"
      aria-label={label}
      title={title}
      inputMode={field === 'quantity' ? 'numeric' : 'decimal'}
      autoComplete="off"
      // The trader just clicked Modify on this row: the quantity takes the keyboard.
      autoFocus={autoFocus}
      onFocus={(e) => e.currentTarget.select()}
      value={actions.edit?.draft[field] ?? ''}
      onChange={(e) => actions.changeDraft(field, e.target.value)}
      onKeyDown={onKeyDown}
    />
  );
}

function QuantityCell({ order }: { order: Order }) {
  const { editing } = useDraftOf(order);
  if (!editing) return <>{formatShares(order.quantity)}</>;
  const filled = order.filledQuantity > 0 ? ` (${formatShares(order.filledQuantity)} filled)` : '';
  return <DraftInput order={order} field="quantity" label="New quantity" title={`Shares still to work${filled}`} autoFocus />;
}

function LimitCell({ order }: { order: Order }) {
  const { editing } = useDraftOf(order);
  if (!editing || !modifiableFields(order).limitPrice) return <>{formatPrice(order.limitPrice)}</>;
  return <DraftInput order={order} field="limitPrice" label="New limit price" title="Limit price, USD" />;
}

function stopText(order: Order): string {
  if (order.type === 'trailing_stop') return `trail ${order.trailPrice !== null ? formatPrice(order.trailPrice) : `${order.trailPercent ?? ''}%`}`;
  return formatPrice(order.stopPrice);
}

function StopCell({ order }: { order: Order }) {
  const { editing } = useDraftOf(order);
  if (!editing || !modifiableFields(order).stopPrice) return <>{stopText(order)}</>;
  return <DraftInput order={order} field="stopPrice" label="New stop price" title="Stop price (the last trade that triggers it), USD" />;
}

function ActionsCell({ order }: { order: Order }) {
  const { actions, editing } = useDraftOf(order);
  const message = actions.messages[order.id];
  return (
    <span className="cell-actions">
      {editing ? (
        <>
          <button type="button" className="small" disabled={actions.edit?.sending} onClick={() => actions.sendEdit(order)}>
            Send
          </button>
          <button type="button" className="small" title="Discard the changes (Escape)" onClick={actions.discardEdit}>
            Discard
          </button>
        </>
      ) : (
        <>
          {canModify(order) && (
            <button type="button" className="small" aria-label={`Modify order ${order.clientOrderId}`} onClick={() => actions.startEdit(order)}>
              Modify
            </button>
          )}
          {canCancel(order) && (
            <button type="button" className="small" aria-label={`Cancel order ${order.clientOrderId}`} onClick={() => actions.cancel(order)}>
              Cancel
            </button>
          )}
        </>
      )}
      {message && (
        <span role="alert" className="grid-error">
          {message}
        </span>
      )}
    </span>
  );
}

function typeText(order: Order): string {
  if (order.orderClass === 'simple') return order.type;
  return `${order.type} ${order.parentId ? `${order.orderClass} exit` : order.orderClass}`;
}

/** Columns of the orders blotter; CSV exports raw numbers, times in UTC and ET, ids. */
export const ORDER_COLUMNS: readonly GridColumn<Order>[] = [
  {
    id: 'time',
    header: 'Time (ET)',
    description: 'When the order was created, exchange time',
    value: (o) => o.createdAt,
    text: (o) => formatExchangeTime(o.createdAt),
    csv: timeCsvColumns('created_at', (o) => o.createdAt),
  },
  { id: 'symbol', header: 'Symbol', value: (o) => o.symbol, csv: [{ header: 'symbol', value: (o) => o.symbol }] },
  { id: 'side', header: 'Side', value: (o) => o.side, className: (o) => o.side, csv: [{ header: 'side', value: (o) => o.side }] },
  {
    id: 'quantity',
    header: 'Qty',
    description: 'Shares ordered',
    numeric: true,
    value: (o) => o.quantity,
    text: (o) => formatShares(o.quantity),
    cell: (o) => <QuantityCell order={o} />,
    csv: [{ header: 'quantity', value: (o) => o.quantity }],
  },
  {
    id: 'type',
    header: 'Type',
    value: typeText,
    csv: [
      { header: 'type', value: (o) => o.type },
      { header: 'order_class', value: (o) => o.orderClass },
      { header: 'parent_order_id', value: (o) => o.parentId },
    ],
  },
  {
    id: 'limit',
    header: 'Limit',
    description: 'Limit price, USD',
    numeric: true,
    value: (o) => o.limitPrice,
    text: (o) => formatPrice(o.limitPrice),
    cell: (o) => <LimitCell order={o} />,
    csv: [{ header: 'limit_price', value: (o) => o.limitPrice }],
  },
  {
    id: 'stop',
    header: 'Stop / trail',
    description: 'Stop price, USD, or the trailing distance (USD or %)',
    numeric: true,
    value: (o) => o.stopPrice ?? o.trailPrice ?? o.trailPercent,
    text: stopText,
    cell: (o) => <StopCell order={o} />,
    csv: [
      { header: 'stop_price', value: (o) => o.stopPrice },
      { header: 'trail_price', value: (o) => o.trailPrice },
      { header: 'trail_percent', value: (o) => o.trailPercent },
    ],
  },
  {
    id: 'tif',
    header: 'TIF',
    description: 'Time in force',
    value: (o) => o.timeInForce,
    text: (o) => (o.extendedHours ? `${o.timeInForce} ext` : o.timeInForce),
    csv: [
      { header: 'time_in_force', value: (o) => o.timeInForce },
      { header: 'extended_hours', value: (o) => o.extendedHours },
    ],
  },
  {
    id: 'status',
    header: 'Status',
    value: (o) => o.status,
    className: (o) => (o.status === 'rejected' ? 'down' : WORKING_ORDER_STATUSES.has(o.status) ? '' : 'muted'),
    cellTitle: (o) => o.reason ?? '',
    csv: [{ header: 'status', value: (o) => o.status }, ...timeCsvColumns<Order>('updated_at', (o) => o.updatedAt)],
  },
  {
    id: 'filled',
    header: 'Filled',
    description: 'Shares filled so far',
    numeric: true,
    value: (o) => o.filledQuantity,
    text: (o) => formatShares(o.filledQuantity),
    csv: [{ header: 'filled_quantity', value: (o) => o.filledQuantity }],
  },
  {
    id: 'average-price',
    header: 'Avg price',
    description: 'Average fill price, USD',
    numeric: true,
    value: (o) => o.averageFillPrice,
    text: (o) => formatPrice(o.averageFillPrice),
    csv: [{ header: 'average_fill_price', value: (o) => o.averageFillPrice }],
  },
  {
    id: 'client-order-id',
    header: 'client_order_id',
    value: (o) => o.clientOrderId,
    className: () => 'muted',
    csv: [
      { header: 'client_order_id', value: (o) => o.clientOrderId },
      { header: 'order_id', value: (o) => o.id },
    ],
  },
  { id: 'reason', header: 'Reason', value: (o) => o.reason ?? '', className: () => 'muted', csv: [{ header: 'reason', value: (o) => o.reason }] },
  { id: 'actions', header: '', sortable: false, value: () => null, text: () => '', cell: (o) => <ActionsCell order={o} />, csv: [] },
];

const NEWEST_FIRST: GridSorting = [{ id: 'time', desc: true }];
const orderId = (o: Order): string => o.id;
const orderAttributes = (o: Order): Record<string, string> => ({ 'data-order-id': o.id, 'data-status': o.status });
const fileName = (): string => datedCsvFileName('orders', Date.now());

const SCOPES: readonly { readonly scope: OrderScope; readonly label: string }[] = [
  { scope: 'working', label: 'Working' },
  { scope: 'done', label: 'Done' },
  { scope: 'all', label: 'All' },
];

/** The Orders window (window kind `orders`): the blotter, Cancel all and the broker status. */
export function OrdersWindow() {
  useTopics(['orders']);
  const { client } = useWorkstation();
  const byId = useWorkstationState((s) => s.orders);
  const [scope, setScope] = useState<OrderScope>('all');
  const [notice, setNotice] = useState<{ readonly text: string; readonly error: boolean } | null>(null);
  const all = useMemo(() => ordersNewestFirst(byId), [byId]);
  const rows = useMemo(() => ordersInScope(all, scope), [all, scope]);
  const workingCount = useMemo(() => all.filter((o) => WORKING_ORDER_STATUSES.has(o.status)).length, [all]);
  const actions = useOrderActionsState();
  const editingId = actions.edit?.orderId ?? null;
  const rowClassName = useCallback((o: Order) => (o.id === editingId ? 'editing' : undefined), [editingId]);
  const cancelAll = (): void => {
    client.request({ type: 'cancelAll' }).then(
      ({ canceled }) => setNotice({ text: canceled === 0 ? 'No working orders to cancel' : `Cancel sent for ${canceled} order${canceled === 1 ? '' : 's'}`, error: false }),
      (error: unknown) => setNotice({ text: error instanceof Error ? error.message : String(error), error: true }),
    );
  };
  const counts: Readonly<Record<OrderScope, number>> = { working: workingCount, done: all.length - workingCount, all: all.length };
  return (
    <div className="blotter-window orders-window">
      <OrderActionsContext.Provider value={actions}>
        <DataGrid
          label="Orders"
          columns={ORDER_COLUMNS}
          rows={rows}
          getRowId={orderId}
          rowAttributes={orderAttributes}
          rowClassName={rowClassName}
          initialSorting={NEWEST_FIRST}
          csvFileName={fileName}
          emptyText={scope === 'working' ? 'No working orders' : 'No orders yet'}
          toolbarEnd={<BrokerStatus />}
        >
          <div className="segmented" role="group" aria-label="Show orders">
            {SCOPES.map(({ scope: s, label }) => (
              <button key={s} type="button" className="small" aria-pressed={scope === s} onClick={() => setScope(s)}>
                {label} <span className="muted">{counts[s]}</span>
              </button>
            ))}
          </div>
          <button type="button" className="small" onClick={cancelAll} title="Cancel every working order in every symbol">
            Cancel all
          </button>
          {notice && (
            <span className={`toolbar-message${notice.error ? ' error' : ''}`} role={notice.error ? 'alert' : 'status'}>
              {notice.text}
            </span>
          )}
        </DataGrid>
      </OrderActionsContext.Provider>
    </div>
  );
}
