/**
 * A local double of Polygon's (now Massive's) stocks websocket on 127.0.0.1 (port 0), replaying a
 * recorded session (`recorded-stream.ts`) as Polygon events. Tests only. Protocol:
 * `../shared/PROTOCOLS.md` §5 and §6, `../shared/data/polygon/websocket.json`; replay clock and
 * misbehaviour: `stream-double-core.ts`.
 *
 * Endpoint `{url}/stocks` (other paths: HTTP 404). All frames are JSON text arrays of
 * `{"ev":…}` objects. Handshake: `{"ev":"status","status":"connected","message":"Connected Successfully"}`;
 * `{"action":"auth","params":KEY}` → `auth_success`/`authenticated`, or `auth_failed`/
 * `authentication failed` then close 1008. No auth within `authTimeoutMs` → `auth_timeout`/
 * `No authentication request received.` then close. `{"action":"subscribe","params":"T.IBM,Q.IBM,AM.IBM"}`
 * → one `success`/`subscribed to: T.IBM` per item (`unsubscribed to: …` for unsubscribe); channels
 * T, Q, A, AM, LULD, NOI accepted (`*` = all symbols; only T, Q, AM carry recorded data).
 * Beyond `connectionLimit` authenticated connections the OLDEST gets `max_connections` and is
 * closed (1008), as Polygon does; `rejectNextConnections(status)` answers the NEW connection's auth
 * with that status (default message for `max_connections`) and closes it.
 * Choices where the protocol notes are silent: subscribe before auth → `auth_required`/
 * `authentication required`; an undecodable or non-object frame, unknown action or bad channel →
 * `error` with a message; a second auth → `error`/`already authenticated`; a slow client is closed
 * 1008 without a message. No subscription limit.
 *
 * Events: `T` {sym, x exchange id, i id (string), z tape 1/2/3, p, s, c condition ids (absent
 * for a regular print), t ms, q sequence}; `Q` NBBO {sym, bx, bp, bs, ax, ap, as (round lots by
 * default), c 0, t, q, z}; `AM` {sym, v, av, op, vw, o, c, h, l, a, z avg trade size, s, e}, sent at
 * the end of the minute.
 */
import type { RecordedEvent, Tape } from './recorded-stream';
import {
  startStreamServer,
  type StreamCore,
  type StreamDoubleControls,
  type StreamDoubleOptions,
  type StreamSession,
  type WireMessage,
} from './stream-double-core';

/**
 * Participant letter → Polygon exchange id (`../shared/data/polygon/exchanges.json`
 * `participant_id` → `id`), plus `Q` → 12: Nasdaq's UTP letter (the one Alpaca and the recorded
 * data use) for the id Polygon lists under its CTA letter `T`.
 */
export const POLYGON_EXCHANGE_IDS: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, I: 6, J: 7, K: 8, M: 9, N: 10, P: 11, T: 12, Q: 12, S: 13, L: 14, V: 15, W: 16,
  X: 17, Y: 18, Z: 19, H: 20, U: 21,
};

/** Letter for a Polygon exchange id as the recorded data spells it (12 → `Q`), or null. */
export function polygonExchangeLetter(id: number): string | null {
  if (id === 12) return 'Q';
  return Object.entries(POLYGON_EXCHANGE_IDS).find(([, v]) => v === id)?.[0] ?? null;
}

const B = (n: number) => 2 ** n;
/** Lean condition bit → Polygon condition id (inverse of the engine's `polygonConditions`); extended hours → 12 (Form T). */
const POLYGON_IDS: ReadonlyArray<readonly [number, number]> = [
  [B(1), 7], [B(2), 20], [B(3), 29], [B(4), 36], [B(5), 14], [B(6), 17], [B(7), 8], [B(8), 18], [B(9), 10], [B(10), 12],
  [B(11), 30], [B(12), 27], [B(13), 12], [B(14), 32], [B(15), 34], [B(16), 1], [B(17), 4], [B(18), 35], [B(19), 11],
  [B(20), 2], [B(21), 9], [B(22), 21], [B(23), 23], [B(24), 15], [B(25), 22], [B(26), 16], [B(27), 6], [B(28), 3],
  [B(29), 41], [B(30), 52], [B(31), 37],
];

