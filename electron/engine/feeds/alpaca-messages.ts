/**
 * Alpaca market-data stream v2 (stocks) messages → normalized events.
 *
 * Protocol (`../shared/PROTOCOLS.md` §1; docs.alpaca.markets "Real-time stock pricing data"):
 * frames are arrays of objects keyed by `T`; JSON text by default, msgpack binary when the client
 * asked for it (`Content-Type: application/msgpack`), where `t` is a msgpack timestamp (ext −1).
 * Control: `success` (`connected`, `authenticated`), `error` (`code`, `msg`), `subscription`
 * (the full current set). Data: `t` trade, `q` quote (NBBO on sip), `b` minute bar, `u` updated
 * bar, `s` trading status, `l` LULD band; `d` daily bars, `c` corrections and `x` cancels are
 * counted as unused.
 */
import { decode } from '@msgpack/msgpack';
import type { Quote, Trade } from '../../../shared/domain';
import { alpacaConditions } from '../bars/trade-eligibility';
import { describeValue, dropped, finiteNumber, timestampMs, type NormalizeResult } from './stream-events';

/** Alpaca's stream error codes and what the trader should do (realtime.md error table). */
export const ALPACA_STREAM_ERRORS: Readonly<Record<number, string>> = {
  400: 'invalid syntax (a bug in the workstation: please report it)',
  401: 'not authenticated',
  402: 'authentication failed: check the Alpaca key id and secret (Settings → Keys or APCA_API_KEY_ID / APCA_API_SECRET_KEY)',
  403: 'already authenticated',
  404: 'authentication timeout: the connection was too slow to log in',
  405: "symbol limit exceeded: your Alpaca plan allows fewer symbols (IEX: 30); remove symbols from the watchlist or upgrade the plan",
  406: 'connection limit exceeded: another app or window is connected with the same keys; close it',
  407: 'slow client: the workstation did not read messages fast enough',
  408: 'v2 not enabled for this account',
  409: 'insufficient subscription: this feed (e.g. sip) is not in your Alpaca plan; use iex or upgrade the plan',
  500: 'Alpaca internal error',
};

/** Codes after which reconnecting cannot help until the trader acts. */
export const ALPACA_TERMINAL_CODES: ReadonlySet<number> = new Set([401, 402, 404, 408, 409]);

export type AlpacaControl =
  | { readonly kind: 'connected' }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'error'; readonly code: number; readonly message: string }
  | { readonly kind: 'subscription'; readonly trades: readonly string[]; readonly quotes: readonly string[]; readonly bars: readonly string[] };

export type AlpacaParsed = NormalizeResult | { readonly ok: 'control'; readonly control: AlpacaControl };

/**
 * The messages of one frame, or null when it does not decode (bad JSON or msgpack, or not an
 * array/object).
 */
export function decodeAlpacaFrame(data: Buffer | string, binary: boolean): unknown[] | null {
  let value: unknown;
  try {
    value = binary ? decode(typeof data === 'string' ? Buffer.from(data) : data) : JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    return null;
  }
  if (Array.isArray(value)) return value;
  return typeof value === 'object' && value !== null ? [value] : null;
}

const NO_CODES: readonly unknown[] = [];

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** One element of a frame → a control message or a normalized event (or why it was dropped). */
export function parseAlpacaMessage(message: unknown): AlpacaParsed {
  if (typeof message !== 'object' || message === null) return dropped('unparseable', 'not an object');
  const m = message as Record<string, unknown>;
  const type = m.T;
  switch (type) {
    case 'success':
      return { ok: 'control', control: m.msg === 'authenticated' ? { kind: 'authenticated' } : { kind: 'connected' } };
    case 'error': {
      const code = finiteNumber(m.code) ?? 0;
      return { ok: 'control', control: { kind: 'error', code, message: typeof m.msg === 'string' ? m.msg : (ALPACA_STREAM_ERRORS[code] ?? 'error') } };
    }
    case 'subscription':
      return { ok: 'control', control: { kind: 'subscription', trades: strings(m.trades), quotes: strings(m.quotes), bars: strings(m.bars) } };
    case 't':
      return trade(m);
    case 'q':
      return quote(m);
    case 'b':
    case 'u':
      return bar(m, type === 'u');
    case 's':
      return status(m);
    case 'l':
      return luld(m);
    default:
      return dropped('unknown_message', `message type ${describeValue(type)}`);
  }
}

