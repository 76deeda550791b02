/**
 * A local double of Alpaca's market-data stream v2 (stocks) on 127.0.0.1 (port 0), replaying a
 * recorded session (`recorded-stream.ts`) as Alpaca messages. Tests only. Protocol:
 * `../shared/PROTOCOLS.md` §1 and §6; replay clock and misbehaviour: `stream-double-core.ts`.
 *
 * Endpoint `{url}/v2/{feed}`, feed `iex | sip | delayed_sip | test` (other paths: HTTP 404). Every
 * feed carries the same consolidated recording (no IEX-only filtering). Framing: JSON text frames;
 * msgpack binary frames when the upgrade request has `Content-Type: application/msgpack` (as the
 * SDKs send), with `t` as msgpack timestamps (ext −1, ms precision). Client frames may be JSON
 * (text or binary) or msgpack in either mode. permessage-deflate is offered (threshold 1 KiB).
 *
 * Handshake: `[{"T":"success","msg":"connected"}]`; `{"action":"auth","key","secret"}` (or the
 * `APCA-API-KEY-ID`/`APCA-API-SECRET-KEY` upgrade headers) → `[{"T":"success","msg":"authenticated"}]`.
 * Errors `[{"T":"error","code","msg"}]`: 400 bad frame/action/channel value · 401 subscribe before
 * auth · 402 wrong key (then close) · 403 second auth · 404 no auth within `authTimeoutMs` (then
 * close) · 405 trades ∪ quotes symbols beyond `symbolLimit` (subscriptions unchanged) · 406 more
 * authenticated connections than `connectionLimit` (the new one, then close) · 407 more than
 * `slowClientBytes` unsent (then close) · 409 feed not in `feedsAllowed` (at auth, then close) ·
 * 500 when handling a frame failed. `sendError(code)` sends any of them on command. Closes use 1008.
 *
 * Subscribe/unsubscribe are additive/subtractive; the reply lists the full set under trades, quotes,
 * bars, updatedBars, dailyBars, statuses, lulds, corrections and cancelErrors (the last two mirror
 * trades). `*` matches every symbol (and counts as over any `symbolLimit`). Data: `t` trades, `q`
 * NBBO quotes, `b` minute bars (sent at the end of their minute, `t` = bar start without fraction).
 * updatedBars, dailyBars, lulds, corrections and cancelErrors carry nothing (none recorded);
 * statuses only what {@link AlpacaStreamDouble.sendStatus} sends.
 */
import { encode as msgpackEncode } from '@msgpack/msgpack';
import type { RecordedEvent, Tape } from './recorded-stream';
import {
  startStreamServer,
  type StreamCore,
  type StreamDoubleControls,
  type StreamDoubleOptions,
  type StreamSession,
  type WireMessage,
} from './stream-double-core';

/** Alpaca stream error texts by code (realtime.md; SDK `CONN_ERROR`). */
export const ALPACA_STREAM_ERRORS: Readonly<Record<number, string>> = {
  400: 'invalid syntax',
  401: 'not authenticated',
  402: 'auth failed',
  403: 'already authenticated',
  404: 'auth timeout',
  405: 'symbol limit exceeded',
  406: 'connection limit exceeded',
  407: 'slow client',
  408: 'v2 not enabled',
  409: 'insufficient subscription',
  500: 'internal error',
};

export const ALPACA_FEEDS = ['iex', 'sip', 'delayed_sip', 'test'] as const;
export type AlpacaFeed = (typeof ALPACA_FEEDS)[number];

/** Subscribable channels (the reply adds `corrections` and `cancelErrors`, mirroring `trades`). */
export const ALPACA_CHANNELS = ['trades', 'quotes', 'bars', 'updatedBars', 'dailyBars', 'statuses', 'lulds'] as const;
export type AlpacaChannel = (typeof ALPACA_CHANNELS)[number];

