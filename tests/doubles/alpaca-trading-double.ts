/**
 * A local double of Alpaca's trading API v2 on 127.0.0.1 (port 0), for integration tests only
 * (never shipped). Protocol: `../shared/PROTOCOLS.md` §2 (REST v2 orders, account, positions) and
 * §3 (`trade_updates` stream), as spoken by `@alpacahq/alpaca-trade-api` v4.
 *
 * REST (`{url}/v2/...`): key headers `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY` (401 40110000
 * otherwise); snake_case JSON whose numbers are **strings** and timestamps RFC-3339; errors
 * `{"code": <8 digits>, "message": "..."}`. Routes: `GET /v2/account`, `GET /v2/positions[/{symbol}]`,
 * `POST|GET|DELETE /v2/orders`, `GET /v2/orders:by_client_order_id`, `GET|PATCH|DELETE /v2/orders/{id}`.
 *
 * Stream (`{streamUrl}` = `ws://…/stream`): JSON in **binary** frames (as paper does);
 * `authenticate` → `authorization`, `listen` → `listening`, then one `trade_updates` message per
 * order state change. Text or binary client frames are both accepted.
 *
 * Fill model ("filling orders against recorded data"): the test feeds NBBO quotes with
 * {@link AlpacaTradingDouble.setQuote}. A working order gets at most one execution per quote
 * (and one at submit, against the last quote): market buys at the ask, sells at the bid; limit
 * buys when ask ≤ limit (sells when bid ≥ limit) at the ask (bid); stop buys trigger when
 * ask ≥ stop (sells when bid ≤ stop) and then fill as market; stop_limit triggers then works as a
 * limit; trailing_stop tracks `hwm` on the quote side it would execute on and triggers like a stop.
 * Quote sizes never cap a fill; {@link AlpacaTradingDouble.maxFillShares} does.
 *
 * Simplifications (chosen, documented here for the broker adapter):
 * - A cash account that may short: buying_power = max(0, cash − Σ open buy orders' remaining qty ×
 *   (limit_price ?? stop_price ?? last ask)); short-sale proceeds add to cash. A buy whose qty ×
 *   (limit_price ?? stop_price ?? ask) exceeds buying_power → 403 40310000.
 * - Marks: current_price = mid of the last quote (one side if the other is 0), else avg entry.
 * - POST/PATCH answer the order as accepted (`"status":"accepted"`); it is `new` at once
 *   (`new` event), then may fill. Cancels and replaces are immediate (no pending_* states).
 * - Bracket/oto legs are `held` until the entry is completely filled, then `new` with the entry's
 *   qty; oco places a limit parent (take profit) plus a working stop leg. The first execution of
 *   one member of a bracket's exits or of an oco pair cancels the other. Canceling an order
 *   cancels its open legs; canceling a leg cancels only that leg.
 * - PATCH: the replacement's qty defaults to the old order's unfilled qty; it inherits legs (or,
 *   for a leg, its place in the parent). Events: `replaced` (old order), then `new` (new order).
 * - Lists honour `nested` (legs listed separately with `legs: null` unless `nested=true`); single
 *   order answers (POST, PATCH, GET by id or client id) and stream events nest legs.
 * - Day orders never expire; ioc cancels its rest after the submit attempt; fok fills whole at
 *   submit or is canceled. `notional` orders → 422 (send qty). Fractional qty: day market/limit only.
 * - Clock: every timestamp comes from `options.now`, by default the time of the last quote, so
 *   orders placed while replaying 2013 quotes carry 2013 times (an `after` filter computed from the
 *   wall clock then finds none). created_at/submitted_at have 9 fraction digits and are unique
 *   and rising (sub-ms counter, ≥ 1 µs); `after`/`until` compare at that precision (exclusive).
 * - Stream: unparseable frames or unknown actions → `{"action":"error","data":{"error_message"}}`
 *   (the shape the SDK reports as an error); wrong keys → `unauthorized`, then close 1008.
 *   Pings are answered by `ws` itself, also while silenced.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** Options of {@link startAlpacaTradingDouble}. */
export interface AlpacaTradingDoubleOptions {
  readonly keyId: string;
  readonly secretKey: string;
  /** Starting cash, USD (default 100_000). */
  readonly startingCash?: number;
  /** Symbols the double knows as tradable assets (others → 422 asset not found). */
  readonly symbols: readonly string[];
  /** Clock, ms since epoch (default: the time of the last quote given, else Date.now()). */
  readonly now?: () => number;
}

/** A national best bid and offer: prices in USD (0 = no quote on that side), sizes in shares, time in ms since epoch. */
export interface DoubleQuote {
  symbol: string;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
  time: number;
}

/** Parsed view of an order at the double: quantities in shares, prices in USD, `createdAt` in ms since epoch. */
export interface DoubleOrder {
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  /** `market | limit | stop | stop_limit | trailing_stop`. */
  readonly type: string;
  /** `day | gtc | opg | cls | ioc | fok`. */
  readonly timeInForce: string;
  readonly qty: number;
  readonly filledQty: number;
  /** Volume-weighted average fill price; null before the first fill. */
  readonly filledAvgPrice: number | null;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  /** Alpaca status string (`new`, `partially_filled`, `filled`, `canceled`, `replaced`, `held`, …). */
  readonly status: string;
  /** `simple | bracket | oco | oto`. */
  readonly orderClass: string;
  /** Legs of a bracket/oto/oco parent (empty otherwise). */
  readonly legs: readonly DoubleOrder[];
  readonly replaces: string | null;
  readonly replacedBy: string | null;
  readonly createdAt: number;
}

