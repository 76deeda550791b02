/**
 * Shared machinery of the market-data stream doubles (`alpaca-stream-double.ts`,
 * `polygon-stream-double.ts`): a WebSocket server on 127.0.0.1 (port 0), the replay of recorded
 * events ({@link loadRecordedEvents}) to subscribed connections, and the misbehaviour controls.
 * Tests only.
 *
 * Replay clock: one clock for the whole double (like a live feed), started by the first data
 * subscription of any connection (or by `resume()` when `startPaused`). Speed `n` plays `n`
 * recorded ms per wall ms; `'max'` sends `batchSize` events per turn of the event loop and waits
 * while any socket has more than 1 MiB unsent. Events due together go out as arrays of at most
 * `batchSize` messages per frame. A connection only gets what happens while it is subscribed.
 * Message timestamps are recorded times + `shiftMs` (`timeShiftMs: 'now'` picks the shift that
 * makes the first replayed event "now").
 *
 * Misbehaviour (each observable by a raw client):
 * - `goSilent(true)`: sockets stay open and pings are answered (by `ws`), client messages are
 *   still processed, but nothing at all is sent (data meanwhile is lost, as in a stalled feed).
 * - `pause()`/`resume()`: the replay clock stops and continues; nothing is lost.
 * - `sendMalformed(kind)` to every authenticated connection (nothing while silent), see
 *   {@link MalformedKind}. Synthetic trades use the last trade or quote the connection got, else
 *   the first recorded one of a symbol it subscribed to, and get fresh ids (≥ 900 000 000).
 * - `rejectNextConnections(code, n)`: the next `n` connections get the provider's error in
 *   answer to their authentication, then are closed (1008). `refuseNextUpgrades(status, n)`
 *   answers the next `n` upgrade requests with that HTTP status instead.
 * - `delayMs`: the greeting and the answer to each client message are delayed by this much
 *   (messages are still handled in order).
 * - `dropConnections()`: terminates every socket (no close frame: the client sees 1006).
 */
