/**
 * Positions & account: the account (equity, cash, buying power, P&L), the broker, the risk state
 * with Flatten all and the kill switch, and every position of the day in a {@link DataGrid} with
 * a per-row Flatten (a market order for the whole position).
 */
import { useMemo, useState } from 'react';
import type { OrderRequest, Position } from '../../../shared/domain';
import { BrokerStatus } from '../../components/broker-status';
import { datedCsvFileName } from '../../components/csv';
import { DataGrid, type GridColumn, type GridSorting } from '../../components/data-grid';
import { formatMoney, formatPrice, formatShares, signClass } from '../../components/format';
import { useTopics, useWorkstation, useWorkstationState } from '../../workstation-context';

/**
 * The order that closes a position: a day market order for all its shares, selling a long
 * (quantity > 0) and buying back a short; null when flat.
 */
export function closingOrderOf(position: Pick<Position, 'symbol' | 'quantity'>): OrderRequest | null {
  if (position.quantity === 0) return null;
  return { symbol: position.symbol, side: position.quantity > 0 ? 'sell' : 'buy', quantity: Math.abs(position.quantity), type: 'market', timeInForce: 'day' };
}

/** Open positions and P&L (USD) of a set of positions. */
export interface PositionTotals {
  /** Positions with shares (long or short). */
  readonly open: number;
  /** Σ market value (long positive, short negative), USD; positions without a last price count 0. */
  readonly marketValue: number;
  readonly unrealizedPnl: number;
  readonly realizedPnl: number;
}

/** Totals of `positions` ({@link PositionTotals}); not rounded. */
export function positionTotals(positions: readonly Position[]): PositionTotals {
  let open = 0;
  let marketValue = 0;
  let unrealizedPnl = 0;
  let realizedPnl = 0;
  for (const p of positions) {
    if (p.quantity !== 0) open++;
    marketValue += p.marketValue ?? 0;
    unrealizedPnl += p.unrealizedPnl ?? 0;
    realizedPnl += p.realizedPnl;
  }
  return { open, marketValue, unrealizedPnl, realizedPnl };
}

