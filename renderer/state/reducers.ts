/**
 * The window's state and the pure functions that change it. Components read it through atomic
 * selectors; only {@link applyEvents} changes it (zustand actions call it).
 */
import type { Account, Alert, RiskStatus, FeedHealth, BrokerHealth, RecordingHealth, EngineHealth, WindowHealth, Print, Fill, Order, Position, Settings, Symbol, Ticker, Timeframe } from '../../shared/domain';
import type { Layout } from '../../shared/layouts';
import type { BarWithIndicators, EngineEvent, LinkGroup, TicketPrefill } from '../../shared/protocol';

export interface LinkedSymbol {
  readonly symbol: Symbol;
  readonly snapshot: boolean;
  /** Ticket prices sent with this pick (an alert's suggestion). */
  readonly prefill?: TicketPrefill;
}

/** A symbol's 1-minute bars as the chart needs them. */
export interface BarSeriesState {
  /** Full history from the last snapshot (replaced on symbol change or resubscribe). */
  readonly snapshot: readonly BarWithIndicators[];
  /** Increases with every snapshot; the chart calls `setData` when it changes. */
  readonly snapshotVersion: number;
  /** Updates of the latest batch, in order; the chart feeds each to `series.update()`. */
  readonly updates: readonly BarWithIndicators[];
}

export interface WorkstationState {
  readonly connected: boolean;
  readonly tickers: Readonly<Record<Symbol, Ticker>>;
  /** Bar series keyed by {@link barKey} (`IBM:5m`). */
  readonly bars: Readonly<Record<string, BarSeriesState>>;
  readonly orders: Readonly<Record<string, Order>>;
  readonly fills: readonly Fill[];
  readonly positions: Readonly<Record<Symbol, Position>>;
  readonly account: Account | null;
  readonly health: FeedHealth | null;
  readonly broker: BrokerHealth | null;
  readonly recording: RecordingHealth | null;
  readonly engine: EngineHealth | null;
  readonly settings: Settings | null;
  /** Symbol linked per group; `snapshot` when it was already linked before this window subscribed. */
  readonly links: Readonly<Record<LinkGroup, LinkedSymbol>>;
  readonly symbols: readonly Symbol[];
  /** Alerts, oldest first (at most {@link MAX_ALERTS}). */
  readonly alerts: readonly Alert[];
  /** Risk state and the day's counters. */
  readonly risk: RiskStatus | null;
  /** Time & sales, oldest first, per symbol (at most {@link MAX_PRINTS}). */
  readonly prints: Readonly<Record<Symbol, readonly Print[]>>;
  /** Every window's drawing figures, from the last health event. */
  readonly windowHealth: readonly WindowHealth[];
  /** Saved window layouts, every arrangement. */
  readonly layouts: readonly Layout[];
}

/** Alerts a window keeps. */
export const MAX_ALERTS = 1_000;

/** Key of a symbol's series of one timeframe in {@link WorkstationState.bars}. */
export function barKey(symbol: Symbol, timeframe: Timeframe): string {
  return `${symbol}:${timeframe}`;
}

export const INITIAL_STATE: WorkstationState = {
  connected: false,
  tickers: {},
  bars: {},
  orders: {},
  fills: [],
  positions: {},
  account: null,
  health: null,
  broker: null,
  recording: null,
  engine: null,
  settings: null,
  links: {},
  symbols: [],
  alerts: [],
  risk: null,
  prints: {},
  windowHealth: [],
  layouts: [],
};

/** Prints kept per symbol for time & sales. */
export const MAX_PRINTS = 5_000;

