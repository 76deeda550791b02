/** Orders & positions: working and done orders (cancel inline), positions with P&L, account. */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { BrokerStatus } from '../../components/broker-status';
import { WORKING_ORDER_STATUSES, type Order, type Position } from '../../../shared/domain';
import { formatExchangeTime, formatMoney, formatPrice, formatShares, signClass } from '../../components/format';
import { ordersNewestFirst } from '../../state/reducers';
import { useTopics, useWorkstation, useWorkstationState } from '../../workstation-context';

function OrderRow({ order }: { order: Order }) {
  const { client } = useWorkstation();
  const working = WORKING_ORDER_STATUSES.has(order.status);
  return (
    <tr data-order-id={order.id} data-status={order.status}>
      <td>{formatExchangeTime(order.createdAt)}</td>
      <td>{order.symbol}</td>
      <td className={order.side}>{order.side}</td>
      <td className="num">{formatShares(order.quantity)}</td>
      <td>
        {order.type}
        {order.orderClass !== 'simple' ? <span className="muted"> {order.parentId ? `${order.orderClass} exit` : order.orderClass}</span> : null}
      </td>
      <td className="num">{formatPrice(order.limitPrice)}</td>
      <td className="num">
        {order.type === 'trailing_stop' ? `trail ${order.trailPrice !== null ? formatPrice(order.trailPrice) : `${order.trailPercent}%`}` : formatPrice(order.stopPrice)}
      </td>
      <td>{order.timeInForce}</td>
      <td data-column="status" title={order.reason ?? ''}>
        {order.status}
      </td>
      <td className="num" data-column="filled">
        {formatShares(order.filledQuantity)}
      </td>
      <td className="num" data-column="average-price">
        {formatPrice(order.averageFillPrice)}
      </td>
      <td>
        {working ? (
          <button type="button" className="small" aria-label={`Cancel order ${order.clientOrderId}`} onClick={() => void client.request({ type: 'cancelOrder', orderId: order.id }).catch(() => undefined)}>
            Cancel
          </button>
        ) : (
          <span className="muted">{order.reason ?? ''}</span>
        )}
      </td>
    </tr>
  );
}

function PositionRow({ position }: { position: Position }) {
  return (
    <tr data-symbol={position.symbol}>
      <th scope="row">{position.symbol}</th>
      <td className="num" data-column="quantity" data-value={position.quantity}>
        {formatShares(position.quantity)}
      </td>
      <td className="num" data-column="average-entry" data-value={position.averageEntryPrice}>
        {formatPrice(position.averageEntryPrice || null)}
      </td>
      <td className="num" data-column="last" data-value={position.lastPrice ?? ''}>
        {formatPrice(position.lastPrice)}
      </td>
      <td className={`num ${signClass(position.unrealizedPnl)}`} data-column="unrealized" data-value={position.unrealizedPnl ?? ''}>
        {formatMoney(position.unrealizedPnl, true)}
      </td>
      <td className={`num ${signClass(position.realizedPnl)}`} data-column="realized" data-value={position.realizedPnl}>
        {formatMoney(position.realizedPnl, true)}
      </td>
    </tr>
  );
}

function RiskBar() {
  const { client } = useWorkstation();
  const risk = useWorkstationState((s) => s.risk);
  const [message, setMessage] = useState<string | null>(null);
  const run = (command: 'killSwitch' | 'flattenAll'): void => {
    client.request({ type: command }).then(
      (result) => setMessage(result.failures.length ? `Could not close: ${result.failures.join('; ')}` : null),
      (error: Error) => setMessage(error.message),
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

export function OrdersWindow() {
  useTopics(['orders', 'positions', 'risk']);
  const orders = useWorkstationState(useShallow((s) => ordersNewestFirst(s.orders)));
  const positions = useWorkstationState(useShallow((s) => Object.values(s.positions)));
  const account = useWorkstationState((s) => s.account);
  return (
    <div className="orders-window">
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
      <RiskBar />
      <h2>Positions</h2>
      <table className="grid" aria-label="Positions">
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col" className="num">Quantity</th>
            <th scope="col" className="num">Avg entry</th>
            <th scope="col" className="num">Last</th>
            <th scope="col" className="num">Unrealized P&amp;L</th>
            <th scope="col" className="num">Realized P&amp;L</th>
          </tr>
        </thead>
        <tbody>
          {positions.map((p) => (
            <PositionRow key={p.symbol} position={p} />
          ))}
        </tbody>
      </table>
      <h2>Orders</h2>
      <table className="grid" aria-label="Orders">
        <thead>
          <tr>
            <th scope="col">Time (ET)</th>
            <th scope="col">Symbol</th>
            <th scope="col">Side</th>
            <th scope="col" className="num">Qty</th>
            <th scope="col">Type</th>
            <th scope="col" className="num">Limit</th>
            <th scope="col" className="num">Stop</th>
            <th scope="col">TIF</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Filled</th>
            <th scope="col" className="num">Avg price</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <OrderRow key={o.id} order={o} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