function FlattenButton({ position }: { position: Position }) {
  const { client } = useWorkstation();
  const [sending, setSending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const order = closingOrderOf(position);
  const flatten = (): void => {
    if (!order) return;
    setSending(true);
    setMessage(null);
    client.request({ type: 'placeOrder', order }).then(
      ({ order: placed }) => {
        setSending(false);
        setMessage(placed.status === 'rejected' ? `Rejected: ${placed.reason ?? 'by the broker'}` : null);
      },
      (error: unknown) => {
        setSending(false);
        setMessage(error instanceof Error ? error.message : String(error));
      },
    );
  };
  return (
    <span className="cell-actions">
      {order && (
        <button
          type="button"
          className="small"
          aria-label={`Flatten ${position.symbol}`}
          title={`${order.side === 'sell' ? 'Sell' : 'Buy'} ${formatShares(order.quantity)} ${position.symbol} at market`}
          disabled={sending}
          onClick={flatten}
        >
          Flatten
        </button>
      )}
      {message && (
        <span role="alert" className="grid-error">
          {message}
        </span>
      )}
    </span>
  );
}

/** Columns of the positions grid; every number cell carries its raw value in `data-value`. */
export const POSITION_COLUMNS: readonly GridColumn<Position>[] = [
  { id: 'symbol', header: 'Symbol', rowHeader: true, value: (p) => p.symbol, csv: [{ header: 'symbol', value: (p) => p.symbol }] },
  {
    id: 'quantity',
    header: 'Quantity',
    description: 'Shares; negative when short',
    numeric: true,
    value: (p) => p.quantity,
    text: (p) => formatShares(p.quantity),
    className: (p) => (p.quantity > 0 ? 'buy' : p.quantity < 0 ? 'sell' : 'muted'),
    csv: [{ header: 'quantity', value: (p) => p.quantity }],
  },
  {
    id: 'average-entry',
    header: 'Avg entry',
    description: 'Average entry price (average cost), USD',
    numeric: true,
    value: (p) => p.averageEntryPrice,
    text: (p) => formatPrice(p.averageEntryPrice || null),
    csv: [{ header: 'average_entry_price', value: (p) => p.averageEntryPrice }],
  },
  {
    id: 'last',
    header: 'Last',
    description: 'Last trade price, USD, used for marking',
    numeric: true,
    value: (p) => p.lastPrice,
    text: (p) => formatPrice(p.lastPrice),
    csv: [{ header: 'last_price', value: (p) => p.lastPrice }],
  },
  {
    id: 'market-value',
    header: 'Mkt value',
    description: 'Quantity × last, USD',
    numeric: true,
    value: (p) => p.marketValue,
    text: (p) => formatMoney(p.marketValue),
    csv: [{ header: 'market_value', value: (p) => p.marketValue }],
  },
  {
    id: 'unrealized',
    header: 'Unrealized P&L',
    description: '(last − average entry) × quantity, USD',
    numeric: true,
    value: (p) => p.unrealizedPnl,
    text: (p) => formatMoney(p.unrealizedPnl, true),
    className: (p) => signClass(p.unrealizedPnl),
    csv: [{ header: 'unrealized_pnl', value: (p) => p.unrealizedPnl }],
  },
  {
    id: 'realized',
    header: 'Realized P&L',
    description: 'P&L realized today by average cost, USD',
    numeric: true,
    value: (p) => p.realizedPnl,
    text: (p) => formatMoney(p.realizedPnl, true),
    className: (p) => signClass(p.realizedPnl),
    csv: [{ header: 'realized_pnl', value: (p) => p.realizedPnl }],
  },
  { id: 'actions', header: '', sortable: false, value: () => null, text: () => '', cell: (p) => <FlattenButton position={p} />, csv: [] },
];

function AccountBar() {
  const account = useWorkstationState((s) => s.account);
  return (
    <section aria-label="Account" className="account-bar">
      <span>
        Equity <strong className="num">{formatMoney(account?.equity)}</strong>
      </span>
      <span>
        Cash <span className="num">{formatMoney(account?.cash)}</span>
      </span>
      <span>
        Buying power <span className="num">{formatMoney(account?.buyingPower)}</span>
      </span>
      <span>
        Unrealized <span className={`num ${signClass(account?.unrealizedPnl)}`}>{formatMoney(account?.unrealizedPnl, true)}</span>
      </span>
      <span>
        Realized <span className={`num ${signClass(account?.realizedPnl)}`}>{formatMoney(account?.realizedPnl, true)}</span>
      </span>
      <BrokerStatus />
    </section>
  );
}

function RiskBar() {
  const { client } = useWorkstation();
  const risk = useWorkstationState((s) => s.risk);
  const [message, setMessage] = useState<string | null>(null);
  const run = (command: 'killSwitch' | 'flattenAll'): void => {
    client.request({ type: command }).then(
      (result) =>
        setMessage(
          result.failures.length
            ? `Could not close: ${result.failures.join('; ')}`
            : result.waiting.length
              ? `Closing ${result.waiting.join(', ')} once their cancels are confirmed`
              : null,
        ),
      (error: unknown) => setMessage(error instanceof Error ? error.message : String(error)),
    );
  };
  return (
    <section aria-label="Risk" className={`risk-bar risk-${risk?.state ?? 'active'}`}>
      <span>
        Risk <strong data-testid="risk-state">{(risk?.state ?? 'active').toUpperCase()}</strong>
        {risk?.reason ? ` — ${risk.reason}` : ''}
      </span>
      <span>
        Day P&amp;L <span className={`num ${signClass(risk?.dayPnl)}`}>{formatMoney(risk?.dayPnl ?? 0, true)}</span>
      </span>
      <span>Orders today {risk?.ordersToday ?? 0}</span>
      <span>Trades today {risk?.tradesToday ?? 0}</span>
      {risk?.lossLocked && (
        <span className="risk-flag" data-testid="loss-locked" title="The daily loss limit engaged today: only the next session can make trading active again">
          Loss limit locked
        </span>
      )}
      {risk?.settingsLocked && (
        <span className="risk-flag" data-testid="risk-settings-locked" title="Risk settings cannot change until the app restarts">
          Risk settings locked
        </span>
      )}
      <button type="button" onClick={() => run('flattenAll')}>
        Flatten all
      </button>
      <button type="button" className="kill-switch" onClick={() => run('killSwitch')}>
        Kill switch
      </button>
      {message && <span role="alert">{message}</span>}
    </section>
  );
}

function PositionSummary({ positions }: { positions: readonly Position[] }) {
  const totals = positionTotals(positions);
  return (
    <>
      <span>Open {totals.open}</span>
      <span>
        Unrealized <span className={`num ${signClass(totals.unrealizedPnl)}`}>{formatMoney(totals.unrealizedPnl, true)}</span>
      </span>
      <span>
        Realized <span className={`num ${signClass(totals.realizedPnl)}`}>{formatMoney(totals.realizedPnl, true)}</span>
      </span>
    </>
  );
}

const BY_SYMBOL: GridSorting = [{ id: 'symbol', desc: false }];
const positionId = (p: Position): string => p.symbol;
const positionAttributes = (p: Position): Record<string, string> => ({ 'data-symbol': p.symbol });
const fileName = (): string => datedCsvFileName('positions', Date.now());
const summary = (positions: readonly Position[]) => <PositionSummary positions={positions} />;

/** The Positions & Account window (window kind `positions`): account, risk controls and positions. */
export function PositionsWindow() {
  useTopics(['positions', 'risk', 'orders']);
  const bySymbol = useWorkstationState((s) => s.positions);
  const positions = useMemo(() => Object.values(bySymbol).sort((a, b) => a.symbol.localeCompare(b.symbol)), [bySymbol]);
  return (
    <div className="blotter-window positions-window">
      <AccountBar />
      <RiskBar />
      <DataGrid
        label="Positions"
        columns={POSITION_COLUMNS}
        rows={positions}
        getRowId={positionId}
        rowAttributes={positionAttributes}
        initialSorting={BY_SYMBOL}
        csvFileName={fileName}
        summary={summary}
        emptyText="No positions today"
      />
    </div>
  );
}