/** Polygon condition ids for a Lean condition mask; empty for a regular print (Regular is implied). */
export function polygonConditionIds(mask: number): number[] {
  const ids: number[] = [];
  for (const [bit, id] of POLYGON_IDS) if ((mask & bit) >>> 0 === bit && !ids.includes(id)) ids.push(id);
  return ids;
}

const TAPE_IDS: Readonly<Record<Tape, number>> = { A: 1, B: 2, C: 3 };
export const POLYGON_CHANNELS = ['T', 'Q', 'A', 'AM', 'LULD', 'NOI'] as const;
export type PolygonChannel = (typeof POLYGON_CHANNELS)[number];

const MESSAGES: Readonly<Record<string, string>> = {
  max_connections: 'Maximum number of websocket connections exceeded. You have reached the connection limit for your account. Please contact support at https://polygon.io/contact to increase your limit.',
  auth_failed: 'authentication failed',
  auth_timeout: 'No authentication request received.',
};

/** Options of {@link startPolygonStreamDouble}. */
export interface PolygonStreamDoubleOptions extends StreamDoubleOptions {
  readonly apiKey: string;
  /** Units of `bs`/`as`: round lots of 100 (default, per the spec) or shares. */
  readonly quoteSizeUnit?: 'shares' | 'lots';
}

/** A running Polygon stocks websocket double. `rejectNextConnections(status)` takes a status string (e.g. `max_connections`). */
export interface PolygonStreamDouble extends StreamDoubleControls<string> {
  /** Sends `[{"ev":"status","status","message"}]` to every open connection; closes them (1008) when `close`. */
  sendStatus(status: string, message?: string, close?: boolean): number;
}

interface PolygonState {
  readonly subs: Record<PolygonChannel, Set<string>>;
  readonly authenticatedAt: { value: number };
}
type Session = StreamSession<PolygonState, string>;
type Core = StreamCore<PolygonState, string>;