/** Options of {@link startAlpacaStreamDouble}. */
export interface AlpacaStreamDoubleOptions extends StreamDoubleOptions {
  readonly keyId: string;
  readonly secretKey: string;
  /** Feeds the key's plan includes; others answer 409 at auth. Default: all four. */
  readonly feedsAllowed?: readonly AlpacaFeed[];
  /** Max distinct symbols over trades ∪ quotes per connection (IEX plan: 30). Default unlimited. */
  readonly symbolLimit?: number;
  /** Units of `bs`/`as`: shares (default) or round lots of 100. */
  readonly quoteSizeUnit?: 'shares' | 'lots';
}

/** A trading status (`{"T":"s"}`): CTS/UTDF status code and message, reason code and message. */
export interface AlpacaStatus {
  /** e.g. `H` halt, `T` resume (UTDF) or `2`/`3` (CTS). */
  readonly sc: string;
  readonly sm: string;
  /** e.g. `T12`, `LUDP`. */
  readonly rc: string;
  readonly rm: string;
}

/** A running Alpaca market-data stream double. `rejectNextConnections(code)` takes an Alpaca error code (e.g. 406). */
export interface AlpacaStreamDouble extends StreamDoubleControls<number> {
  /** Sends a `{"T":"s"}` status for `symbol` (time: replay clock) to connections subscribed to its statuses. */
  sendStatus(symbol: string, status: AlpacaStatus): number;
  /** Sends `[{"T":"error","code","msg"}]` to every authenticated connection, closing them when `close`. */
  sendError(code: number, close?: boolean): number;
}

interface AlpacaState {
  readonly feed: AlpacaFeed;
  readonly subs: Record<AlpacaChannel, Set<string>>;
}
type Session = StreamSession<AlpacaState, number>;
type Core = StreamCore<AlpacaState, number>;

const B = (n: number) => 2 ** n;
/** Lean condition bit → CTA letter (tapes A/B); inverse of the engine's `alpacaConditions`. Extended hours → `T` (Form T), as the SIP marks them. */
const CTA_LETTERS: ReadonlyArray<readonly [number, string]> = [
  [B(1), 'C'], [B(2), 'N'], [B(3), 'R'], [B(5), 'F'], [B(6), 'O'], [B(7), '6'], [B(8), '5'], [B(9), '4'], [B(10), 'T'],
  [B(11), 'L'], [B(13), 'T'], [B(14), 'Z'], [B(20), 'B'], [B(21), 'X'], [B(22), 'H'], [B(23), 'K'], [B(24), 'M'],
  [B(25), 'P'], [B(26), 'Q'], [B(28), 'E'], [B(30), 'V'], [B(31), 'I'],
];
/** Lean condition bit → UTP letter (tape C). */
const UTP_LETTERS: ReadonlyArray<readonly [number, string]> = [
  [B(1), 'C'], [B(2), 'N'], [B(3), 'R'], [B(4), 'Y'], [B(5), 'F'], [B(6), 'O'], [B(7), '6'], [B(8), '5'], [B(9), '4'],
  [B(10), 'T'], [B(11), 'L'], [B(12), '1'], [B(13), 'T'], [B(14), 'Z'], [B(15), 'S'], [B(16), 'A'], [B(17), 'B'],
  [B(19), 'D'], [B(20), 'W'], [B(21), 'X'], [B(22), 'H'], [B(23), 'K'], [B(24), 'M'], [B(25), 'P'], [B(26), 'Q'],
  [B(29), '8'], [B(30), 'V'], [B(31), 'I'],
];

/**
 * Alpaca `c` codes for a Lean condition mask on `tape`: `@` when the Regular bit is set or no other
 * code applies, then one letter per mapped bit (bits without a code on that tape are dropped).
 */