/** Applies a batch of engine events; returns the new state (unchanged parts keep their identity). */
export function applyEvents(state: WorkstationState, events: readonly EngineEvent[]): WorkstationState {
  let next = state;
  const barUpdates = new Map<string, BarWithIndicators[]>();
  // Prints of this batch per symbol, appended once (a batch can hold thousands).
  const printUpdates = new Map<Symbol, Print[]>();
  for (const event of events) {
    switch (event.type) {
      case 'ticker':
        next = { ...next, tickers: { ...next.tickers, [event.ticker.symbol]: event.ticker } };
        break;
      case 'barHistory': {
        const key = barKey(event.symbol, event.timeframe);
        const previous = next.bars[key];
        barUpdates.delete(key);
        next = {
          ...next,
          bars: { ...next.bars, [key]: { snapshot: event.bars, snapshotVersion: (previous?.snapshotVersion ?? 0) + 1, updates: [] } },
        };
        break;
      }
      case 'bar': {
        const key = barKey(event.bar.symbol, event.bar.timeframe);
        const list = barUpdates.get(key) ?? [];
        list.push({ bar: event.bar, indicators: event.indicators });
        barUpdates.set(key, list);
        break;
      }
      case 'order':
        next = { ...next, orders: { ...next.orders, [event.order.id]: event.order } };
        break;
      case 'fill':
        next = next.fills.some((f) => f.id === event.fill.id) ? next : { ...next, fills: [...next.fills, event.fill] };
        break;
      case 'orderBook':
        next = { ...next, orders: Object.fromEntries(event.orders.map((o) => [o.id, o])), fills: event.fills };
        break;
      case 'position':
        next = { ...next, positions: { ...next.positions, [event.position.symbol]: event.position } };
        break;
      case 'positions':
        next = { ...next, positions: Object.fromEntries(event.positions.map((p) => [p.symbol, p])), account: event.account };
        break;
      case 'account':
        next = { ...next, account: event.account };
        break;
      case 'health':
        next = { ...next, health: event.feed, broker: event.broker, recording: event.recording ?? null, engine: event.engine ?? null, windowHealth: event.windows ?? [] };
        break;
      case 'settings':
        next = { ...next, settings: event.settings };
        break;
      case 'link':
        next = { ...next, links: { ...next.links, [event.group]: { symbol: event.symbol, snapshot: event.snapshot, ...(event.prefill ? { prefill: event.prefill } : {}) } } };
        break;
      case 'symbols':
        next = { ...next, symbols: event.symbols };
        break;
      case 'alertHistory':
        next = { ...next, alerts: event.alerts.slice(-MAX_ALERTS) };
        break;
      case 'alertsAcknowledged': {
        const ids = new Set(event.ids);
        next = { ...next, alerts: next.alerts.map((a) => (ids.has(a.id) ? { ...a, acknowledgedAt: event.at } : a)) };
        break;
      }
      case 'alert':
        next = next.alerts.some((a) => a.id === event.alert.id) ? next : { ...next, alerts: [...next.alerts, event.alert].slice(-MAX_ALERTS) };
        break;
      case 'risk':
        next = { ...next, risk: event.risk };
        break;
      case 'layouts':
        next = { ...next, layouts: event.layouts };
        break;
      case 'prints':
        printUpdates.delete(event.symbol);
        next = { ...next, prints: { ...next.prints, [event.symbol]: event.prints.slice(-MAX_PRINTS) } };
        break;
      case 'trade': {
        const list = printUpdates.get(event.trade.symbol) ?? [];
        list.push({ trade: event.trade, side: event.side });
        printUpdates.set(event.trade.symbol, list);
        break;
      }
    }
  }
  if (printUpdates.size > 0) {
    const prints = { ...next.prints };
    for (const [symbol, added] of printUpdates) {
      const merged = [...(prints[symbol] ?? []), ...added];
      prints[symbol] = merged.length > MAX_PRINTS ? merged.slice(-MAX_PRINTS) : merged;
    }
    next = { ...next, prints };
  }
  if (barUpdates.size > 0) {
    const bars = { ...next.bars };
    for (const [key, updates] of barUpdates) {
      const previous = bars[key];
      if (previous) bars[key] = { ...previous, updates };
    }
    next = { ...next, bars };
  }
  return next;
}

/** Orders newest first. */
export function ordersNewestFirst(orders: Readonly<Record<string, Order>>): Order[] {
  return Object.values(orders).sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
}