function symbolOf(m: Record<string, unknown>): string | undefined {
  return typeof m.S === 'string' && m.S.length > 0 ? m.S : undefined;
}

function trade(m: Record<string, unknown>): NormalizeResult {
  const symbol = symbolOf(m);
  const price = finiteNumber(m.p);
  const size = finiteNumber(m.s);
  const time = timestampMs(m.t);
  if (symbol === undefined || price === undefined || size === undefined || time === undefined) return dropped('missing_field', 'trade without S, p, s or t');
  if (price <= 0 || size < 0) return dropped('non_positive_price', `trade ${symbol} at ${price} × ${size}`);
  const t: Trade = {
    symbol,
    price,
    size,
    exchange: typeof m.x === 'string' ? m.x : '',
    conditions: alpacaConditions(Array.isArray(m.c) ? (m.c as unknown[]) : NO_CODES, typeof m.z === 'string' ? m.z : 'A'),
    time,
  };
  const id = finiteNumber(m.i);
  return { ok: true, event: { kind: 'trade', trade: t, id: id ?? null } };
}

function quote(m: Record<string, unknown>): NormalizeResult {
  const symbol = symbolOf(m);
  const bid = finiteNumber(m.bp);
  const ask = finiteNumber(m.ap);
  const time = timestampMs(m.t);
  if (symbol === undefined || bid === undefined || ask === undefined || time === undefined) return dropped('missing_field', 'quote without S, bp, ap or t');
  const bidSize = finiteNumber(m.bs) ?? 0;
  const askSize = finiteNumber(m.as) ?? 0;
  if (bid <= 0 || ask <= 0 || bidSize < 0 || askSize < 0) return dropped('non_positive_price', `quote ${symbol} ${bid} × ${ask} (${bidSize} × ${askSize})`);
  const q: Quote = {
    symbol,
    bid,
    bidSize,
    bidExchange: typeof m.bx === 'string' ? m.bx : '',
    ask,
    askSize,
    askExchange: typeof m.ax === 'string' ? m.ax : '',
    time,
  };
  return { ok: true, event: { kind: 'quote', quote: q } };
}

function bar(m: Record<string, unknown>, updated: boolean): NormalizeResult {
  const symbol = symbolOf(m);
  const [open, high, low, close, volume] = [m.o, m.h, m.l, m.c, m.v].map(finiteNumber);
  const time = timestampMs(m.t);
  if (symbol === undefined || open === undefined || high === undefined || low === undefined || close === undefined || volume === undefined || time === undefined) {
    return dropped('missing_field', 'bar without S, o, h, l, c, v or t');
  }
  if (Math.min(open, high, low, close) <= 0 || volume < 0) return dropped('non_positive_price', `bar ${symbol}`);
  return {
    ok: true,
    event: { kind: 'bar', updated, bar: { symbol, openTime: time, open, high, low, close, volume, tradeCount: finiteNumber(m.n) ?? null, vwap: finiteNumber(m.vw) ?? null } },
  };
}

/** CTS `sc` 2 = halt, 3 = resume…; UTDF `H` halt, `Q` quotation only, `T` trading, `P` paused. */
const HALTED_CODES = new Set(['H', 'P', '2', '5']);

function status(m: Record<string, unknown>): NormalizeResult {
  const symbol = symbolOf(m);
  const code = typeof m.sc === 'string' ? m.sc : undefined;
  const time = timestampMs(m.t);
  if (symbol === undefined || code === undefined || time === undefined) return dropped('missing_field', 'status without S, sc or t');
  const words = [m.sm, m.rm].filter((w): w is string => typeof w === 'string' && w.length > 0).join(': ');
  return { ok: true, event: { kind: 'status', status: { symbol, halted: HALTED_CODES.has(code), code, message: words || code, time } } };
}

function luld(m: Record<string, unknown>): NormalizeResult {
  const symbol = symbolOf(m);
  const up = finiteNumber(m.u);
  const down = finiteNumber(m.d);
  const time = timestampMs(m.t);
  if (symbol === undefined || up === undefined || down === undefined || time === undefined) return dropped('missing_field', 'LULD without S, u, d or t');
  if (up <= 0 || down <= 0) return dropped('non_positive_price', `LULD ${symbol}`);
  return { ok: true, event: { kind: 'luld', band: { symbol, limitUp: up, limitDown: down, time } } };
}