import { STATUS_CODES, createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { decode as msgpackDecode } from '@msgpack/msgpack';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { loadRecordedEvents, type RecordedEvent, type RecordedQuote, type RecordedTrade, type Tape } from './recorded-stream';

/** Replay speed: multiple of recorded time (1 = real time), or `'max'` (as fast as the sockets take it). */
export type Speed = number | 'max';

/** The kinds of bad message {@link StreamDoubleControls.sendMalformed} can send. */
export const MALFORMED_KINDS = [
  /** A text frame that is not valid JSON (a data frame cut in half). */
  'json',
  /** A binary frame that is not valid msgpack (`0x91 0xc1`: an array holding a never-used byte). */
  'msgpack',
  /** A trade without its price field `p`. */
  'missing-field',
  /** A trade with a negative price. */
  'negative-price',
  /** A quote whose bid is 0.10 above its ask. */
  'crossed-quote',
  /** The last data message sent to the connection, again (a synthetic trade twice if none yet). */
  'duplicate',
  /** A trade stamped 60 s before the last data message sent (preceded by a normal one if none yet). */
  'out-of-order',
  /** A trade stamped 6 h after the replay clock's current time. */
  'far-timestamp',
] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** One message of a frame (frames are arrays of these). */
export type WireMessage = Record<string, unknown>;

/** Options shared by both stream doubles. */
export interface StreamDoubleOptions {
  /** Recorded symbols to replay, e.g. `['IBM']`. */
  readonly symbols: readonly string[];
  /** Trading date `YYYY-MM-DD` of the recording, e.g. `2013-10-07`. */
  readonly date: string;
  /** Lean data folder (default `../shared/data/lean`). */
  readonly leanDir?: string;
  /** Replay only events with `fromMs <= time < toMs` (ms since epoch); the clock starts at `fromMs`. */
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Listing tape per symbol (default `B` for SPY, else `A`). */
  readonly tapes?: Readonly<Record<string, Tape>>;
  /** Events to replay instead of loading the recording (e.g. `[]` for protocol-only tests). */
  readonly events?: readonly RecordedEvent[];
  /** Default 1 (real time). */
  readonly speed?: Speed;
  /** Max messages per data frame, and events per turn at `'max'` speed. Default 100. */
  readonly batchSize?: number;
  /** Added to every recorded time in messages, ms; `'now'`: chosen when the replay starts so it starts now. Default 0. */
  readonly timeShiftMs?: number | 'now';
  /** Do not start the replay before `resume()`. Default false. */
  readonly startPaused?: boolean;
  /** Connections that have not authenticated this long after the greeting get the provider's timeout error and are closed. Default 10 000 ms. */
  readonly authTimeoutMs?: number;
  /** Authenticated connections allowed at once (provider-specific answer beyond it). Default unlimited. */
  readonly connectionLimit?: number;
  /** A connection with more than this many bytes unsent after a data frame is treated as a slow client. Default: never. */
  readonly slowClientBytes?: number;
  /** Initial {@link StreamDoubleControls.delayMs}. Default 0. */
  readonly delayMs?: number;
}

/** A message a client sent. */
export interface ReceivedMessage {
  /** Connection number (1-based, in order of connection). */
  readonly connection: number;
  /** The decoded JSON or msgpack value; the raw text when it could not be decoded. */
  readonly message: unknown;
  readonly decoded: boolean;
  readonly binary: boolean;
}

/** Controls and inspection common to both doubles. `R` is the provider's rejection code type. */
export interface StreamDoubleControls<R> {
  /** `ws://127.0.0.1:PORT` (append the provider's path). */
  readonly url: string;
  /** The events being replayed (all symbols, time-ordered). */
  readonly events: readonly RecordedEvent[];
  /** Sockets open now. */
  readonly connections: number;
  /** Sockets accepted since start. */
  readonly connectionsTotal: number;
  /** Every client message, in order of arrival. */
  readonly received: readonly ReceivedMessage[];
  /** Messages sent (each element of an array frame counts; a malformed frame counts 1). */
  readonly sent: number;
  readonly framesSent: number;
  /** Data messages (trades, quotes, bars…) sent, synthetic ones included. */
  readonly dataSent: number;
  /** Events of {@link events} replayed so far (sent or not). */
  readonly replayed: number;
  /** Current recorded time of the replay clock, ms since epoch. */
  readonly replayTime: number;
  /** Shift added to recorded times in messages, ms. */
  readonly shiftMs: number;
  readonly started: boolean;
  readonly finished: boolean;
  readonly paused: boolean;
  /** Delay of the greeting and of each answer, ms. */
  delayMs: number;
  /** Replay speed; may be changed while playing. */
  speed: Speed;
  pause(): void;
  /** Continues (or starts) the replay. */
  resume(): void;
  /** Resolves once every event has been replayed. */
  whenFinished(): Promise<void>;
  goSilent(silent: boolean): void;
  dropConnections(): void;
  rejectNextConnections(code: R, count?: number): void;
  refuseNextUpgrades(httpStatus: number, count?: number): void;
  /** Sends one bad message to every authenticated connection; returns how many got it. */
  sendMalformed(kind: MalformedKind): number;
  /** Stops the replay, terminates every socket and closes the server. */
  close(): Promise<void>;
}

/** A client connection as a provider sees it. */
export interface StreamSession<S, R> {
  readonly id: number;
  readonly ws: WebSocket;
  readonly request: IncomingMessage;
  readonly msgpack: boolean;
  readonly state: S;
  authenticated: boolean;
  /** Set by `rejectNextConnections`: answer the authentication with it. */
  readonly rejectWith: R | null;
  closing: boolean;
  lastData: WireMessage | null;
  lastDataTime: number | null;
  lastTrade: RecordedTrade | null;
  lastQuote: RecordedQuote | null;
}

/** What the core offers a provider. */
export interface StreamCore<S, R> {
  readonly options: StreamDoubleOptions;
  readonly events: readonly RecordedEvent[];
  sessions(): Array<StreamSession<S, R>>;
  /** Sends one control frame (dropped while silent). */
  send(session: StreamSession<S, R>, messages: readonly WireMessage[]): void;
  /** Closes with a close frame (`code` default 1008). */
  closeSession(session: StreamSession<S, R>, code?: number, reason?: string): void;
  /** Marks a session authenticated (stops its auth timer). */
  authenticated(session: StreamSession<S, R>): void;
  /** Starts the replay clock if it has not started (no-op when `startPaused` and not resumed). */
  startReplay(): void;
  replayTime(): number;
  shiftMs(): number;
}

/** The provider-specific half of a stream double. */
export interface StreamProvider<S, R> {
  readonly perMessageDeflate: boolean;
  /** State and framing for an upgrade to `path`, or the HTTP status refusing it. */
  accept(path: string, request: IncomingMessage): { state: S; msgpack: boolean } | number;
  /** After the greeting delay: greet (and authenticate from headers if the protocol allows). */
  open(session: StreamSession<S, R>, core: StreamCore<S, R>): void;
  handle(session: StreamSession<S, R>, message: ReceivedMessage, core: StreamCore<S, R>): void;
  authTimeout(session: StreamSession<S, R>, core: StreamCore<S, R>): void;
  slowClient(session: StreamSession<S, R>, core: StreamCore<S, R>): void;
  /** `handle` threw: answer with the provider's internal error. */
  internalError(session: StreamSession<S, R>, core: StreamCore<S, R>): void;
  /** Whether the session is subscribed to this event. */
  wants(session: StreamSession<S, R>, event: RecordedEvent): boolean;
  /** The provider's message for an event, times shifted by `shiftMs`. */
  render(session: StreamSession<S, R>, event: RecordedEvent, shiftMs: number): WireMessage;
  encode(session: StreamSession<S, R>, messages: readonly WireMessage[]): string | Uint8Array;
}

const CONGESTED_BYTES = 1 << 20;
const SYNTHETIC_ID = 900_000_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

function decodeFrame(data: RawData, isBinary: boolean): { message: unknown; decoded: boolean } {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  if (isBinary) {
    try {
      return { message: msgpackDecode(buffer), decoded: true };
    } catch {
      // not msgpack: maybe JSON in a binary frame
    }
  }
  const text = buffer.toString('utf8');
  try {
    return { message: JSON.parse(text) as unknown, decoded: true };
  } catch {
    return { message: text, decoded: false };
  }
}

function refuse(socket: Duplex, status: number): void {
  const body = STATUS_CODES[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${body}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/**
 * Starts the server and the replay for `provider`; returns the common controls (the caller adds
 * its own) and the core it handed the provider.
 */
export async function startStreamServer<S, R>(
  options: StreamDoubleOptions,
  provider: StreamProvider<S, R>,
): Promise<{ controls: StreamDoubleControls<R>; core: StreamCore<S, R> }> {
  const events: readonly RecordedEvent[] =
    options.events ??
    loadRecordedEvents({ leanDir: options.leanDir, symbols: options.symbols, date: options.date, fromMs: options.fromMs, toMs: options.toMs, tapes: options.tapes });
  const batchSize = Math.max(1, options.batchSize ?? 100);
  type Live = StreamSession<S, R> & { inbox: Promise<void>; authTimer: NodeJS.Timeout | null };
  const sessions = new Map<WebSocket, Live>();
  const received: ReceivedMessage[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const finishWaiters: Array<() => void> = [];
  const counters = { sent: 0, frames: 0, data: 0, total: 0 };
  let rejections: { code: R; remaining: number } | null = null;
  let refusals: { status: number; remaining: number } | null = null;
  let silent = false;
  let closed = false;
  let delayMs = options.delayMs ?? 0;
  let syntheticId = SYNTHETIC_ID;

  // ---- replay clock ----------------------------------------------------------------------------
  const firstTime = options.fromMs ?? events[0]?.time ?? Date.now();
  let speed: Speed = options.speed ?? 1;
  let index = 0;
  let started = false;
  let paused = options.startPaused ?? false;
  let finished = events.length === 0;
  let shift = typeof options.timeShiftMs === 'number' ? options.timeShiftMs : 0;
  let anchor = { wall: Date.now(), replay: firstTime };
  let cursorTime = firstTime;
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;

  const replayTime = (): number => {
    if (!started || paused || speed === 'max') return Math.max(anchor.replay, cursorTime);
    return anchor.replay + (Date.now() - anchor.wall) * speed;
  };
  const rebase = () => {
    anchor = { wall: Date.now(), replay: replayTime() };
  };
  const stopTimers = () => {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = null;
    immediate = null;
  };
  const finish = () => {
    finished = true;
    for (const w of finishWaiters.splice(0)) w();
  };
  const schedule = (ms: number) => {
    stopTimers();
    if (closed || paused || !started || finished) return;
    if (ms <= 0 && speed === 'max') immediate = setImmediate(tick);
    else timer = setTimeout(tick, Math.min(Math.max(ms, 0), 60_000));
  };
  const congested = () => [...sessions.keys()].some((ws) => ws.bufferedAmount > CONGESTED_BYTES);

  function tick(): void {
    timer = null;
    immediate = null;
    if (closed || paused || !started || finished) return;
    if (speed === 'max') {
      if (congested()) return schedule(5);
      const batch = events.slice(index, index + batchSize);
      index += batch.length;
      const last = batch[batch.length - 1];
      if (last) cursorTime = Math.max(cursorTime, last.time);
      deliver(batch);
    } else {
      const now = replayTime();
      let end = index;
      while (end < events.length && (events[end] as RecordedEvent).time <= now) end++;
      const batch = events.slice(index, end);
      index = end;
      deliver(batch);
    }
    if (index >= events.length) return finish();
    if (speed === 'max') return schedule(0);
    schedule(Math.ceil(((events[index] as RecordedEvent).time - replayTime()) / speed));
  }

  const startReplay = () => {
    if (started || closed) return;
    started = true;
    if (options.timeShiftMs === 'now') shift = Date.now() - firstTime;
    anchor = { wall: Date.now(), replay: firstTime };
    if (events.length === 0) finish();
    schedule(0);
  };

  // ---- sending ---------------------------------------------------------------------------------
  const sendFrame = (session: StreamSession<S, R>, frame: string | Uint8Array, messages: number) => {
    if (silent || session.closing || session.ws.readyState !== session.ws.OPEN) return false;
    session.ws.send(frame);
    counters.frames++;
    counters.sent += messages;
    return true;
  };

  function deliver(batch: readonly RecordedEvent[]): void {
    if (batch.length === 0) return;
    for (const session of sessions.values()) {
      if (!session.authenticated || session.closing) continue;
      const messages: WireMessage[] = [];
      for (const event of batch) {
        if (!provider.wants(session, event)) continue;
        const message = provider.render(session, event, shift);
        messages.push(message);
        session.lastData = message;
        session.lastDataTime = event.time;
        if (event.kind === 'trade') session.lastTrade = event;
        else if (event.kind === 'quote') session.lastQuote = event;
      }
      for (let i = 0; i < messages.length; i += batchSize) {
        const chunk = messages.slice(i, i + batchSize);
        if (sendFrame(session, provider.encode(session, chunk), chunk.length)) counters.data += chunk.length;
      }
      if (options.slowClientBytes !== undefined && session.ws.bufferedAmount > options.slowClientBytes && !session.closing) {
        provider.slowClient(session, core);
      }
    }
  }

  // ---- misbehaviour ----------------------------------------------------------------------------
  const firstWanted = <K extends RecordedEvent['kind']>(session: StreamSession<S, R>, kind: K) =>
    (events.find((e) => e.kind === kind && provider.wants(session, e)) ?? events.find((e) => e.kind === kind)) as Extract<RecordedEvent, { kind: K }> | undefined;

  const baseTrade = (session: StreamSession<S, R>, time: number): RecordedTrade => {
    const t = session.lastTrade ?? firstWanted(session, 'trade');
    const q = session.lastQuote ?? firstWanted(session, 'quote');
    const symbol = t?.symbol ?? q?.symbol ?? options.symbols[0] ?? 'FAKEPACA';
    const price = t?.price ?? (q ? round2((q.bid + q.ask) / 2) : 100);
    syntheticId++;
    return { kind: 'trade', symbol, time, price, size: t?.size ?? 100, exchange: t?.exchange ?? 'N', conditions: 1, tape: t?.tape ?? q?.tape ?? 'A', id: syntheticId, seq: syntheticId };
  };

  const malformedFrames = (session: StreamSession<S, R>, kind: MalformedKind): Array<{ frame: string | Uint8Array; data: boolean }> => {
    const now = replayTime();
    const encode = (...messages: WireMessage[]) => ({ frame: provider.encode(session, messages), data: true });
    const trade = (time: number, change: (m: WireMessage) => void = () => {}) => {
      const message = provider.render(session, baseTrade(session, time), shift);
      change(message);
      return message;
    };
    switch (kind) {
      case 'json': {
        const text = JSON.stringify([trade(now)]);
        return [{ frame: text.slice(0, Math.ceil(text.length / 2)), data: false }];
      }
      case 'msgpack':
        return [{ frame: Uint8Array.from([0x91, 0xc1]), data: false }];
      case 'missing-field':
        return [encode(trade(now, (m) => delete m.p))];
      case 'negative-price':
        return [encode(trade(now, (m) => (m.p = -(m.p as number))))];
      case 'crossed-quote': {
        const q = session.lastQuote ?? firstWanted(session, 'quote');
        const t = baseTrade(session, now);
        const ask = q?.ask ?? round2(t.price + 0.01);
        const crossed: RecordedQuote = {
          kind: 'quote',
          symbol: q?.symbol ?? t.symbol,
          time: now,
          bid: round2(ask + 0.1),
          bidSize: q?.bidSize ?? 100,
          bidExchange: q?.bidExchange ?? 'N',
          ask,
          askSize: q?.askSize ?? 100,
          askExchange: q?.askExchange ?? 'N',
          tape: q?.tape ?? t.tape,
          seq: t.seq,
        };
        return [encode(provider.render(session, crossed, shift))];
      }
      case 'duplicate': {
        if (session.lastData) return [encode(session.lastData)];
        const message = trade(now);
        return [encode(message), encode(message)];
      }
      case 'out-of-order': {
        if (session.lastDataTime !== null) return [encode(trade(session.lastDataTime - 60_000))];
        return [encode(trade(now)), encode(trade(now - 60_000))];
      }
      case 'far-timestamp':
        return [encode(trade(now + 6 * 3_600_000))];
    }
  };

  // ---- connections -----------------------------------------------------------------------------
  const sleep = (ms: number) =>
    ms <= 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, ms);
          timers.add(t);
        });

  const core: StreamCore<S, R> = {
    options,
    events,
    sessions: () => [...sessions.values()],
    send(session, messages) {
      sendFrame(session, provider.encode(session, messages), messages.length);
    },
    closeSession(session, code = 1008, reason = '') {
      if (session.closing) return;
      session.closing = true;
      session.ws.close(code, reason);
      const t = setTimeout(() => {
        timers.delete(t);
        session.ws.terminate();
      }, 1_000);
      timers.add(t);
    },
    authenticated(session) {
      session.authenticated = true;
      const s = sessions.get(session.ws);
      if (s?.authTimer) {
        clearTimeout(s.authTimer);
        timers.delete(s.authTimer);
        s.authTimer = null;
      }
    },
    startReplay() {
      if (!paused) startReplay();
    },
    replayTime,
    shiftMs: () => shift,
  };

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: provider.perMessageDeflate ? { threshold: 1024 } : false });
  const server = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' });
    res.end('Upgrade Required');
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (refusals && refusals.remaining > 0) {
      refusals.remaining--;
      return refuse(socket, refusals.status);
    }
    const accepted = provider.accept(new URL(req.url ?? '/', 'http://127.0.0.1').pathname, req);
    if (typeof accepted === 'number') return refuse(socket, accepted);
    wss.handleUpgrade(req, socket, head, (ws) => {
      let rejectWith: R | null = null;
      if (rejections && rejections.remaining > 0) {
        rejections.remaining--;
        rejectWith = rejections.code;
      }
      const session: Live = {
        id: ++counters.total,
        ws,
        request: req,
        msgpack: accepted.msgpack,
        state: accepted.state,
        authenticated: false,
        rejectWith,
        closing: false,
        lastData: null,
        lastDataTime: null,
        lastTrade: null,
        lastQuote: null,
        inbox: Promise.resolve(),
        authTimer: null,
      };
      sessions.set(ws, session);
      ws.on('error', () => ws.terminate());
      ws.on('close', () => {
        sessions.delete(ws);
        if (session.authTimer) clearTimeout(session.authTimer);
      });
      ws.on('message', (data: RawData, isBinary: boolean) => {
        const { message, decoded } = decodeFrame(data, isBinary);
        const entry: ReceivedMessage = { connection: session.id, message, decoded, binary: isBinary };
        received.push(entry);
        session.inbox = session.inbox
          .then(() => sleep(delayMs))
          .then(() => {
            if (session.closing || !sessions.has(ws)) return;
            try {
              provider.handle(session, entry, core);
            } catch {
              provider.internalError(session, core);
            }
          });
      });
      session.inbox = sleep(delayMs).then(() => {
        if (session.closing || !sessions.has(ws)) return;
        provider.open(session, core);
        if (session.authenticated || session.closing) return;
        session.authTimer = setTimeout(() => {
          session.authTimer = null;
          if (!session.authenticated && !session.closing && sessions.has(ws)) provider.authTimeout(session, core);
        }, options.authTimeoutMs ?? 10_000);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  const controls: StreamDoubleControls<R> = {
    url: `ws://127.0.0.1:${port}`,
    events,
    get connections() {
      return sessions.size;
    },
    get connectionsTotal() {
      return counters.total;
    },
    received,
    get sent() {
      return counters.sent;
    },
    get framesSent() {
      return counters.frames;
    },
    get dataSent() {
      return counters.data;
    },
    get replayed() {
      return index;
    },
    get replayTime() {
      return replayTime();
    },
    get shiftMs() {
      return shift;
    },
    get started() {
      return started;
    },
    get finished() {
      return finished;
    },
    get paused() {
      return paused;
    },
    get delayMs() {
      return delayMs;
    },
    set delayMs(ms: number) {
      delayMs = ms;
    },
    get speed() {
      return speed;
    },
    set speed(value: Speed) {
      if (started && !paused) rebase();
      speed = value;
      if (started && !paused) schedule(0);
    },
    pause() {
      if (paused) return;
      if (started) rebase();
      paused = true;
      stopTimers();
    },
    resume() {
      if (!paused) return;
      paused = false;
      if (!started) return startReplay();
      anchor = { wall: Date.now(), replay: anchor.replay };
      schedule(0);
    },
    whenFinished: () => (finished ? Promise.resolve() : new Promise<void>((resolve) => finishWaiters.push(resolve))),
    goSilent(value) {
      silent = value;
    },
    dropConnections() {
      for (const ws of sessions.keys()) ws.terminate();
    },
    rejectNextConnections(code, count = 1) {
      rejections = { code, remaining: count };
    },
    refuseNextUpgrades(status, count = 1) {
      refusals = { status, remaining: count };
    },
    sendMalformed(kind) {
      let reached = 0;
      for (const session of sessions.values()) {
        if (!session.authenticated || session.closing || silent) continue;
        for (const { frame, data } of malformedFrames(session, kind)) {
          if (sendFrame(session, frame, 1) && data) counters.data++;
        }
        reached++;
      }
      return reached;
    },
    async close() {
      closed = true;
      stopTimers();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const session of sessions.values()) if (session.authTimer) clearTimeout(session.authTimer);
      for (const ws of sessions.keys()) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return { controls, core };
}