const CHANNEL_OF: Readonly<Record<RecordedEvent['kind'], PolygonChannel>> = { trade: 'T', quote: 'Q', bar: 'AM' };
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** Starts the double; see the file header for the protocol. */
export async function startPolygonStreamDouble(options: PolygonStreamDoubleOptions): Promise<PolygonStreamDouble> {
  const lots = (options.quoteSizeUnit ?? 'lots') === 'lots';
  let authOrder = 0;
  const status = (s: string, message?: string): WireMessage => ({ ev: 'status', status: s, message: message ?? MESSAGES[s] ?? s });
  const reject = (session: Session, core: Core, s: string) => {
    core.send(session, [status(s)]);
    core.closeSession(session, 1008, s);
  };

  const authenticate = (session: Session, core: Core, key: unknown) => {
    if (session.authenticated) return core.send(session, [status('error', 'already authenticated')]);
    if (session.rejectWith !== null) return reject(session, core, session.rejectWith);
    if (key !== options.apiKey) return reject(session, core, 'auth_failed');
    const others = core.sessions().filter((s) => s.authenticated && !s.closing && s !== session);
    const excess = others.length + 1 - (options.connectionLimit ?? Infinity);
    if (excess > 0) {
      others.sort((a, b) => a.state.authenticatedAt.value - b.state.authenticatedAt.value);
      for (const oldest of others.slice(0, excess)) reject(oldest, core, 'max_connections');
    }
    session.state.authenticatedAt.value = ++authOrder;
    core.authenticated(session);
    core.send(session, [status('auth_success', 'authenticated')]);
  };

  const subscribe = (session: Session, core: Core, params: unknown, add: boolean) => {
    if (!session.authenticated) return core.send(session, [status('auth_required', 'authentication required')]);
    if (typeof params !== 'string') return core.send(session, [status('error', 'params must be a string')]);
    const replies: WireMessage[] = [];
    for (const item of params.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
      const dot = item.indexOf('.');
      const channel = item.slice(0, dot) as PolygonChannel;
      const symbol = item.slice(dot + 1);
      if (dot < 1 || symbol === '' || !POLYGON_CHANNELS.includes(channel)) {
        replies.push(status('error', `invalid subscription: ${item}`));
        continue;
      }
      if (add) session.state.subs[channel].add(symbol);
      else session.state.subs[channel].delete(symbol);
      replies.push(status('success', `${add ? 'subscribed' : 'unsubscribed'} to: ${item}`));
    }
    if (replies.length > 0) core.send(session, replies);
    const { T, Q, AM } = session.state.subs;
    if (T.size + Q.size + AM.size > 0) core.startReplay();
  };

  const render = (_session: Session, event: RecordedEvent, shift: number): WireMessage => {
    switch (event.kind) {
      case 'trade': {
        const c = polygonConditionIds(event.conditions);
        return {
          ev: 'T',
          sym: event.symbol,
          x: POLYGON_EXCHANGE_IDS[event.exchange] ?? 0,
          i: String(event.id),
          z: TAPE_IDS[event.tape],
          p: event.price,
          s: event.size,
          ...(c.length > 0 ? { c } : {}),
          t: event.time + shift,
          q: event.seq,
        };
      }
      case 'quote':
        return {
          ev: 'Q',
          sym: event.symbol,
          bx: POLYGON_EXCHANGE_IDS[event.bidExchange] ?? 0,
          bp: event.bid,
          bs: lots ? event.bidSize / 100 : event.bidSize,
          ax: POLYGON_EXCHANGE_IDS[event.askExchange] ?? 0,
          ap: event.ask,
          as: lots ? event.askSize / 100 : event.askSize,
          c: 0,
          t: event.time + shift,
          q: event.seq,
          z: TAPE_IDS[event.tape],
        };
      case 'bar':
        return {
          ev: 'AM',
          sym: event.symbol,
          v: event.volume,
          av: event.dayVolume,
          op: event.dayOpen,
          vw: round6(event.vwap),
          o: event.open,
          c: event.close,
          h: event.high,
          l: event.low,
          a: round6(event.dayVwap),
          z: event.tradeCount > 0 ? Math.round(event.volume / event.tradeCount) : 0,
          s: event.openTime + shift,
          e: event.openTime + 60_000 + shift,
        };
    }
  };

  const { controls, core } = await startStreamServer<PolygonState, string>(options, {
    perMessageDeflate: false,
    accept(path) {
      if (path !== '/stocks') return 404;
      const subs = Object.fromEntries(POLYGON_CHANNELS.map((c) => [c, new Set<string>()])) as Record<PolygonChannel, Set<string>>;
      return { state: { subs, authenticatedAt: { value: 0 } }, msgpack: false };
    },
    open(session, core) {
      core.send(session, [status('connected', 'Connected Successfully')]);
    },
    handle(session, received, core) {
      const m = received.message;
      if (!received.decoded || typeof m !== 'object' || m === null || Array.isArray(m)) {
        return core.send(session, [status('error', 'invalid message')]);
      }
      const message = m as Record<string, unknown>;
      if (message.action === 'auth') return authenticate(session, core, message.params);
      if (message.action === 'subscribe' || message.action === 'unsubscribe') return subscribe(session, core, message.params, message.action === 'subscribe');
      core.send(session, [status('error', `unknown action: ${String(message.action)}`)]);
    },
    authTimeout: (session, core) => reject(session, core, 'auth_timeout'),
    slowClient: (session, core) => core.closeSession(session, 1008, 'slow consumer'),
    internalError: (session, core) => core.send(session, [status('error', 'internal error')]),
    wants(session, event) {
      const set = session.state.subs[CHANNEL_OF[event.kind]];
      return set.has(event.symbol) || set.has('*');
    },
    render,
    encode: (_session, messages) => JSON.stringify(messages),
  });

  return Object.assign(controls, {
    sendStatus(s: string, message?: string, close = false): number {
      const targets = core.sessions().filter((x) => !x.closing);
      for (const session of targets) {
        core.send(session, [status(s, message)]);
        if (close) core.closeSession(session, 1008, s);
      }
      return targets.length;
    },
  });
}