/** A running trading double; see the file header for the protocol and the fill model. */
export interface AlpacaTradingDouble {
  /** REST base `http://127.0.0.1:PORT` (paths are `/v2/...`). */
  readonly url: string;
  /** `ws://127.0.0.1:PORT/stream`. */
  readonly streamUrl: string;
  /** Every REST request served: method, path (with query), parsed JSON body or null, and the status answered. */
  readonly requests: Array<{ method: string; path: string; body: unknown; status: number }>;
  /** New NBBO for a symbol: each marketable working order of that symbol gets one execution. */
  setQuote(quote: DoubleQuote): void;
  /** Next `count` (default 1) REST requests (any route, after the key check) answer `status` (429 or 5xx) with an Alpaca error body. */
  failNext(status: number, count?: number): void;
  /** Delay (ms) before every REST reply (slow broker). */
  delayMs: number;
  /** The next `count` (default 1) POST /v2/orders are processed at once (order created, stream events sent) but their reply is held back a further `ms`. */
  delayNextOrderReply(ms: number, count?: number): void;
  /** When set, each execution fills at most this many shares (partial_fill events). null = fill all. */
  maxFillShares: number | null;
  /** Terminates every open trade_updates socket (no close handshake). */
  dropStream(): void;
  /** false: refuse new stream connections (HTTP 503 on upgrade) and drop open ones; events meanwhile are lost. true: accept again. */
  setStreamAvailable(available: boolean): void;
  /** true: keep sockets open (pings answered, messages processed) but send nothing, replies and events alike. */
  silenceStream(silent: boolean): void;
  /** Top-level orders at the broker, oldest first, legs nested in `legs`. */
  orders(): DoubleOrder[];
  /** Every symbol ever traded (flat ones too, qty 0, to keep realizedPnl): shares signed, USD, average-cost P&L. */
  positions(): Array<{ symbol: string; qty: number; avgEntryPrice: number; realizedPnl: number; marketValue: number; unrealizedPnl: number; currentPrice: number }>;
  /** Account in USD: shortMarketValue is ≤ 0; equity = cash + long + short market value. */
  account(): { cash: number; equity: number; buyingPower: number; longMarketValue: number; shortMarketValue: number };
  /** Stops the server, drops every socket and held reply. */
  close(): Promise<void>;
}

type Side = 'buy' | 'sell';
type Json = Record<string, unknown>;
interface Reply { status: number; body?: unknown; holdMs?: number }

interface Order {
  seq: number;
  id: string;
  clientOrderId: string;
  symbol: string;
  side: Side;
  type: string;
  timeInForce: string;
  qty: number;
  filledQty: number;
  filledNotional: number;
  limitPrice: number | null;
  stopPrice: number | null;
  trailPrice: number | null;
  trailPercent: number | null;
  hwm: number | null;
  triggered: boolean;
  status: string;
  orderClass: string;
  extendedHours: boolean;
  positionIntent: string | null;
  parentId: string | null;
  legIds: string[];
  ocoGroup: string | null;
  replaces: string | null;
  replacedBy: string | null;
  createdAt: number;
  /** ns after `createdAt` (≥ 1 µs, rising within a ms): created_at is unique and ordered, like Alpaca's sub-ms stamps. */
  createdSubNs: number;
  updatedAt: number;
  filledAt: number | null;
  canceledAt: number | null;
  replacedAt: number | null;
}

interface Position { symbol: string; qty: number; avgEntryPrice: number; realizedPnl: number }

/** An Alpaca error answer, thrown inside a route and turned into the reply. */
class Rejection extends Error {
  constructor(readonly status: number, readonly code: number, message: string, readonly extra: Json = {}) {
    super(message);
  }
}
const invalid = (message: string) => new Rejection(422, 42210000, message);

const OPEN = new Set(['accepted', 'pending_new', 'new', 'partially_filled', 'held', 'pending_cancel', 'pending_replace']);
const WORKING = new Set(['accepted', 'new', 'partially_filled']);
const SIDES = ['buy', 'sell'];
const TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'];
const TIFS = ['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'];
const CLASSES = ['', 'simple', 'bracket', 'oco', 'oto'];
const INTENTS = ['buy_to_open', 'buy_to_close', 'sell_to_open', 'sell_to_close'];

const round9 = (n: number) => Math.round(n * 1e9) / 1e9;
/** Alpaca decimal string: no float noise, no exponent. */
const dec = (n: number) => {
  const s = n.toFixed(9).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
};
const decOrNull = (n: number | null) => (n === null ? null : dec(n));
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** RFC-3339 with 9 fraction digits: `ms` plus `subNs` (0–999 999) nanoseconds. */
const isoNs = (ms: number, subNs: number) => `${new Date(ms).toISOString().slice(0, -1)}${String(subNs).padStart(6, '0')}Z`;
/** ns since epoch of an RFC-3339 time (fraction kept to 9 digits) or a date; null when malformed. */
function epochNs(text: string): bigint | null {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  const fraction = /T[\d:]+\.(\d+)/.exec(text)?.[1] ?? '';
  return BigInt(ms) * 1_000_000n + BigInt((fraction.slice(3, 9) || '0').padEnd(6, '0'));
}
/** A decimal given as a JSON number or string; undefined when absent, NaN when malformed. */
function decimal(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*\+?(\d+\.?\d*|\.\d+)\s*$/.test(v)) return Number(v);
  return Number.NaN;
}
function positive(v: unknown, field: string): number | null {
  const n = decimal(v);
  if (n === undefined) return null;
  if (!(n > 0) || !Number.isFinite(n)) throw invalid(`${field} must be a positive number`);
  return n;
}
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Starts the double on 127.0.0.1, port 0.
 * @returns the running double; call `close()` when done.
 */
