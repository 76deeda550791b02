/**
 * Order ticket: symbol, quantity, order type, limit price; Buy and Sell send at once and the
 * engine's answer is shown (accepted, filled, or the reason for a rejection).
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { Order, OrderRequest, OrderSide, OrderType, TimeInForce } from '../../../shared/domain';
import { type LinkGroup, WorkstationRequestError } from '../../../shared/protocol';
import { formatExchangeTime, formatPrice, formatShares } from '../../components/format';
import { useLinkedSymbol, useTopics, useWorkstation, useWorkstationState } from '../../workstation-context';

type TicketStatus = { readonly kind: 'idle' } | { readonly kind: 'sending' } | { readonly kind: 'ok' | 'error' | 'warning'; readonly text: string };

function describe(order: Order): string {
  const stop =
    order.stopPrice !== null
      ? ` stop ${formatPrice(order.stopPrice)}`
      : order.type === 'trailing_stop'
        ? ` trailing ${order.trailPrice !== null ? formatPrice(order.trailPrice) : `${order.trailPercent}%`}`
        : '';
  const price = `${stop}${order.limitPrice === null ? (order.stopPrice === null ? ' market' : '') : ` limit ${formatPrice(order.limitPrice)}`}`;
  const what = `${order.side === 'buy' ? 'Buy' : 'Sell'} ${formatShares(order.quantity)} ${order.symbol}${price}`;
  if (order.status === 'filled') return `${what}: filled at ${formatPrice(order.averageFillPrice)}`;
  if (order.status === 'new') return `${what}: working`;
  if (order.status === 'partially_filled') return `${what}: ${formatShares(order.filledQuantity)} filled at ${formatPrice(order.averageFillPrice)}, rest working`;
  if (order.status === 'pending_new' && order.reason) return `${what}: ${order.reason}`;
  return `${what}: ${order.status.replace('_', ' ')}${order.reason ? ` (${order.reason})` : ''}`;
}

/** A price input in USD on the cent grid, labelled for the trader. */
function PriceField({ label, value, onChange, disabled }: { label: string; value: string; onChange: (value: string) => void; disabled: boolean }) {
  return (
    <label>
      {label}
      <input type="number" step="0.01" min={0} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} />
    </label>
  );
}

