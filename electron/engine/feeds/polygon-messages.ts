/**
 * Polygon (Massive) stocks websocket messages → normalized events.
 *
 * Protocol (`../shared/PROTOCOLS.md` §5; Massive `websocket.json` spec): every frame is a JSON
 * array of objects keyed by `ev`. Control: `status` (`connected`, `auth_success`, `auth_failed`,
 * `success`, `max_connections`, `error`). Data: `T` trade (`x` integer exchange id, `c` integer
 * conditions, `t` ms), `Q` NBBO quote, `AM` minute aggregate (`s`/`e` start/end ms).
 */
import type { Quote, Trade } from '../../../shared/domain';
import { polygonConditions } from '../bars/trade-eligibility';
import { describeValue, dropped, finiteNumber, type NormalizeResult } from './stream-events';

/**
 * Polygon's integer exchange ids → the participant letters the rest of the workstation uses
 * (Polygon `/v3/reference/exchanges`, stocks; Nasdaq is `Q`, its UTP letter, as in the tape data).
 */
export const POLYGON_EXCHANGE_LETTERS: Readonly<Record<number, string>> = {
  1: 'A', 2: 'B', 3: 'C', 4: 'D', 5: 'E', 6: 'I', 7: 'J', 8: 'K', 9: 'M', 10: 'N', 11: 'P', 12: 'Q', 13: 'S',
  14: 'L', 15: 'V', 16: 'W', 17: 'X', 18: 'Y', 19: 'Z', 20: 'H', 21: 'U',
};

const ROUND_LOT = 100;

export type PolygonControl =
  | { readonly kind: 'connected' }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'auth_failed'; readonly message: string }
  | { readonly kind: 'subscribed'; readonly message: string }
  | { readonly kind: 'max_connections'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

export type PolygonParsed = NormalizeResult | { readonly ok: 'control'; readonly control: PolygonControl };

/** The messages of one frame, or null when it is not JSON (or not an array/object). */
export function decodePolygonFrame(data: Buffer | string): unknown[] | null {
  let value: unknown;
  try {
    value = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    return null;
  }
  if (Array.isArray(value)) return value;
  return typeof value === 'object' && value !== null ? [value] : null;
}

const exchangeLetter = (id: unknown): string => {
  const n = finiteNumber(id);
  return n === undefined ? '' : (POLYGON_EXCHANGE_LETTERS[n] ?? '');
};

/** One element of a frame → a control message or a normalized event (or why it was dropped). */
export function parsePolygonMessage(message: unknown): PolygonParsed {
  if (typeof message !== 'object' || message === null) return dropped('unparseable', 'not an object');
  const m = message as Record<string, unknown>;
  const text = typeof m.message === 'string' ? m.message : '';
  switch (m.ev) {
    case 'status':
      switch (m.status) {
        case 'connected':
          return { ok: 'control', control: { kind: 'connected' } };
        case 'auth_success':
          return { ok: 'control', control: { kind: 'authenticated' } };
        case 'auth_failed':
          return { ok: 'control', control: { kind: 'auth_failed', message: text || 'authentication failed' } };
        case 'success':
          return { ok: 'control', control: { kind: 'subscribed', message: text } };
        case 'max_connections':
          return { ok: 'control', control: { kind: 'max_connections', message: text || 'Maximum number of connections exceeded' } };
        default:
          return { ok: 'control', control: { kind: 'error', message: text || describeValue(m.status) } };
      }
    case 'T':
      return trade(m);
    case 'Q':
      return quote(m);
    case 'AM':
      return aggregate(m);
    default:
      return dropped('unknown_message', `event ${describeValue(m.ev)}`);
  }
}

function symbolOf(m: Record<string, unknown>): string | undefined {
  return typeof m.sym === 'string' && m.sym.length > 0 ? m.sym : undefined;
}

function trade(m: Record<string, unknown>): NormalizeResult {
  const symbol = symbolOf(m);
  const price = finiteNumber(m.p);
  const size = finiteNumber(m.s);
  const time = finiteNumber(m.t);
  if (symbol === undefined || price === undefined || size === undefined || time === undefined) return dropped('missing_field', 'T without sym, p, s or t');
  if (price <= 0 || size < 0) return dropped('non_positive_price', `trade ${symbol} at ${price} × ${size}`);
  const codes = Array.isArray(m.c) ? m.c.filter((c): c is number => typeof c === 'number') : [];
  const t: Trade = { symbol, price, size, exchange: exchangeLetter(m.x), conditions: polygonConditions(codes), time };
  return { ok: true, event: { kind: 'trade', trade: t, id: typeof m.i === 'string' || typeof m.i === 'number' ? `${describeValue(m.x)}:${String(m.i)}` : null } };
}

function quote(m: Record<string, unknown>): NormalizeResult {
  const symbol = symbolOf(m);
  const bid = finiteNumber(m.bp);
  const ask = finiteNumber(m.ap);
  const time = finiteNumber(m.t);
  if (symbol === undefined || bid === undefined || ask === undefined || time === undefined) return dropped('missing_field', 'Q without sym, bp, ap or t');
  // Polygon quote sizes are round lots of 100 shares (websocket.json: "A bid size of 2 means … 200 shares").
  const bidSize = (finiteNumber(m.bs) ?? 0) * ROUND_LOT;
  const askSize = (finiteNumber(m.as) ?? 0) * ROUND_LOT;
  // An enormous lot count overflows to Infinity once in shares.
  if (bid <= 0 || ask <= 0 || !(bidSize >= 0 && bidSize < Infinity && askSize >= 0 && askSize < Infinity)) {
    return dropped('non_positive_price', `quote ${symbol} ${bid} × ${ask} (${bidSize} × ${askSize})`);
  }
  const q: Quote = {
    symbol,
    bid,
    bidSize,
    bidExchange: exchangeLetter(m.bx),
    ask,
    askSize,
    askExchange: exchangeLetter(m.ax),
    time,
  };
  return { ok: true, event: { kind: 'quote', quote: q } };
}

function aggregate(m: Record<string, unknown>): NormalizeResult {
  const symbol = symbolOf(m);
  const [open, high, low, close, volume, start] = [m.o, m.h, m.l, m.c, m.v, m.s].map(finiteNumber);
  if (symbol === undefined || open === undefined || high === undefined || low === undefined || close === undefined || volume === undefined || start === undefined) {
    return dropped('missing_field', 'AM without sym, o, h, l, c, v or s');
  }
  if (Math.min(open, high, low, close) <= 0 || volume < 0) return dropped('non_positive_price', `AM ${symbol}`);
  return { ok: true, event: { kind: 'bar', updated: false, bar: { symbol, openTime: start, open, high, low, close, volume, tradeCount: null, vwap: finiteNumber(m.vw) ?? null } } };
}