export async function startAlpacaTradingDouble(options: AlpacaTradingDoubleOptions): Promise<AlpacaTradingDouble> {
  const assets = new Map(options.symbols.map((s) => [s.toUpperCase(), randomUUID()] as const));
  const accountId = randomUUID();
  const startingCash = options.startingCash ?? 100_000;
  let cash = startingCash;
  const all: Order[] = [];
  const byId = new Map<string, Order>();
  const quotes = new Map<string, DoubleQuote>();
  const positions = new Map<string, Position>();
  let lastQuoteTime: number | null = null;
  let seq = 0;
  let failing: { status: number; remaining: number } | null = null;
  let heldReplies: { ms: number; remaining: number } | null = null;
  let streamAvailable = true;
  let silent = false;
  const clients = new Map<WebSocket, { authorized: boolean; listening: boolean }>();
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const now = () => (options.now ? options.now() : lastQuoteTime ?? Date.now());

  // ---- stream ---------------------------------------------------------------------------------
  const send = (ws: WebSocket, message: unknown) => {
    if (silent || ws.readyState !== ws.OPEN) return;
    ws.send(Buffer.from(JSON.stringify(message), 'utf8'), { binary: true });
  };
  const emit = (event: string, o: Order, extra: Json = {}) => {
    const message = { stream: 'trade_updates', data: { event, ...extra, timestamp: iso(now()), order: entity(o, true) } };
    for (const [ws, state] of clients) if (state.authorized && state.listening) send(ws, message);
  };
  const onStreamMessage = (ws: WebSocket, raw: RawData) => {
    const state = clients.get(ws);
    if (!state) return;
    let message: unknown;
    try {
      const bytes = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      message = JSON.parse(bytes.toString('utf8'));
    } catch {
      send(ws, { action: 'error', data: { error_message: 'invalid syntax' } });
      return;
    }
    const action = isObject(message) ? message['action'] : undefined;
    const data = isObject(message) && isObject(message['data']) ? message['data'] : {};
    if (action === 'authenticate') {
      state.authorized = data['key_id'] === options.keyId && data['secret_key'] === options.secretKey;
      send(ws, { stream: 'authorization', data: { status: state.authorized ? 'authorized' : 'unauthorized', action: 'authenticate' } });
      if (!state.authorized) ws.close(1008, 'unauthorized');
    } else if (action === 'listen') {
      if (!state.authorized) {
        send(ws, { stream: 'authorization', data: { status: 'unauthorized', action: 'listen' } });
        return;
      }
      const streams = Array.isArray(data['streams']) ? data['streams'].filter((s): s is string => s === 'trade_updates') : [];
      state.listening = streams.length > 0;
      send(ws, { stream: 'listening', data: { streams } });
    } else {
      send(ws, { action: 'error', data: { error_message: `unknown action: ${String(action)}` } });
    }
  };
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws: WebSocket) => {
    clients.set(ws, { authorized: false, listening: false });
    ws.on('message', (raw: RawData) => onStreamMessage(ws, raw));
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
  });
  const refuse = (socket: Duplex, status: number, text: string) => {
    socket.once('finish', () => socket.destroy());
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  };
  const dropStream = () => {
    for (const ws of clients.keys()) ws.terminate();
    clients.clear();
  };

  // ---- book-keeping ---------------------------------------------------------------------------
  const positionFor = (symbol: string) => {
    let p = positions.get(symbol);
    if (!p) positions.set(symbol, (p = { symbol, qty: 0, avgEntryPrice: 0, realizedPnl: 0 }));
    return p;
  };
  const markPrice = (symbol: string, fallback: number) => {
    const q = quotes.get(symbol);
    if (!q) return fallback;
    if (q.bid > 0 && q.ask > 0) return (q.bid + q.ask) / 2;
    return q.bid > 0 ? q.bid : q.ask > 0 ? q.ask : fallback;
  };
  const reservePrice = (o: { limitPrice: number | null; stopPrice: number | null; symbol: string }) => o.limitPrice ?? o.stopPrice ?? quotes.get(o.symbol)?.ask ?? 0;
  const reserve = (o: Order) => (o.side === 'buy' && WORKING.has(o.status) ? (o.qty - o.filledQty) * reservePrice(o) : 0);
  const buyingPower = () => Math.max(0, cash - all.reduce((sum, o) => sum + reserve(o), 0));
  const accountView = () => {
    let long = 0;
    let short = 0;
    for (const p of positions.values()) {
      const value = p.qty * markPrice(p.symbol, p.avgEntryPrice);
      if (p.qty > 0) long += value;
      else short += value;
    }
    return { cash, equity: cash + long + short, buyingPower: buyingPower(), longMarketValue: long, shortMarketValue: short };
  };
  const openQty = (symbol: string, side: Side) => all.filter((o) => o.symbol === symbol && o.side === side && WORKING.has(o.status)).reduce((s, o) => s + o.qty - o.filledQty, 0);

  // ---- entities -------------------------------------------------------------------------------
  function entity(o: Order, nest: boolean): Json {
    const legs = o.legIds.map((id) => byId.get(id)).filter((l): l is Order => l !== undefined);
    return {
      id: o.id,
      client_order_id: o.clientOrderId,
      created_at: isoNs(o.createdAt, o.createdSubNs),
      updated_at: iso(o.updatedAt),
      submitted_at: isoNs(o.createdAt, o.createdSubNs),
      filled_at: iso(o.filledAt),
      expired_at: null,
      canceled_at: iso(o.canceledAt),
      failed_at: null,
      replaced_at: iso(o.replacedAt),
      replaced_by: o.replacedBy,
      replaces: o.replaces,
      asset_id: assets.get(o.symbol) ?? null,
      symbol: o.symbol,
      asset_class: 'us_equity',
      notional: null,
      qty: dec(o.qty),
      filled_qty: dec(o.filledQty),
      filled_avg_price: o.filledQty > 0 ? dec(o.filledNotional / o.filledQty) : null,
      order_class: o.orderClass,
      order_type: o.type,
      type: o.type,
      side: o.side,
      position_intent: o.positionIntent,
      time_in_force: o.timeInForce,
      limit_price: decOrNull(o.limitPrice),
      stop_price: decOrNull(o.stopPrice),
      status: o.status,
      extended_hours: o.extendedHours,
      legs: nest && legs.length > 0 ? legs.map((l) => entity(l, false)) : null,
      trail_percent: decOrNull(o.trailPercent),
      trail_price: decOrNull(o.trailPrice),
      hwm: decOrNull(o.hwm),
    };
  }
  function parsed(o: Order): DoubleOrder {
    return {
      id: o.id,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      timeInForce: o.timeInForce,
      qty: o.qty,
      filledQty: o.filledQty,
      filledAvgPrice: o.filledQty > 0 ? o.filledNotional / o.filledQty : null,
      limitPrice: o.limitPrice,
      stopPrice: o.stopPrice,
      status: o.status,
      orderClass: o.orderClass,
      legs: o.legIds.map((id) => byId.get(id)).filter((l): l is Order => l !== undefined).map(parsed),
      replaces: o.replaces,
      replacedBy: o.replacedBy,
      createdAt: o.createdAt,
    };
  }
  const positionEntity = (p: Position): Json => {
    const price = markPrice(p.symbol, p.avgEntryPrice);
    const costBasis = p.qty * p.avgEntryPrice;
    const unrealized = (price - p.avgEntryPrice) * p.qty;
    const available = p.qty > 0 ? Math.max(0, p.qty - openQty(p.symbol, 'sell')) : Math.min(0, p.qty + openQty(p.symbol, 'buy'));
    return {
      asset_id: assets.get(p.symbol) ?? null,
      symbol: p.symbol,
      exchange: 'NYSE',
      asset_class: 'us_equity',
      asset_marginable: true,
      avg_entry_price: dec(p.avgEntryPrice),
      qty: dec(p.qty),
      qty_available: dec(available),
      side: p.qty > 0 ? 'long' : 'short',
      market_value: dec(p.qty * price),
      cost_basis: dec(costBasis),
      unrealized_pl: dec(unrealized),
      unrealized_plpc: dec(costBasis === 0 ? 0 : unrealized / Math.abs(costBasis)),
      unrealized_intraday_pl: dec(unrealized),
      unrealized_intraday_plpc: dec(costBasis === 0 ? 0 : unrealized / Math.abs(costBasis)),
      current_price: dec(price),
      lastday_price: dec(price),
      change_today: '0',
    };
  };
  const accountEntity = (): Json => {
    const a = accountView();
    return {
      id: accountId,
      account_number: `PA${accountId.replace(/\D/g, '').slice(0, 10)}`,
      status: 'ACTIVE',
      crypto_status: 'INACTIVE',
      currency: 'USD',
      cash: dec(a.cash),
      buying_power: dec(a.buyingPower),
      regt_buying_power: dec(a.buyingPower),
      daytrading_buying_power: '0',
      non_marginable_buying_power: dec(a.buyingPower),
      equity: dec(a.equity),
      last_equity: dec(startingCash),
      long_market_value: dec(a.longMarketValue),
      short_market_value: dec(a.shortMarketValue),
      portfolio_value: dec(a.equity),
      initial_margin: '0',
      maintenance_margin: '0',
      last_maintenance_margin: '0',
      sma: '0',
      multiplier: '1',
      shorting_enabled: true,
      pattern_day_trader: false,
      trading_blocked: false,
      transfers_blocked: false,
      account_blocked: false,
      trade_suspended_by_user: false,
      daytrade_count: 0,
      created_at: iso(0),
    };
  };

  // ---- order life cycle -----------------------------------------------------------------------
  /** Cancels an open order and, when `withLegs`, its open legs. */
  const cancel = (o: Order, withLegs = true) => {
    if (!OPEN.has(o.status)) return;
    o.status = 'canceled';
    o.canceledAt = o.updatedAt = now();
    emit('canceled', o);
    if (!withLegs) return;
    for (const id of o.legIds) {
      const leg = byId.get(id);
      if (leg) cancel(leg);
    }
  };
  /** Price at which `o` executes against `q`, or null; arms stops as a side effect. */
  const executionPrice = (o: Order, q: DoubleQuote): number | null => {
    const buy = o.side === 'buy';
    const px = buy ? q.ask : q.bid;
    if (!(px > 0)) return null;
    if (o.type === 'trailing_stop' && !o.triggered) {
      o.hwm = o.hwm === null ? px : buy ? Math.min(o.hwm, px) : Math.max(o.hwm, px);
      const trail = o.trailPrice ?? (o.hwm * (o.trailPercent ?? 0)) / 100;
      o.stopPrice = round9(buy ? o.hwm + trail : o.hwm - trail);
    }
    if ((o.type === 'stop' || o.type === 'stop_limit' || o.type === 'trailing_stop') && !o.triggered) {
      const stop = o.stopPrice ?? 0;
      if (buy ? px < stop : px > stop) return null;
      o.triggered = true;
    }
    if (o.type === 'limit' || o.type === 'stop_limit') {
      const limit = o.limitPrice ?? 0;
      return (buy ? px <= limit : px >= limit) ? px : null;
    }
    return px;
  };
  const execute = (o: Order, qty: number, price: number) => {
    const first = o.filledQty === 0;
    const t = now();
    o.filledQty = round9(o.filledQty + qty);
    o.filledNotional += qty * price;
    o.status = o.filledQty >= o.qty ? 'filled' : 'partially_filled';
    o.updatedAt = t;
    if (o.status === 'filled') o.filledAt = t;
    const signed = o.side === 'buy' ? qty : -qty;
    const p = positionFor(o.symbol);
    const q0 = p.qty;
    const q1 = round9(q0 + signed);
    if (q0 === 0 || Math.sign(q0) === Math.sign(signed)) {
      p.avgEntryPrice = (Math.abs(q0) * p.avgEntryPrice + qty * price) / Math.abs(q1);
    } else {
      p.realizedPnl += Math.min(Math.abs(q0), qty) * (price - p.avgEntryPrice) * Math.sign(q0);
      if (q1 === 0) p.avgEntryPrice = 0;
      else if (Math.sign(q1) !== Math.sign(q0)) p.avgEntryPrice = price;
    }
    p.qty = q1;
    cash -= signed * price;
    emit(o.status === 'filled' ? 'fill' : 'partial_fill', o, { execution_id: randomUUID(), price: dec(price), qty: dec(qty), position_qty: dec(q1) });
    if (first && o.ocoGroup !== null) {
      for (const other of all) if (other !== o && other.ocoGroup === o.ocoGroup) cancel(other, false);
    }
    if (o.status === 'filled') {
      for (const id of o.legIds) {
        const leg = byId.get(id);
        if (leg?.status !== 'held') continue;
        leg.status = 'new';
        leg.qty = o.qty;
        leg.updatedAt = t;
        emit('new', leg);
      }
    }
  };
  /** One execution attempt of a working order against the last quote of its symbol. */
  const attempt = (o: Order) => {
    const q = quotes.get(o.symbol);
    if (!q || !WORKING.has(o.status)) return;
    const price = executionPrice(o, q);
    if (price === null) return;
    const remaining = round9(o.qty - o.filledQty);
    const qty = double.maxFillShares === null ? remaining : Math.min(remaining, double.maxFillShares);
    if (qty > 0) execute(o, qty, price);
  };
  const submitAttempt = (o: Order) => {
    if (o.timeInForce === 'fok') {
      const q = quotes.get(o.symbol);
      const whole = double.maxFillShares === null || double.maxFillShares >= o.qty;
      if (!q || !whole || executionPrice(o, q) === null) return cancel(o);
    }
    attempt(o);
    if (o.timeInForce === 'ioc' || o.timeInForce === 'fok') cancel(o);
  };

  const newOrder = (fields: Partial<Order> & Pick<Order, 'symbol' | 'side' | 'type' | 'timeInForce' | 'qty' | 'orderClass'>): Order => {
    const t = now();
    const prev = all.at(-1);
    const subNs = prev?.createdAt === t ? Math.min(prev.createdSubNs + 1000, 999_999) : 1000;
    const o: Order = {
      seq: ++seq, id: randomUUID(), clientOrderId: randomUUID(), filledQty: 0, filledNotional: 0, limitPrice: null, stopPrice: null,
      trailPrice: null, trailPercent: null, hwm: null, triggered: false, status: 'accepted', extendedHours: false, positionIntent: null,
      parentId: null, legIds: [], ocoGroup: null, replaces: null, replacedBy: null, createdAt: t, createdSubNs: subNs, updatedAt: t, filledAt: null,
      canceledAt: null, replacedAt: null, ...fields,
    };
    all.push(o);
    byId.set(o.id, o);
    return o;
  };
  const checkClientId = (v: unknown): string | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw invalid('client_order_id must be a string');
    if (v.length > 48) throw invalid('client_order_id must be no more than 48 characters');
    if (all.some((o) => o.clientOrderId === v)) throw new Rejection(422, 40010001, 'client_order_id must be unique');
    return v;
  };
  const checkBuyingPower = (side: string, qty: number, price: number, freed = 0) => {
    const bp = buyingPower() + freed;
    if (side === 'buy' && qty * price > bp + 1e-9) {
      throw new Rejection(403, 40310000, 'insufficient buying power', { buying_power: dec(bp), cost_basis: dec(qty * price) });
    }
  };
  const stringIn = (body: Json, field: string, allowed: readonly string[], fallback?: string): string => {
    const v = body[field] ?? fallback;
    if (v === undefined) throw invalid(`${field} is required`);
    if (typeof v !== 'string' || !allowed.includes(v)) throw invalid(`invalid ${field}: ${JSON.stringify(v)} (one of ${allowed.join(', ')})`);
    return v;
  };

  const submit = (body: unknown): Reply => {
    if (!isObject(body)) throw new Rejection(400, 40010000, 'request body format is invalid');
    const rawSymbol = body['symbol'];
    if (typeof rawSymbol !== 'string' || rawSymbol.trim() === '') throw invalid('symbol is required');
    const symbol = rawSymbol.trim().toUpperCase();
    if (!assets.has(symbol)) throw invalid(`asset "${rawSymbol}" not found`);
    if (body['notional'] !== undefined && body['notional'] !== null) throw invalid('notional orders are not supported by this double (send qty)');
    const qty = positive(body['qty'], 'qty');
    if (qty === null) throw invalid('qty is required');
    const side = stringIn(body, 'side', SIDES) as Side;
    const type = stringIn(body, 'type', TYPES);
    const tif = stringIn(body, 'time_in_force', TIFS);
    if (!Number.isInteger(qty) && (tif !== 'day' || (type !== 'market' && type !== 'limit'))) throw invalid('fractional orders must be DAY market or limit orders');
    const orderClass = stringIn(body, 'order_class', CLASSES, 'simple') || 'simple';
    const limitPrice = positive(body['limit_price'], 'limit_price');
    const stopPrice = positive(body['stop_price'], 'stop_price');
    const trailPrice = positive(body['trail_price'], 'trail_price');
    const trailPercent = positive(body['trail_percent'], 'trail_percent');
    const hasLimit = type === 'limit' || type === 'stop_limit';
    const hasStop = type === 'stop' || type === 'stop_limit';
    if (hasLimit && limitPrice === null && orderClass !== 'oco') throw invalid(`limit_price is required for ${type} orders`);
    if (!hasLimit && limitPrice !== null) throw invalid(`limit_price must not be given for ${type} orders`);
    if (hasStop && stopPrice === null) throw invalid(`stop_price is required for ${type} orders`);
    if (!hasStop && stopPrice !== null) throw invalid(`stop_price must not be given for ${type} orders`);
    if (type === 'trailing_stop' ? (trailPrice === null) === (trailPercent === null) : trailPrice !== null || trailPercent !== null) {
      throw invalid('trailing_stop orders need exactly one of trail_price or trail_percent (and only they may)');
    }
    const extended = body['extended_hours'] ?? false;
    if (typeof extended !== 'boolean') throw invalid('extended_hours must be a boolean');
    if (extended && (type !== 'limit' || tif !== 'day')) throw invalid('extended hours order must be DAY limit orders');
    const intent = body['position_intent'];
    if (intent !== undefined && (typeof intent !== 'string' || !INTENTS.includes(intent))) throw invalid(`invalid position_intent: ${JSON.stringify(intent)}`);
    const clientOrderId = checkClientId(body['client_order_id']);

    const takeProfit = isObject(body['take_profit']) ? positive(body['take_profit']['limit_price'], 'take_profit.limit_price') : null;
    const stopLoss = isObject(body['stop_loss']) ? positive(body['stop_loss']['stop_price'], 'stop_loss.stop_price') : null;
    const stopLossLimit = isObject(body['stop_loss']) ? positive(body['stop_loss']['limit_price'], 'stop_loss.limit_price') : null;
    if (orderClass !== 'simple') {
      if (tif !== 'day' && tif !== 'gtc') throw invalid(`${orderClass} orders must be day or gtc`);
      if (extended) throw invalid(`extended hours are not supported for ${orderClass} orders`);
    }
    if (orderClass === 'bracket' && (takeProfit === null || stopLoss === null)) throw invalid('bracket orders require take_profit.limit_price and stop_loss.stop_price');
    if (orderClass === 'oco' && (takeProfit === null || stopLoss === null || type !== 'limit')) throw invalid('oco orders must be limit orders with take_profit.limit_price and stop_loss.stop_price');
    if (orderClass === 'oto' && (takeProfit === null) === (stopLoss === null)) throw invalid('oto orders require exactly one of take_profit or stop_loss');
    if (orderClass === 'simple' && (takeProfit !== null || stopLoss !== null)) throw invalid('take_profit and stop_loss need order_class bracket, oco or oto');
    if (takeProfit !== null && stopLoss !== null && (side === 'buy' ? takeProfit <= stopLoss : takeProfit >= stopLoss) && orderClass !== 'oco') {
      throw invalid(`take_profit.limit_price must be ${side === 'buy' ? 'greater' : 'less'} than stop_loss.stop_price`);
    }
    if (orderClass === 'oco' && takeProfit !== null && stopLoss !== null && (side === 'sell' ? takeProfit <= stopLoss : takeProfit >= stopLoss)) {
      throw invalid(`take_profit.limit_price must be ${side === 'sell' ? 'greater' : 'less'} than stop_loss.stop_price`);
    }

    checkBuyingPower(side, qty, (orderClass === 'oco' ? takeProfit : limitPrice) ?? stopPrice ?? quotes.get(symbol)?.ask ?? 0);
    const held = positions.get(symbol)?.qty ?? 0;
    const parent = newOrder({
      symbol, side, type, timeInForce: tif, qty, orderClass, extendedHours: extended, trailPrice, trailPercent,
      limitPrice: orderClass === 'oco' ? takeProfit : limitPrice, stopPrice: type === 'trailing_stop' ? null : stopPrice,
      positionIntent: typeof intent === 'string' ? intent : side === 'buy' ? (held < 0 ? 'buy_to_close' : 'buy_to_open') : held > 0 ? 'sell_to_close' : 'sell_to_open',
      ...(clientOrderId === undefined ? {} : { clientOrderId }),
    });
    const exitSide: Side = orderClass === 'oco' ? side : side === 'buy' ? 'sell' : 'buy';
    const exitIntent = exitSide === 'buy' ? 'buy_to_close' : 'sell_to_close';
    const leg = (fields: Partial<Order> & Pick<Order, 'type'>) => {
      const l = newOrder({ symbol, side: exitSide, timeInForce: tif, qty, orderClass, parentId: parent.id, positionIntent: exitIntent, status: orderClass === 'oco' ? 'accepted' : 'held', ...fields });
      parent.legIds.push(l.id);
      return l;
    };
    if (orderClass === 'bracket' || orderClass === 'oto') {
      const group = orderClass === 'bracket' ? `${parent.id}/exits` : null;
      if (takeProfit !== null) leg({ type: 'limit', limitPrice: takeProfit, ocoGroup: group });
      if (stopLoss !== null) leg({ type: stopLossLimit === null ? 'stop' : 'stop_limit', stopPrice: stopLoss, limitPrice: stopLossLimit, ocoGroup: group });
    } else if (orderClass === 'oco') {
      parent.ocoGroup = parent.id;
      leg({ type: stopLossLimit === null ? 'stop' : 'stop_limit', stopPrice: stopLoss, limitPrice: stopLossLimit, ocoGroup: parent.id });
    }
    const reply = entity(parent, true);
    const working = [parent, ...parent.legIds.map((id) => byId.get(id)).filter((l): l is Order => l?.status === 'accepted')];
    for (const o of working) {
      o.status = 'new';
      emit('new', o);
    }
    for (const o of working) submitAttempt(o);
    return { status: 200, body: reply };
  };

  const replace = (old: Order, body: unknown): Reply => {
    if (!isObject(body)) throw new Rejection(400, 40010000, 'request body format is invalid');
    if (!OPEN.has(old.status)) throw invalid(`order is not replaceable (status ${old.status})`);
    const qty = positive(body['qty'], 'qty') ?? round9(old.qty - old.filledQty);
    const limitPrice = positive(body['limit_price'], 'limit_price');
    const stopPrice = positive(body['stop_price'], 'stop_price');
    const trail = positive(body['trail'], 'trail');
    const tif = body['time_in_force'] === undefined ? old.timeInForce : stringIn(body, 'time_in_force', TIFS);
    if (limitPrice !== null && old.limitPrice === null) throw invalid(`limit_price cannot be set on a ${old.type} order`);
    if (stopPrice !== null && (old.type === 'market' || old.type === 'limit' || old.type === 'trailing_stop')) throw invalid(`stop_price cannot be set on a ${old.type} order`);
    if (trail !== null && old.type !== 'trailing_stop') throw invalid('trail can only be set on a trailing_stop order');
    const clientOrderId = checkClientId(body['client_order_id']);
    const newLimit = limitPrice ?? old.limitPrice;
    const newStop = stopPrice ?? old.stopPrice;
    if (old.status !== 'held') checkBuyingPower(old.side, qty, reservePrice({ limitPrice: newLimit, stopPrice: newStop, symbol: old.symbol }), reserve(old));
    const t = now();
    const fresh = newOrder({
      symbol: old.symbol, side: old.side, type: old.type, timeInForce: tif, qty, orderClass: old.orderClass, extendedHours: old.extendedHours,
      limitPrice: newLimit, stopPrice: old.type === 'trailing_stop' ? null : newStop,
      trailPrice: old.trailPrice === null ? null : trail ?? old.trailPrice, trailPercent: old.trailPercent === null ? null : trail ?? old.trailPercent,
      positionIntent: old.positionIntent, parentId: old.parentId, legIds: old.legIds, ocoGroup: old.ocoGroup, replaces: old.id,
      status: old.status === 'held' ? 'held' : 'accepted', ...(clientOrderId === undefined ? {} : { clientOrderId }),
    });
    for (const id of old.legIds) {
      const l = byId.get(id);
      if (l) l.parentId = fresh.id;
    }
    if (old.ocoGroup === old.id) {
      for (const o of all) if (o.ocoGroup === old.id) o.ocoGroup = fresh.id;
    }
    const parent = old.parentId === null ? undefined : byId.get(old.parentId);
    if (parent) parent.legIds = parent.legIds.map((id) => (id === old.id ? fresh.id : id));
    old.legIds = [];
    const reply = entity(fresh, true);
    old.status = 'replaced';
    old.replacedBy = fresh.id;
    old.replacedAt = old.updatedAt = t;
    emit('replaced', old);
    if (fresh.status === 'accepted') {
      fresh.status = 'new';
      emit('new', fresh);
      submitAttempt(fresh);
    }
    return { status: 200, body: reply };
  };

  const listOrders = (q: URLSearchParams): Reply => {
    const status = q.get('status') ?? 'open';
    if (!['open', 'closed', 'all'].includes(status)) throw invalid(`invalid status: ${status}`);
    const limitText = q.get('limit');
    const limit = limitText === null ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1) throw invalid(`invalid limit: ${limitText}`);
    const direction = q.get('direction') ?? 'desc';
    if (direction !== 'asc' && direction !== 'desc') throw invalid(`invalid direction: ${direction}`);
    const nestedText = q.get('nested') ?? 'false';
    if (nestedText !== 'true' && nestedText !== 'false') throw invalid(`invalid nested: ${nestedText}`);
    const nested = nestedText === 'true';
    const time = (name: string) => {
      const text = q.get(name);
      if (text === null) return null;
      const ns = epochNs(text);
      if (ns === null) throw invalid(`invalid ${name}: ${text}`);
      return ns;
    };
    const after = time('after');
    const until = time('until');
    const symbols = q.get('symbols')?.split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
    const side = q.get('side');
    const list = all
      .filter((o) => !nested || o.parentId === null)
      .filter((o) => status === 'all' || OPEN.has(o.status) === (status === 'open'))
      .filter((o) => !symbols || symbols.length === 0 || symbols.includes(o.symbol))
      .filter((o) => side === null || o.side === side)
      .filter((o) => {
        const created = BigInt(o.createdAt) * 1_000_000n + BigInt(o.createdSubNs);
        return (after === null || created > after) && (until === null || created < until);
      });
    if (direction === 'desc') list.reverse();
    return { status: 200, body: list.slice(0, Math.min(limit, 500)).map((o) => entity(o, nested)) };
  };

  // ---- REST routing ---------------------------------------------------------------------------
  const route = (method: string, url: URL, body: unknown, bodyInvalid: boolean): Reply => {
    const path = url.pathname;
    if (bodyInvalid) throw new Rejection(400, 40010000, 'request body format is invalid');
    if (path === '/v2/account' && method === 'GET') return { status: 200, body: accountEntity() };
    if (path === '/v2/positions' && method === 'GET') {
      return { status: 200, body: [...positions.values()].filter((p) => p.qty !== 0).map(positionEntity) };
    }
    const position = /^\/v2\/positions\/([^/]+)$/.exec(path);
    if (position && method === 'GET') {
      const p = positions.get(decodeURIComponent(position[1] ?? '').toUpperCase());
      if (!p || p.qty === 0) throw new Rejection(404, 40410000, 'position does not exist');
      return { status: 200, body: positionEntity(p) };
    }
    if (path === '/v2/orders') {
      if (method === 'POST') {
        const hold = heldReplies && heldReplies.remaining > 0 ? heldReplies.ms : 0;
        if (hold > 0 && heldReplies) heldReplies.remaining--;
        try {
          return { ...submit(body), holdMs: hold };
        } catch (e) {
          if (e instanceof Rejection) return { ...rejectionReply(e), holdMs: hold };
          throw e;
        }
      }
      if (method === 'GET') return listOrders(url.searchParams);
      if (method === 'DELETE') {
        const open = all.filter((o) => OPEN.has(o.status));
        for (const o of open) cancel(o);
        return { status: 207, body: open.map((o) => ({ id: o.id, status: 200, body: entity(o, true) })) };
      }
    }
    if (path === '/v2/orders:by_client_order_id' && method === 'GET') {
      const id = url.searchParams.get('client_order_id');
      if (!id) throw invalid('client_order_id is required');
      const o = all.find((x) => x.clientOrderId === id);
      if (!o) throw new Rejection(404, 40410000, 'order not found');
      return { status: 200, body: entity(o, true) };
    }
    const single = /^\/v2\/orders\/([^/]+)$/.exec(path);
    if (single && (method === 'GET' || method === 'PATCH' || method === 'DELETE')) {
      const o = byId.get(decodeURIComponent(single[1] ?? ''));
      if (!o) throw new Rejection(404, 40410000, 'order not found');
      if (method === 'GET') return { status: 200, body: entity(o, true) };
      if (method === 'PATCH') return replace(o, body);
      if (!OPEN.has(o.status)) throw invalid('order is not cancelable');
      cancel(o);
      return { status: 204 };
    }
    throw new Rejection(404, 40410000, 'endpoint not found');
  };
  const rejectionReply = (e: Rejection): Reply => ({ status: e.status, body: { ...e.extra, code: e.code, message: e.message } });

  const answer = (req: IncomingMessage, url: URL, body: unknown, bodyInvalid: boolean): Reply => {
    if (req.headers['apca-api-key-id'] !== options.keyId || req.headers['apca-api-secret-key'] !== options.secretKey) {
      return { status: 401, body: { code: 40110000, message: 'request is not authorized' } };
    }
    if (failing && failing.remaining > 0) {
      failing.remaining--;
      return failing.status === 429
        ? { status: 429, body: { code: 42910000, message: 'rate limit exceeded' } }
        : { status: failing.status, body: { code: 50010000, message: 'internal server error' } };
    }
    try {
      return route(req.method ?? 'GET', url, body, bodyInvalid);
    } catch (e) {
      if (e instanceof Rejection) return rejectionReply(e);
      return { status: 500, body: { code: 50010000, message: `internal server error: ${String(e)}` } };
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = null;
      let bodyInvalid = false;
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          bodyInvalid = true;
        }
      }
      const reply = answer(req, url, body, bodyInvalid);
      double.requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, body, status: reply.status });
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (res.destroyed) return;
        if (reply.body === undefined) {
          res.writeHead(reply.status);
          res.end();
        } else {
          res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(reply.body));
        }
      }, double.delayMs + (reply.holdMs ?? 0));
      timers.add(timer);
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/stream') return refuse(socket, 404, 'Not Found');
    if (!streamAvailable) return refuse(socket, 503, 'Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  const double: AlpacaTradingDouble = {
    url: `http://127.0.0.1:${port}`,
    streamUrl: `ws://127.0.0.1:${port}/stream`,
    requests: [],
    delayMs: 0,
    maxFillShares: null,
    setQuote(quote) {
      const q = { ...quote, symbol: quote.symbol.toUpperCase() };
      quotes.set(q.symbol, q);
      lastQuoteTime = q.time;
      for (const o of all.filter((x) => x.symbol === q.symbol && WORKING.has(x.status))) attempt(o);
    },
    failNext(status, count = 1) {
      failing = { status, remaining: count };
    },
    delayNextOrderReply(ms, count = 1) {
      heldReplies = { ms, remaining: count };
    },
    dropStream,
    setStreamAvailable(available) {
      streamAvailable = available;
      if (!available) dropStream();
    },
    silenceStream(value) {
      silent = value;
    },
    orders: () => all.filter((o) => o.parentId === null).map(parsed),
    positions: () =>
      [...positions.values()].map((p) => {
        const currentPrice = markPrice(p.symbol, p.avgEntryPrice);
        return { ...p, currentPrice, marketValue: p.qty * currentPrice, unrealizedPnl: (currentPrice - p.avgEntryPrice) * p.qty };
      }),
    account: accountView,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      dropStream();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return double;
}