export function TicketWindow({ group, initialSymbol }: { group: LinkGroup; initialSymbol: string | null }) {
  const { client } = useWorkstation();
  const linked = useLinkedSymbol(group, initialSymbol);
  const [symbol, setSymbol] = useState(linked ?? '');
  const [quantity, setQuantity] = useState('100');
  const [type, setType] = useState<OrderType>('limit');
  const [limitPrice, setLimitPrice] = useState('');
  const [stopPrice, setStopPrice] = useState('');
  const [timeInForce, setTimeInForce] = useState<TimeInForce>('day');
  const [trail, setTrail] = useState('');
  const [trailUnit, setTrailUnit] = useState<'usd' | 'percent'>('usd');
  const [extendedHours, setExtendedHours] = useState(false);
  const [takeProfit, setTakeProfit] = useState('');
  const [stopLoss, setStopLoss] = useState('');
  const exitsAllowed = (type === 'market' || type === 'limit') && (timeInForce === 'day' || timeInForce === 'gtc');
  const extendedAllowed = type === 'limit' && timeInForce === 'day';
  const trailing = type === 'trailing_stop';
  const usesLimit = type === 'limit' || type === 'stop_limit';
  const usesStop = type === 'stop' || type === 'stop_limit';
  const [status, setStatus] = useState<TicketStatus>({ kind: 'idle' });
  const upper = symbol.trim().toUpperCase();
  useTopics(upper ? [`quotes:${upper}`] : []);
  const ticker = useWorkstationState((s) => s.tickers[upper]);

  useEffect(() => {
    if (linked) setSymbol(linked);
  }, [linked]);

  /** The side the trader already confirmed despite an old (stale) or halted quote. */
  const [confirmed, setConfirmed] = useState<OrderSide | null>(null);
  const quoteProblem = ticker?.halt ? `${upper} is halted (${ticker.halt})` : ticker?.stale ? `${upper}'s quote is stale: no update since ${formatExchangeTime(ticker.time)} ET` : null;

  const send = async (side: OrderSide): Promise<void> => {
    if (quoteProblem && confirmed !== side) {
      setConfirmed(side);
      setStatus({ kind: 'warning', text: `${quoteProblem}. Press ${side === 'buy' ? 'Buy' : 'Sell'} again to send anyway.` });
      return;
    }
    setConfirmed(null);
    setStatus({ kind: 'sending' });
    const qty = Number(quantity);
    const limit = Number(limitPrice);
    const stop = Number(stopPrice);
    try {
      const { order } = await client.request({
        type: 'placeOrder',
        order: {
          symbol: upper,
          side,
          quantity: qty,
          type,
          timeInForce,
          ...(usesLimit && limitPrice.trim() !== '' ? { limitPrice: limit } : {}),
          ...(usesStop && stopPrice.trim() !== '' ? { stopPrice: stop } : {}),
          ...(trailing && trail.trim() !== '' ? (trailUnit === 'usd' ? { trailPrice: Number(trail) } : { trailPercent: Number(trail) }) : {}),
          ...(extendedAllowed && extendedHours ? { extendedHours: true } : {}),
          ...exits(),
        },
      });
      setStatus({ kind: 'ok', text: describe(order) });
    } catch (error) {
      const message = error instanceof WorkstationRequestError ? error.message : String(error);
      setStatus({ kind: 'error', text: `Rejected: ${message}` });
    }
  };

  /** Take-profit and stop-loss make a bracket (both) or an oto (one). */
  const exits = (): Partial<OrderRequest> => {
    if (!exitsAllowed) return {};
    const tp = takeProfit.trim() === '' ? null : Number(takeProfit);
    const sl = stopLoss.trim() === '' ? null : Number(stopLoss);
    if (tp === null && sl === null) return {};
    return {
      orderClass: tp !== null && sl !== null ? 'bracket' : 'oto',
      ...(tp !== null ? { takeProfit: { limitPrice: tp } } : {}),
      ...(sl !== null ? { stopLoss: { stopPrice: sl } } : {}),
    };
  };

  const onSubmit = (event: FormEvent): void => event.preventDefault();

  return (
    <form className="ticket" onSubmit={onSubmit} aria-label="Order ticket">
      <label>
        Symbol
        <input value={symbol} onChange={(e) => setSymbol(e.target.value.toUpperCase())} autoComplete="off" spellCheck={false} />
      </label>
      <div className="ticket-quote" aria-label="Quote">
        <span>
          Bid <span className="num">{formatPrice(ticker?.bid)}</span>
        </span>
        <span>
          Ask <span className="num">{formatPrice(ticker?.ask)}</span>
        </span>
        <span>
          Last <span className="num">{formatPrice(ticker?.last)}</span>
        </span>
      </div>
      <label>
        Quantity
        <input type="number" min={1} step={1} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
      </label>
      <label>
        Order type
        <select value={type} onChange={(e) => setType(e.target.value as OrderType)}>
          <option value="limit">Limit</option>
          <option value="market">Market</option>
          <option value="stop">Stop</option>
          <option value="stop_limit">Stop limit</option>
          <option value="trailing_stop">Trailing stop</option>
        </select>
      </label>
      <PriceField label="Limit price" value={limitPrice} onChange={setLimitPrice} disabled={!usesLimit} />
      <PriceField label="Stop price" value={stopPrice} onChange={setStopPrice} disabled={!usesStop} />
      <div className="ticket-row">
        <label>
          Trail
          <input type="number" step="0.01" min={0} value={trail} onChange={(e) => setTrail(e.target.value)} disabled={!trailing} />
        </label>
        <label>
          Trail unit
          <select value={trailUnit} onChange={(e) => setTrailUnit(e.target.value as 'usd' | 'percent')} disabled={!trailing}>
            <option value="usd">USD</option>
            <option value="percent">%</option>
          </select>
        </label>
      </div>
      <label>
        Time in force
        <select value={timeInForce} onChange={(e) => setTimeInForce(e.target.value as TimeInForce)}>
          <option value="day">Day</option>
          <option value="gtc">Good till canceled</option>
          <option value="ioc">Immediate or cancel</option>
          <option value="fok">Fill or kill</option>
          <option value="opg">At the open</option>
          <option value="cls">At the close</option>
        </select>
      </label>
      <div className="ticket-row ticket-exits">
        <PriceField label="Take profit" value={takeProfit} onChange={setTakeProfit} disabled={!exitsAllowed} />
        <PriceField label="Stop loss" value={stopLoss} onChange={setStopLoss} disabled={!exitsAllowed} />
      </div>
      <label className="inline-toggle">
        <input type="checkbox" checked={extendedHours && extendedAllowed} disabled={!extendedAllowed} onChange={(e) => setExtendedHours(e.target.checked)} />
        Extended hours
      </label>
      <div className="ticket-buttons">
        <button type="button" className="buy" disabled={status.kind === 'sending'} onClick={() => void send('buy')}>
          Buy
        </button>
        <button type="button" className="sell" disabled={status.kind === 'sending'} onClick={() => void send('sell')}>
          Sell
        </button>
      </div>
      <output className={`ticket-status ${status.kind}`} role="status" aria-live="polite">
        {status.kind === 'ok' || status.kind === 'error' || status.kind === 'warning' ? status.text : status.kind === 'sending' ? 'Sending…' : ''}
      </output>
    </form>
  );
}
