/**
 * What a live provider's messages become once decoded and normalized (Alpaca and Polygon alike),
 * and the reasons a message is dropped. Prices USD, sizes shares, times ms since epoch.
 */
import type { Bar, Quote, Symbol, Trade } from '../../../shared/domain';

/** Why a message never reached bars, indicators or the paper broker. */
export type DropReason =
  /** Not JSON / not msgpack / not an array of objects. */
  | 'unparseable'
  /** A field the message type requires is absent or of the wrong type. */
  | 'missing_field'
  /** A price that is zero, negative or not finite, or a size that is negative or not finite. */
  | 'non_positive_price'
  /** Bid above ask by more than the tolerance. */
  | 'crossed_quote'
  /** A timestamp too far from the clock. */
  | 'far_timestamp'
  /** A trade id already seen for the symbol, or a message repeated verbatim. */
  | 'duplicate'
  /** A quote older than the symbol's last one, or a trade older than the late-print window. */
  | 'out_of_order'
  /** A symbol nobody subscribed to. */
  | 'unknown_symbol'
  /** A message type this workstation does not use. */
  | 'unknown_message';

export const DROP_REASONS: readonly DropReason[] = [
  'unparseable',
  'missing_field',
  'non_positive_price',
  'crossed_quote',
  'far_timestamp',
  'duplicate',
  'out_of_order',
  'unknown_symbol',
  'unknown_message',
];

/**
 * A provider's own minute bar (Alpaca `b`/`u`, Polygon `AM`): validated, not used for the bars
 * (those are built from the trades; gaps are repaired from REST history).
 */
export type ProviderBar = Pick<Bar, 'symbol' | 'openTime' | 'open' | 'high' | 'low' | 'close' | 'volume'> & {
  readonly tradeCount: number | null;
  readonly vwap: number | null;
};

/** A trading status message: a halt, a resumption, a quote-only period. */
export interface TradingStatusUpdate {
  readonly symbol: Symbol;
  /** True while trading is halted or paused. */
  readonly halted: boolean;
  /** The provider's status code (Alpaca `sc`, e.g. `H`, `T`, `2`, `3`). */
  readonly code: string;
  /** Words for the trader: status and reason (e.g. "Trading Halt: LULD pause"). */
  readonly message: string;
  readonly time: number;
}

/** Limit up–limit down price band (Alpaca `l`). */
export interface LuldBand {
  readonly symbol: Symbol;
  readonly limitUp: number;
  readonly limitDown: number;
  readonly time: number;
}

/** A provider's trade id: Alpaca's is a number (kept as one: no string per print), Polygon's `exchange:id`. */
export type TradeId = string | number;

/** One normalized market-data message. */
export type MarketEvent =
  | { readonly kind: 'quote'; readonly quote: Quote }
  /** `id`: the provider's trade id, for duplicate detection (null when it has none). */
  | { readonly kind: 'trade'; readonly trade: Trade; readonly id: TradeId | null }
  /** `updated`: a correction of a bar already sent (Alpaca `u`). */
  | { readonly kind: 'bar'; readonly bar: ProviderBar; readonly updated: boolean }
  | { readonly kind: 'status'; readonly status: TradingStatusUpdate }
  | { readonly kind: 'luld'; readonly band: LuldBand };

/** The symbol a market event is about. */
export function eventSymbol(event: MarketEvent): Symbol {
  switch (event.kind) {
    case 'quote':
      return event.quote.symbol;
    case 'trade':
      return event.trade.symbol;
    case 'bar':
      return event.bar.symbol;
    case 'status':
      return event.status.symbol;
    case 'luld':
      return event.band.symbol;
  }
}

/** The exchange time of a market event, ms since epoch (a bar's: the start of its minute). */
export function eventTime(event: MarketEvent): number {
  switch (event.kind) {
    case 'quote':
      return event.quote.time;
    case 'trade':
      return event.trade.time;
    case 'bar':
      return event.bar.openTime;
    case 'status':
      return event.status.time;
    case 'luld':
      return event.band.time;
  }
}

/** Outcome of normalizing one element of a frame. */
export type NormalizeResult =
  | { readonly ok: true; readonly event: MarketEvent }
  | { readonly ok: false; readonly reason: DropReason; readonly detail: string };

export const dropped = (reason: DropReason, detail: string): NormalizeResult => ({ ok: false, reason, detail });

