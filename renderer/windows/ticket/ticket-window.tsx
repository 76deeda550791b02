/**
 * Order ticket: symbol, side, quantity (typed, from size presets, or sized from the dollar risk
 * and the stop distance), order type, limit/stop/trail prices, time in force, extended hours and a
 * bracket. A preview line says exactly what will be sent; Buy and Sell send at once unless the
 * order needs a confirmation (above the notional threshold, outside the price band, a stale or
 * halted quote, the first live order of the session), which a second press gives. An alert's
 * suggestion arrives through the link group and fills the ticket in.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { DEFAULT_SETTINGS, type Order, type OrderRequest, type OrderSide, type OrderType, type TimeInForce } from '../../../shared/domain';
import { SizingError, previewOrder, rSizedQuantity } from '../../../shared/order-preview';
import { type LinkGroup, WorkstationRequestError } from '../../../shared/protocol';
import { formatExchangeTime, formatMoney, formatPrice, formatShares } from '../../components/format';
import { useLiveOrderGate } from '../../components/trading-mode';
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
  const prefill = useWorkstationState((s) => s.links[group]?.prefill ?? null);
  useTopics(['settings', 'risk']);
  const ticketSettings = useWorkstationState((s) => s.settings?.ticket ?? DEFAULT_SETTINGS.ticket);
  const riskLimits = useWorkstationState((s) => s.settings?.risk ?? null);
  const hotkeySettings = useWorkstationState((s) => s.settings?.hotkeys ?? DEFAULT_SETTINGS.hotkeys);
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
  const [riskUsd, setRiskUsd] = useState(String(ticketSettings.riskPerTradeUsd));
  const [sizing, setSizing] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  /** The side the preview describes: the last pressed, or an alert's suggestion. */
  const [side, setSide] = useState<OrderSide>('buy');
  const exitsAllowed = (type === 'market' || type === 'limit') && (timeInForce === 'day' || timeInForce === 'gtc');
  const extendedAllowed = type === 'limit' && timeInForce === 'day';
  const trailing = type === 'trailing_stop';
  const usesLimit = type === 'limit' || type === 'stop_limit';
  const usesStop = type === 'stop' || type === 'stop_limit';
  const [status, setStatus] = useState<TicketStatus>({ kind: 'idle' });
  const upper = symbol.trim().toUpperCase();
  useTopics(upper ? [`quotes:${upper}`] : []);
  const ticker = useWorkstationState((s) => s.tickers[upper]);
  const liveGate = useLiveOrderGate();

  useEffect(() => {
    if (linked) setSymbol(linked);
  }, [linked]);

  // The settings' risk per trade is the default until the trader types another.
  const riskTouched = useRef(false);
  useEffect(() => {
    if (!riskTouched.current) setRiskUsd(String(ticketSettings.riskPerTradeUsd));
  }, [ticketSettings.riskPerTradeUsd]);

  /** Sizes the order from the dollar risk and the stop distance; returns the quantity or null. */
  const sizeFromRisk = (entry: number, stop: number, risk: number): number | null => {
    try {
      const size = rSizedQuantity(risk, entry, stop, riskLimits ? { maxQuantity: riskLimits.maxOrderQuantity, maxNotional: riskLimits.maxOrderNotional } : {});
      if (size.quantity === 0) {
        setSizing({ kind: 'error', text: `One share risks ${formatMoney(size.riskPerShare)}, more than ${formatMoney(risk)}` });
        return null;
      }
      const limit = size.limitedBy === 'max_quantity' ? ' (capped by max order quantity)' : size.limitedBy === 'max_notional' ? ' (capped by max order notional)' : '';
      setSizing({ kind: 'ok', text: `${formatShares(size.quantity)} sh risk ${formatMoney(size.riskUsd)} at ${formatMoney(size.riskPerShare)}/sh${limit}` });
      setQuantity(String(size.quantity));
      return size.quantity;
    } catch (error) {
      setSizing({ kind: 'error', text: error instanceof SizingError ? error.message : String(error) });
      return null;
    }
  };

  // An alert's suggestion: limit entry with a bracket, sized from the risk per trade.
  useEffect(() => {
    if (!prefill) return;
    setType('limit');
    setTimeInForce('day');
    setExtendedHours(false);
    setLimitPrice(prefill.entry.toFixed(2));
    setTakeProfit(prefill.target.toFixed(2));
    setStopLoss(prefill.stop.toFixed(2));
    setSide(prefill.side);
    setStatus({ kind: 'warning', text: `From alert: ${prefill.side === 'buy' ? 'Buy' : 'Sell'} at ${formatPrice(prefill.entry)}, stop ${formatPrice(prefill.stop)}, target ${formatPrice(prefill.target)}` });
    sizeFromRisk(prefill.entry, prefill.stop, Number(riskUsd) || ticketSettings.riskPerTradeUsd);
    // Only a new alert refills the ticket.
  }, [prefill?.alertId]);

  /** The entry the R-sizing uses: the limit, else the stop, else the NBBO side, else last. */
  const entryFor = (side: OrderSide): number | null => {
    if (usesLimit && limitPrice.trim() !== '') return Number(limitPrice);
    if (usesStop && stopPrice.trim() !== '') return Number(stopPrice);
    return (side === 'buy' ? ticker?.ask : ticker?.bid) ?? ticker?.last ?? null;
  };
  const onSizeFromRisk = (): void => {
    const stop = stopLoss.trim() !== '' ? Number(stopLoss) : usesStop && stopPrice.trim() !== '' && usesLimit ? Number(stopPrice) : null;
    const entry = entryFor(side);
    if (entry === null) return setSizing({ kind: 'error', text: 'Needs an entry: a limit price or a quote' });
    if (stop === null) return setSizing({ kind: 'error', text: 'Needs a stop loss to size from risk' });
    sizeFromRisk(entry, stop, Number(riskUsd));
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

  const requestFor = (side: OrderSide): OrderRequest => ({
    symbol: upper,
    side,
    quantity: Number(quantity),
    type,
    timeInForce,
    ...(usesLimit && limitPrice.trim() !== '' ? { limitPrice: Number(limitPrice) } : {}),
    ...(usesStop && stopPrice.trim() !== '' ? { stopPrice: Number(stopPrice) } : {}),
    ...(trailing && trail.trim() !== '' ? (trailUnit === 'usd' ? { trailPrice: Number(trail) } : { trailPercent: Number(trail) }) : {}),
    ...(extendedAllowed && extendedHours ? { extendedHours: true } : {}),
    ...exits(),
  });

  const quote = ticker ? { bid: ticker.bid, ask: ticker.ask, last: ticker.last } : null;
  const preview = useMemo(
    () => (upper ? previewOrder(requestFor(side), quote, hotkeySettings) : null),
    // requestFor reads the form state listed here.
    [upper, quantity, type, limitPrice, stopPrice, timeInForce, trail, trailUnit, extendedHours, takeProfit, stopLoss, side, quote?.bid, quote?.ask, quote?.last, hotkeySettings],
  );

  /** The side the trader pressed once already for a confirmation, and when. */
  const [confirmed, setConfirmed] = useState<{ side: OrderSide; at: number } | null>(null);
  const quoteProblem = ticker?.halt ? `${upper} is halted (${ticker.halt})` : ticker?.stale ? `${upper}'s quote is stale: no update since ${formatExchangeTime(ticker.time)} ET` : null;

  const send = async (side: OrderSide): Promise<void> => {
    setSide(side);
    const order = requestFor(side);
    const reasons = [...(quoteProblem ? [quoteProblem] : []), ...previewOrder(order, quote, hotkeySettings).confirmations];
    const now = Date.now();
    const secondPress = confirmed?.side === side && now - confirmed.at <= 10_000;
    if (reasons.length > 0 && !secondPress) {
      setConfirmed({ side, at: now });
      setStatus({ kind: 'warning', text: `${reasons.join('; ')}. Press ${side === 'buy' ? 'Buy' : 'Sell'} again to send anyway.` });
      return;
    }
    const live = liveGate.check();
    if (live) {
      setConfirmed({ side, at: now });
      setStatus({ kind: 'warning', text: live });
      return;
    }
    setConfirmed(null);
    setStatus({ kind: 'sending' });
    try {
      const { order: placed } = await client.request({ type: 'placeOrder', order });
      setStatus({ kind: 'ok', text: describe(placed) });
    } catch (error) {
      const message = error instanceof WorkstationRequestError ? error.message : String(error);
      setStatus({ kind: 'error', text: `Rejected: ${message}` });
    }
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
      <div className="ticket-presets" role="group" aria-label="Size presets">
        {ticketSettings.sizePresets.map((size) => (
          <button key={size} type="button" className="small" aria-label={`Size ${size}`} aria-pressed={Number(quantity) === size} onClick={() => setQuantity(String(size))}>
            {formatShares(size)}
          </button>
        ))}
      </div>
      <div className="ticket-row ticket-sizing">
        <label>
          Risk (USD)
          <input
            type="number"
            min={0}
            step={1}
            value={riskUsd}
            onChange={(e) => {
              riskTouched.current = true;
              setRiskUsd(e.target.value);
            }}
          />
        </label>
        <button type="button" onClick={onSizeFromRisk} title="Quantity = risk ÷ distance from entry to stop loss">
          Size from risk
        </button>
      </div>
      {sizing && (
        <p className={`ticket-sizing-result ${sizing.kind}`} data-testid="r-sizing">
          {sizing.text}
        </p>
      )}
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
      <div className="ticket-side" role="radiogroup" aria-label="Side">
        {(['buy', 'sell'] as const).map((s) => (
          <label key={s} className={`inline-toggle ${s}`}>
            <input type="radio" name="side" value={s} checked={side === s} onChange={() => setSide(s)} />
            {s === 'buy' ? 'Buy' : 'Sell'}
          </label>
        ))}
      </div>
      {preview && (
        <p className="ticket-preview" data-testid="order-preview" title="What will be sent">
          {preview.text}
        </p>
      )}
      <div className="ticket-buttons">
        <button type="button" className={`buy${side === 'buy' ? ' selected' : ''}`} disabled={status.kind === 'sending'} onClick={() => void send('buy')}>
          Buy
        </button>
        <button type="button" className={`sell${side === 'sell' ? ' selected' : ''}`} disabled={status.kind === 'sending'} onClick={() => void send('sell')}>
          Sell
        </button>
      </div>
      <output className={`ticket-status ${status.kind}`} role="status" aria-live="polite">
        {status.kind === 'ok' || status.kind === 'error' || status.kind === 'warning' ? status.text : status.kind === 'sending' ? 'Sending…' : ''}
      </output>
    </form>
  );
}