export function alpacaConditionCodes(mask: number, tape: Tape): string[] {
  const table = tape === 'C' ? UTP_LETTERS : CTA_LETTERS;
  const codes: string[] = [];
  for (const [bit, letter] of table) if ((mask & bit) >>> 0 === bit && !codes.includes(letter)) codes.push(letter);
  return (mask & 1) === 1 || codes.length === 0 ? ['@', ...codes] : codes;
}

/** RFC 3339 UTC with nine fraction digits, e.g. `2013-10-07T13:30:00.123000000Z` (ms since epoch in). */
export function rfc3339Nano(ms: number): string {
  const whole = Math.floor(ms);
  const iso = new Date(whole).toISOString();
  const nanos = String(Math.round((ms - whole) * 1e6)).padStart(6, '0');
  return `${iso.slice(0, 23)}${nanos}Z`;
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const channelOf = (event: RecordedEvent): AlpacaChannel => (event.kind === 'trade' ? 'trades' : event.kind === 'quote' ? 'quotes' : 'bars');

/** Starts the double; see the file header for the protocol. */
export async function startAlpacaStreamDouble(options: AlpacaStreamDoubleOptions): Promise<AlpacaStreamDouble> {
  const feedsAllowed = options.feedsAllowed ?? ALPACA_FEEDS;
  const lots = options.quoteSizeUnit === 'lots';

  const error = (code: number): WireMessage => ({ T: 'error', code, msg: ALPACA_STREAM_ERRORS[code] ?? 'error' });
  const fail = (session: Session, core: Core, code: number, close: boolean) => {
    core.send(session, [error(code)]);
    if (close) core.closeSession(session, 1008, ALPACA_STREAM_ERRORS[code] ?? 'error');
  };
  const time = (session: Session, ms: number) => (session.msgpack ? new Date(ms) : rfc3339Nano(ms));

  const authenticate = (session: Session, core: Core, key: unknown, secret: unknown) => {
    if (session.authenticated) return fail(session, core, 403, false);
    if (typeof key !== 'string' || typeof secret !== 'string') return fail(session, core, 400, false);
    if (session.rejectWith !== null) return fail(session, core, session.rejectWith, true);
    if (key !== options.keyId || secret !== options.secretKey) return fail(session, core, 402, true);
    if (!feedsAllowed.includes(session.state.feed)) return fail(session, core, 409, true);
    const others = core.sessions().filter((s) => s.authenticated && s !== session).length;
    if (others >= (options.connectionLimit ?? Infinity)) return fail(session, core, 406, true);
    core.authenticated(session);
    core.send(session, [{ T: 'success', msg: 'authenticated' }]);
  };

  const subscriptionReply = (session: Session): WireMessage => {
    const list = (c: AlpacaChannel) => [...session.state.subs[c]];
    return {
      T: 'subscription',
      trades: list('trades'),
      quotes: list('quotes'),
      bars: list('bars'),
      updatedBars: list('updatedBars'),
      dailyBars: list('dailyBars'),
      statuses: list('statuses'),
      lulds: list('lulds'),
      corrections: list('trades'),
      cancelErrors: list('trades'),
    };
  };

  const subscribe = (session: Session, core: Core, message: Record<string, unknown>, add: boolean) => {
    if (!session.authenticated) return fail(session, core, 401, false);
    const next = Object.fromEntries(ALPACA_CHANNELS.map((c) => [c, new Set(session.state.subs[c])])) as Record<AlpacaChannel, Set<string>>;
    for (const channel of ALPACA_CHANNELS) {
      const value = message[channel];
      if (value === undefined) continue;
      if (!isStringArray(value)) return fail(session, core, 400, false);
      for (const symbol of value) {
        if (add) next[channel].add(symbol);
        else next[channel].delete(symbol);
      }
    }
    const limited = new Set([...next.trades, ...next.quotes]);
    if (options.symbolLimit !== undefined && (limited.size > options.symbolLimit || limited.has('*'))) return fail(session, core, 405, false);
    for (const channel of ALPACA_CHANNELS) session.state.subs[channel] = next[channel];
    core.send(session, [subscriptionReply(session)]);
    if (next.trades.size + next.quotes.size + next.bars.size > 0) core.startReplay();
  };

  const render = (session: Session, event: RecordedEvent, shift: number): WireMessage => {
    switch (event.kind) {
      case 'trade':
        return { T: 't', S: event.symbol, i: event.id, x: event.exchange, p: event.price, s: event.size, c: alpacaConditionCodes(event.conditions, event.tape), t: time(session, event.time + shift), z: event.tape };
      case 'quote':
        return {
          T: 'q',
          S: event.symbol,
          bx: event.bidExchange,
          bp: event.bid,
          bs: lots ? event.bidSize / 100 : event.bidSize,
          ax: event.askExchange,
          ap: event.ask,
          as: lots ? event.askSize / 100 : event.askSize,
          c: ['R'],
          t: time(session, event.time + shift),
          z: event.tape,
        };
      case 'bar': {
        const start = event.openTime + shift;
        return {
          T: 'b',
          S: event.symbol,
          o: event.open,
          h: event.high,
          l: event.low,
          c: event.close,
          v: event.volume,
          t: session.msgpack ? new Date(start) : new Date(start).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          n: event.tradeCount,
          vw: round6(event.vwap),
        };
      }
    }
  };

  const { controls, core } = await startStreamServer<AlpacaState, number>(options, {
    perMessageDeflate: true,
    accept(path, request) {
      const feed = /^\/v2\/([a-z_]+)$/.exec(path)?.[1] as AlpacaFeed | undefined;
      if (!feed || !ALPACA_FEEDS.includes(feed)) return 404;
      const subs = Object.fromEntries(ALPACA_CHANNELS.map((c) => [c, new Set<string>()])) as Record<AlpacaChannel, Set<string>>;
      return { state: { feed, subs }, msgpack: /application\/msgpack/i.test(request.headers['content-type'] ?? '') };
    },
    open(session, core) {
      core.send(session, [{ T: 'success', msg: 'connected' }]);
      const key = session.request.headers['apca-api-key-id'];
      if (key !== undefined) authenticate(session, core, key, session.request.headers['apca-api-secret-key']);
    },
    handle(session, received, core) {
      const m = received.message;
      if (!received.decoded || typeof m !== 'object' || m === null || Array.isArray(m)) return fail(session, core, 400, false);
      const message = m as Record<string, unknown>;
      if (message.action === 'auth') return authenticate(session, core, message.key, message.secret);
      if (message.action === 'subscribe' || message.action === 'unsubscribe') return subscribe(session, core, message, message.action === 'subscribe');
      fail(session, core, 400, false);
    },
    authTimeout: (session, core) => fail(session, core, 404, true),
    slowClient: (session, core) => fail(session, core, 407, true),
    internalError: (session, core) => fail(session, core, 500, false),
    wants(session, event) {
      const set = session.state.subs[channelOf(event)];
      return set.has(event.symbol) || set.has('*');
    },
    render,
    encode: (session, messages) => (session.msgpack ? msgpackEncode(messages) : JSON.stringify(messages)),
  });

  return Object.assign(controls, {
    sendStatus(symbol: string, status: AlpacaStatus): number {
      let reached = 0;
      for (const session of core.sessions()) {
        const set = session.state.subs.statuses;
        if (!session.authenticated || !(set.has(symbol) || set.has('*'))) continue;
        const tape = core.events.find((e) => e.symbol === symbol)?.tape ?? 'A';
        core.send(session, [{ T: 's', S: symbol, ...status, t: time(session, core.replayTime() + core.shiftMs()), z: tape }]);
        reached++;
      }
      return reached;
    },
    sendError(code: number, close = false): number {
      const targets = core.sessions().filter((s) => s.authenticated && !s.closing);
      for (const session of targets) fail(session, core, code, close);
      return targets.length;
    },
  });
}