/**
 * A field value for a drop detail or an id, without ever throwing: `String()` of an object
 * whose `toString` is not a function (e.g. JSON `{"toString":1}`) throws a TypeError.
 */
export function describeValue(value: unknown): string {
  return value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol') ? String(value) : typeof value;
}

/** A finite number, or undefined. */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'bigint' ? Number(value) : undefined;
}

/** ms since epoch from an RFC-3339 string (ns allowed), a msgpack timestamp (Date) or ms number. */
export function timestampMs(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const fast = utcTimestampMs(value);
    if (fast !== undefined) return fast;
    const t = Date.parse(value);
    return Number.isFinite(t) ? t : undefined;
  }
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isFinite(t) ? t : undefined;
  }
  return finiteNumber(value);
}

/** The day, second and timestamp last parsed (module state: one parser per thread). */
const cache = { day: '', dayMs: 0, second: '\u0000', secondMs: 0, length: 0, last: '\u0000', lastMs: 0 };

/** The decimal digit at `i`, or a value above 9 when it is not one (no string is made). */
const digitAt = (s: string, i: number): number => (s.charCodeAt(i) - 48) >>> 0;

/**
 * The common shape of a stream timestamp, `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (RFC 3339, UTC, up
 * to nanoseconds; sub-millisecond digits are dropped), parsed without `Date.parse`: the last
 * timestamp, its second and its day are remembered, so a repeated timestamp costs one string
 * comparison and one of the same second only its fraction; the day is parsed once per day, the
 * time of day is digit arithmetic. Anything else → undefined (the caller falls back to
 * `Date.parse`).
 */
export function utcTimestampMs(text: string): number | undefined {
  // Messages of one moment share their timestamp; those of one second its first 19 characters.
  if (text === cache.last) return cache.lastMs;
  const n = text.length;
  if (n > 20 && n === cache.length && text.charCodeAt(n - 1) === 90 /* Z */ && text.startsWith(cache.second)) return remember(text, fractionMs(text, n, cache.secondMs));
  if (n < 20 || text.charCodeAt(n - 1) !== 90 /* Z */ || text.charCodeAt(10) !== 84 /* T */ || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  if (cache.day === '' || !text.startsWith(cache.day)) {
    const day = text.slice(0, 10);
    const t = Date.parse(`${day}T00:00:00Z`);
    if (!Number.isFinite(t)) return undefined;
    cache.day = day;
    cache.dayMs = t;
  }
  const h1 = digitAt(text, 11);
  const h2 = digitAt(text, 12);
  const m1 = digitAt(text, 14);
  const m2 = digitAt(text, 15);
  const s1 = digitAt(text, 17);
  const s2 = digitAt(text, 18);
  if (h1 > 9 || h2 > 9 || m1 > 9 || m2 > 9 || s1 > 9 || s2 > 9) return undefined;
  const hours = h1 * 10 + h2;
  const minutes = m1 * 10 + m2;
  const seconds = s1 * 10 + s2;
  if (hours > 23 || minutes > 59 || seconds > 60) return undefined;
  const secondMs = cache.dayMs + hours * 3_600_000 + minutes * 60_000 + seconds * 1_000;
  if (n === 20) return secondMs;
  cache.second = text.slice(0, 19);
  cache.secondMs = secondMs;
  cache.length = n;
  return remember(text, fractionMs(text, n, secondMs));
}

function remember(text: string, ms: number | undefined): number | undefined {
  if (ms !== undefined) {
    cache.last = text;
    cache.lastMs = ms;
  }
  return ms;
}

/** `secondMs` plus the fraction `.ddd…` at index 19 of a timestamp of length `n` (> 20), or undefined when it is not one. */
function fractionMs(text: string, n: number, secondMs: number): number | undefined {
  if (text.charCodeAt(19) !== 46 /* . */ || n === 21) return undefined;
  // Milliseconds from the first three fraction digits (fewer are scaled up); the rest must be digits.
  let ms = 0;
  for (let i = 20; i < 23; i++) {
    if (i < n - 1) {
      const d = digitAt(text, i);
      if (d > 9) return undefined;
      ms = ms * 10 + d;
    } else ms *= 10;
  }
  for (let i = 23; i < n - 1; i++) if (digitAt(text, i) > 9) return undefined;
  return secondMs + ms;
}
