/**
 * The market-data stream doubles speak Alpaca's data stream v2 and Polygon's stocks websocket
 * (PROTOCOLS.md §1, §5, §6) and replay the recorded session faithfully: checked with raw `ws`
 * clients on 127.0.0.1, never with app code or an SDK, so a feed adapter tested against the doubles
 * is tested against the wire format.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, type RawData } from 'ws';
import { alpacaConditions, polygonConditions, updatesVolume } from '../../electron/engine/bars/trade-eligibility';
import { alpacaConditionCodes, rfc3339Nano, startAlpacaStreamDouble, type AlpacaStreamDouble, type AlpacaStreamDoubleOptions } from '../doubles/alpaca-stream-double';
import { polygonExchangeLetter, startPolygonStreamDouble, type PolygonStreamDouble, type PolygonStreamDoubleOptions } from '../doubles/polygon-stream-double';
import { exchangeTime, loadRecordedEvents, type RecordedBar, type RecordedQuote, type RecordedTrade } from '../doubles/recorded-stream';
import { MALFORMED_KINDS, type MalformedKind } from '../doubles/stream-double-core';
import { HAS_LEAN_DATA, LEAN_DIR, NO_DATA_REASON } from '../support/shared-data';

type Msg = Record<string, unknown>;
const DATE = '2013-10-07';
const OPEN = exchangeTime(DATE, '09:30');
const WINDOW = { symbols: ['IBM'], date: DATE, fromMs: OPEN, toMs: OPEN + 10 * 60_000 } as const;
const ALPACA_KEYS = { keyId: 'AKTEST', secretKey: 'sekret' };
const POLYGON_KEY = 'pk_test';
const T = 10_000; // every test is bounded

const doubles: Array<{ close(): Promise<void> }> = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await Promise.all(doubles.splice(0).map((d) => d.close()));
});

async function alpaca(options: Partial<AlpacaStreamDoubleOptions> = {}): Promise<AlpacaStreamDouble> {
  const d = await startAlpacaStreamDouble({ ...ALPACA_KEYS, symbols: ['IBM'], date: DATE, events: [], ...options });
  doubles.push(d);
  return d;
}
async function polygon(options: Partial<PolygonStreamDoubleOptions> = {}): Promise<PolygonStreamDouble> {
  const d = await startPolygonStreamDouble({ apiKey: POLYGON_KEY, symbols: ['IBM'], date: DATE, events: [], ...options });
  doubles.push(d);
  return d;
}

// ---- a raw client ------------------------------------------------------------------------------
interface Frame {
  readonly binary: boolean;
  readonly raw: Buffer;
  /** Decoded array, or undefined when the frame did not decode. */
  readonly value: unknown;
  readonly at: number;
}
interface Client {
  readonly ws: WebSocket;
  readonly frames: Frame[];
  readonly opened: number;
  /** Messages of every decoded array frame, in order. */
  messages(): Msg[];
  send(message: unknown): void;
  waitFor(predicate: (m: Msg) => boolean, timeoutMs?: number): Promise<Msg>;
  until(condition: () => boolean, timeoutMs?: number): Promise<void>;
  /** Round trip of a ping: every frame the server sent before it has arrived. */
  sync(): Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
}

function decodeFrame(raw: Buffer, binary: boolean): unknown {
  try {
    return binary ? msgpackDecode(raw) : (JSON.parse(raw.toString('utf8')) as unknown);
  } catch {
    return undefined;
  }
}

async function connect(url: string, options: { msgpack?: boolean; headers?: Record<string, string> } = {}): Promise<Client> {
  const headers = { ...(options.msgpack ? { 'Content-Type': 'application/msgpack' } : {}), ...options.headers };
  const ws = new WebSocket(url, { headers });
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  ws.on('message', (data: RawData, binary: boolean) => {
    const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    frames.push({ binary, raw, value: decodeFrame(raw, binary), at: Date.now() });
    notify();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  closed.then(notify, () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const until = (condition: () => boolean, timeoutMs = 5_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error('condition not met in time'));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  const client: Client = {
    ws,
    frames,
    opened: Date.now(),
    messages: () => frames.flatMap((f) => (Array.isArray(f.value) ? (f.value as Msg[]) : [])),
    send: (m) => ws.send(options.msgpack ? msgpackEncode(m) : JSON.stringify(m)),
    async waitFor(predicate, timeoutMs = 5_000) {
      let found: Msg | undefined;
      await until(() => (found = client.messages().find(predicate)) !== undefined, timeoutMs);
      return found as Msg;
    },
    until,
    sync: () =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no pong')), 3_000);
        ws.once('pong', () => {
          clearTimeout(timer);
          resolve();
        });
        ws.ping();
      }),
    closed,
  };
  clients.push(client);
  return client;
}

/** Polls `condition` until true (bounded): for server-side state no client event announces. */
async function eventually(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const isT = (type: string) => (m: Msg) => m.T === type;
const isEv = (type: string) => (m: Msg) => m.ev === type;
const recorded = <K extends 'trade' | 'quote' | 'bar'>(kind: K) =>
  loadRecordedEvents(WINDOW).filter((e) => e.kind === kind) as Array<Extract<RecordedTrade | RecordedQuote | RecordedBar, { kind: K }>>;

async function alpacaSession(d: AlpacaStreamDouble, feed = 'sip', options: { msgpack?: boolean } = {}): Promise<Client> {
  const c = await connect(`${d.url}/v2/${feed}`, options);
  c.send({ action: 'auth', key: ALPACA_KEYS.keyId, secret: ALPACA_KEYS.secretKey });
  await c.waitFor((m) => m.msg === 'authenticated');
  return c;
}
async function polygonSession(d: PolygonStreamDouble): Promise<Client> {
  const c = await connect(`${d.url}/stocks`);
  c.send({ action: 'auth', params: POLYGON_KEY });
  await c.waitFor((m) => m.status === 'auth_success');
  return c;
}

// ---- Alpaca ------------------------------------------------------------------------------------
describe('Alpaca market-data stream double', () => {
  it('greets, rejects a wrong key with 402 and closes', async () => {
    const d = await alpaca();
    const c = await connect(`${d.url}/v2/iex`);
    expect(await c.waitFor(() => true)).toEqual({ T: 'success', msg: 'connected' });
    c.send({ action: 'auth', key: 'AKTEST', secret: 'wrong' });
    expect(await c.waitFor(isT('error'))).toEqual({ T: 'error', code: 402, msg: 'auth failed' });
    expect((await c.closed).code).toBe(1008);
  }, T);

  it('authenticates by message or by headers; answers 401, 403 and 400 as Alpaca does', async () => {
    const d = await alpaca();
    const c = await connect(`${d.url}/v2/sip`);
    c.send({ action: 'subscribe', trades: ['IBM'] });
    expect(await c.waitFor(isT('error'))).toMatchObject({ code: 401, msg: 'not authenticated' });
    c.send({ action: 'auth', key: ALPACA_KEYS.keyId, secret: ALPACA_KEYS.secretKey });
    await c.waitFor((m) => m.msg === 'authenticated');
    c.send({ action: 'auth', key: ALPACA_KEYS.keyId, secret: ALPACA_KEYS.secretKey });
    await c.waitFor((m) => m.code === 403);
    c.ws.send('{not json');
    await c.waitFor((m) => m.code === 400);
    c.send({ action: 'subscribe', trades: 'IBM' });
    await c.until(() => c.messages().filter((m) => m.code === 400).length === 2);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);

    const h = await connect(`${d.url}/v2/sip`, { headers: { 'APCA-API-KEY-ID': ALPACA_KEYS.keyId, 'APCA-API-SECRET-KEY': ALPACA_KEYS.secretKey } });
    await h.until(() => h.messages().length >= 2);
    expect(h.messages().slice(0, 2)).toEqual([{ T: 'success', msg: 'connected' }, { T: 'success', msg: 'authenticated' }]);
  }, T);

  it('answers (un)subscribe with the full current set', async () => {
    const d = await alpaca();
    const c = await alpacaSession(d);
    c.send({ action: 'subscribe', trades: ['IBM'], quotes: ['IBM', 'SPY'], bars: ['*'] });
    expect(await c.waitFor(isT('subscription'))).toEqual({
      T: 'subscription', trades: ['IBM'], quotes: ['IBM', 'SPY'], bars: ['*'], updatedBars: [], dailyBars: [], statuses: [], lulds: [], corrections: ['IBM'], cancelErrors: ['IBM'],
    });
    c.send({ action: 'subscribe', trades: ['AAPL'] });
    await c.until(() => c.messages().filter(isT('subscription')).length === 2);
    c.send({ action: 'unsubscribe', quotes: ['SPY'], bars: ['*'] });
    await c.until(() => c.messages().filter(isT('subscription')).length === 3);
    const [, second, third] = c.messages().filter(isT('subscription'));
    expect(second).toMatchObject({ trades: ['IBM', 'AAPL'], quotes: ['IBM', 'SPY'], bars: ['*'], corrections: ['IBM', 'AAPL'] });
    expect(third).toMatchObject({ trades: ['IBM', 'AAPL'], quotes: ['IBM'], bars: [] });
  }, T);

  it('answers 405 beyond the symbol limit and leaves the subscriptions unchanged', async () => {
    const d = await alpaca({ symbolLimit: 3 });
    const c = await alpacaSession(d, 'iex');
    c.send({ action: 'subscribe', trades: ['A', 'B'], quotes: ['B', 'C'], bars: ['D', 'E', 'F', 'G'] });
    expect(await c.waitFor(isT('subscription'))).toMatchObject({ trades: ['A', 'B'], quotes: ['B', 'C'] });
    c.send({ action: 'subscribe', quotes: ['Z'] });
    expect(await c.waitFor(isT('error'))).toEqual({ T: 'error', code: 405, msg: 'symbol limit exceeded' });
    c.send({ action: 'subscribe', bars: ['H'] });
    await c.until(() => c.messages().filter(isT('subscription')).length === 2);
    expect(c.messages().filter(isT('subscription'))[1]).toMatchObject({ trades: ['A', 'B'], quotes: ['B', 'C'], bars: ['D', 'E', 'F', 'G', 'H'] });
  }, T);

  it('answers 409 for a feed outside the plan, HTTP 404 for an unknown feed', async () => {
    const d = await alpaca({ feedsAllowed: ['iex'] });
    const c = await connect(`${d.url}/v2/sip`);
    c.send({ action: 'auth', key: ALPACA_KEYS.keyId, secret: ALPACA_KEYS.secretKey });
    expect(await c.waitFor(isT('error'))).toEqual({ T: 'error', code: 409, msg: 'insufficient subscription' });
    await c.closed;
    await alpacaSession(d, 'iex');
    await expect(connect(`${d.url}/v2/crypto`)).rejects.toThrow('HTTP 404');
  }, T);

  it('answers 406 beyond the connection limit and on command, then closes', async () => {
    const d = await alpaca({ connectionLimit: 1 });
    await alpacaSession(d);
    const second = await connect(`${d.url}/v2/sip`);
    second.send({ action: 'auth', key: ALPACA_KEYS.keyId, secret: ALPACA_KEYS.secretKey });
    expect(await second.waitFor(isT('error'))).toMatchObject({ code: 406, msg: 'connection limit exceeded' });
    await second.closed;

    const e = await alpaca();
    e.rejectNextConnections(406, 1);
    const rejected = await connect(`${e.url}/v2/sip`);
    rejected.send({ action: 'auth', key: ALPACA_KEYS.keyId, secret: ALPACA_KEYS.secretKey });
    expect(await rejected.waitFor(isT('error'))).toMatchObject({ code: 406 });
    expect((await rejected.closed).code).toBe(1008);
    await alpacaSession(e); // only the next one was rejected
  }, T);

  it('answers 404 when no auth arrives in time; refuses upgrades on command', async () => {
    const d = await alpaca({ authTimeoutMs: 100 });
    const c = await connect(`${d.url}/v2/sip`);
    expect(await c.waitFor(isT('error'))).toEqual({ T: 'error', code: 404, msg: 'auth timeout' });
    await c.closed;
    d.refuseNextUpgrades(503, 1);
    await expect(connect(`${d.url}/v2/sip`)).rejects.toThrow('HTTP 503');
    await connect(`${d.url}/v2/sip`);
  }, T);

  it('counts connections, client messages and messages sent; answers the handshake slowly on command', async () => {
    const d = await alpaca({ delayMs: 300 });
    const c = await connect(`${d.url}/v2/sip`);
    c.send({ action: 'auth', key: ALPACA_KEYS.keyId, secret: ALPACA_KEYS.secretKey });
    await c.waitFor((m) => m.msg === 'authenticated');
    const [connected, authenticated] = c.frames;
    expect((connected?.at ?? 0) - c.opened).toBeGreaterThanOrEqual(250);
    expect((authenticated?.at ?? 0) - (connected?.at ?? 0)).toBeGreaterThanOrEqual(250);
    expect(d.connections).toBe(1);
    expect(d.connectionsTotal).toBe(1);
    expect(d.received).toEqual([{ connection: 1, message: { action: 'auth', key: 'AKTEST', secret: 'sekret' }, decoded: true, binary: false }]);
    expect(d.sent).toBe(2);
    d.dropConnections();
    expect((await c.closed).code).toBe(1006);
    await eventually(() => d.connections === 0);
  }, T);

  it.skipIf(!HAS_LEAN_DATA)(`streams the recorded IBM trades, NBBO quotes and minute bars of 2013-10-07 in order (${NO_DATA_REASON})`, async () => {
    const d = await alpaca({ ...WINDOW, events: undefined, speed: 'max' });
    const c = await alpacaSession(d);
    c.send({ action: 'subscribe', trades: ['IBM'], quotes: ['IBM'], bars: ['IBM'] });
    const trades = recorded('trade');
    const quotes = recorded('quote');
    const bars = recorded('bar');
    await d.whenFinished();
    await c.until(() => c.messages().filter((m) => m.T === 't' || m.T === 'q' || m.T === 'b').length === trades.length + quotes.length + bars.length);
    const got = c.messages();
    const ts = got.filter(isT('t'));
    expect(trades.length).toBeGreaterThan(500);
    expect(ts.slice(0, 500)).toEqual(
      trades.slice(0, 500).map((t) => ({ T: 't', S: 'IBM', i: t.id, x: t.exchange, p: t.price, s: t.size, c: alpacaConditionCodes(t.conditions, 'A'), t: rfc3339Nano(t.time), z: 'A' })),
    );
    expect(ts[0]?.t).toMatch(/^2013-10-07T13:30:00\.\d{9}Z$/);
    const times = got.filter((m) => m.T !== 'subscription' && m.T !== 'success').map((m) => Date.parse(String(m.t)) + (m.T === 'b' ? 60_000 : 0));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const qs = got.filter(isT('q'));
    expect(qs.map((q) => [q.bp, q.bs, q.bx, q.ap, q.as, q.ax])).toEqual(quotes.map((q) => [q.bid, q.bidSize, q.bidExchange, q.ask, q.askSize, q.askExchange]));
    expect(qs[0]).toMatchObject({ c: ['R'], z: 'A' });
    const bs = got.filter(isT('b'));
    expect(bs.map((b) => [b.t, b.o, b.h, b.l, b.c, b.v])).toEqual(bars.map((b) => [new Date(b.openTime).toISOString().replace('.000Z', 'Z'), b.open, b.high, b.low, b.close, b.volume]));
    expect(bs[1]).toMatchObject({ n: expect.any(Number), vw: expect.any(Number) });
    // conditions survive the letter codes: the engine's reading counts the same volume
    for (const t of trades) expect(updatesVolume(alpacaConditions(alpacaConditionCodes(t.conditions, 'A'), 'A'))).toBe(updatesVolume(t.conditions));
  }, T);

  it.skipIf(!HAS_LEAN_DATA)(`frames the same content as msgpack, timestamps as msgpack timestamps (${NO_DATA_REASON})`, async () => {
    const d = await alpaca({ ...WINDOW, events: undefined, speed: 'max', startPaused: true });
    const json = await alpacaSession(d);
    const packed = await alpacaSession(d, 'sip', { msgpack: true });
    for (const c of [json, packed]) c.send({ action: 'subscribe', trades: ['IBM'], quotes: ['IBM'], bars: ['IBM'] });
    await packed.waitFor(isT('subscription'));
    await json.waitFor(isT('subscription'));
    expect(d.received.find((r) => r.connection === 2)?.binary).toBe(true);
    d.resume();
    await d.whenFinished();
    const count = (c: Client) => c.messages().filter((m) => m.T === 't' || m.T === 'q' || m.T === 'b').length;
    await json.until(() => count(json) === d.events.length);
    await packed.until(() => count(packed) === d.events.length);
    expect(packed.frames.every((f) => f.binary && f.value !== undefined)).toBe(true);
    expect(json.frames.every((f) => !f.binary)).toBe(true);
    const a = json.messages();
    const b = packed.messages();
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) {
      const { t: jt, ...jrest } = a[i] as Msg;
      const { t: pt, ...prest } = b[i] as Msg;
      expect(prest).toEqual(jrest);
      if (jt === undefined) continue;
      expect(pt).toBeInstanceOf(Date);
      expect((pt as Date).getTime()).toBe(Date.parse(String(jt)));
    }
  }, T);

  it.skipIf(!HAS_LEAN_DATA)(`replays at a multiple of recorded time, stamped "now" when asked (${NO_DATA_REASON})`, async () => {
    const d = await alpaca({ symbols: ['IBM'], date: DATE, fromMs: OPEN, toMs: OPEN + 20_000, events: undefined, speed: 20, timeShiftMs: 'now' });
    const c = await alpacaSession(d);
    const started = Date.now();
    c.send({ action: 'subscribe', trades: ['IBM'] });
    await d.whenFinished();
    const elapsed = Date.now() - started;
    const recordedSpan = (d.events[d.events.length - 1]?.time ?? OPEN) - OPEN;
    expect(recordedSpan).toBeGreaterThan(10_000);
    expect(elapsed).toBeGreaterThanOrEqual(recordedSpan / 20 - 20);
    expect(elapsed).toBeLessThan(recordedSpan / 20 + 1_500);
    const first = await c.waitFor(isT('t'));
    expect(Math.abs(Date.parse(String(first.t)) - started)).toBeLessThan(1_500);
  }, T);

  it.skipIf(!HAS_LEAN_DATA)(`goes silent (pings still answered) and pauses without losing data (${NO_DATA_REASON})`, async () => {
    const d = await alpaca({ ...WINDOW, events: undefined, speed: 5 });
    const c = await alpacaSession(d);
    c.send({ action: 'subscribe', trades: ['IBM'] });
    await c.waitFor(isT('t'));
    const ids = () => c.messages().filter(isT('t')).map((m) => m.i as number);

    d.goSilent(true);
    await c.sync();
    const before = c.frames.length;
    await new Promise((r) => setTimeout(r, 400));
    await c.sync(); // the socket is alive: the ping was answered
    expect(c.frames.length).toBe(before);
    d.goSilent(false);
    await c.until(() => c.frames.length > before);

    d.pause();
    await c.sync();
    const seen = ids().length;
    const clock = d.replayTime;
    await new Promise((r) => setTimeout(r, 400));
    await c.sync();
    expect(ids().length).toBe(seen);
    expect(d.replayTime).toBe(clock);
    d.resume();
    await c.until(() => ids().length > seen + 5);
    const after = ids().slice(seen - 1);
    expect(after).toEqual(after.map((_, k) => (after[0] as number) + k)); // nothing lost across the pause
  }, T);

  it.skipIf(!HAS_LEAN_DATA).each(MALFORMED_KINDS)(`sends a malformed message on command: %s (${NO_DATA_REASON})`, async (kind: MalformedKind) => {
    const d = await alpaca({ ...WINDOW, events: undefined, toMs: OPEN + 5_000, speed: 'max' });
    const c = await alpacaSession(d);
    c.send({ action: 'subscribe', trades: ['IBM'], quotes: ['IBM'] });
    await d.whenFinished();
    await c.until(() => c.messages().filter((m) => m.T === 't' || m.T === 'q').length === d.events.filter((e) => e.kind !== 'bar').length);
    const frames = c.frames.length;
    const data = c.messages().filter((m) => m.T === 't' || m.T === 'q');
    const last = data[data.length - 1] as Msg;
    expect(d.sendMalformed(kind)).toBe(1);
    await c.until(() => c.frames.length > frames);
    const frame = c.frames[frames] as Frame;
    const message = Array.isArray(frame.value) ? (frame.value[0] as Msg) : undefined;
    const time = (m: Msg | undefined) => Date.parse(String(m?.t));
    switch (kind) {
      case 'json':
        expect(frame.binary).toBe(false);
        expect(() => JSON.parse(frame.raw.toString('utf8'))).toThrow();
        break;
      case 'msgpack':
        expect(frame.binary).toBe(true);
        expect(() => msgpackDecode(frame.raw)).toThrow();
        break;
      case 'missing-field':
        expect(message).toMatchObject({ T: 't', S: 'IBM' });
        expect(message).not.toHaveProperty('p');
        break;
      case 'negative-price':
        expect(message?.T).toBe('t');
        expect(message?.p).toBeLessThan(0);
        break;
      case 'crossed-quote':
        expect(message?.T).toBe('q');
        expect(message?.bp).toBeGreaterThan(message?.ap as number);
        break;
      case 'duplicate':
        expect(message).toEqual(last);
        break;
      case 'out-of-order':
        expect(time(message)).toBeLessThan(time(last));
        break;
      case 'far-timestamp':
        expect(time(message) - time(last)).toBeGreaterThanOrEqual(5 * 3_600_000);
        break;
    }
  }, T);

  it.skipIf(!HAS_LEAN_DATA)(`answers 407 and closes when a client falls behind (${NO_DATA_REASON})`, async () => {
    const d = await alpaca({ ...WINDOW, events: undefined, speed: 'max', slowClientBytes: 0 });
    const c = await alpacaSession(d);
    c.send({ action: 'subscribe', trades: ['IBM'] });
    expect(await c.waitFor(isT('error'))).toEqual({ T: 'error', code: 407, msg: 'slow client' });
    expect((await c.closed).code).toBe(1008);
  }, T);

  it('sends statuses and errors on command', async () => {
    const d = await alpaca();
    const c = await alpacaSession(d);
    c.send({ action: 'subscribe', statuses: ['IBM'] });
    await c.waitFor(isT('subscription'));
    expect(d.sendStatus('IBM', { sc: 'H', sm: 'Trading Halt', rc: 'T12', rm: 'Trading Halted; For information requested by NASDAQ' })).toBe(1);
    expect(await c.waitFor(isT('s'))).toMatchObject({ S: 'IBM', sc: 'H', rc: 'T12', z: 'A', t: expect.stringMatching(/Z$/) });
    d.sendError(407, true);
    expect(await c.waitFor(isT('error'))).toMatchObject({ code: 407, msg: 'slow client' });
    await c.closed;
  }, T);
});

// ---- Polygon -----------------------------------------------------------------------------------
describe('Polygon (Massive) stocks websocket double', () => {
  it('greets, authenticates, and answers a wrong key with auth_failed then closes', async () => {
    const d = await polygon();
    const c = await connect(`${d.url}/stocks`);
    expect(await c.waitFor(() => true)).toEqual({ ev: 'status', status: 'connected', message: 'Connected Successfully' });
    c.send({ action: 'subscribe', params: 'T.IBM' });
    expect(await c.waitFor((m) => m.status !== 'connected')).toMatchObject({ ev: 'status', status: 'auth_required' });
    c.send({ action: 'auth', params: 'nope' });
    expect(await c.waitFor((m) => m.status === 'auth_failed')).toEqual({ ev: 'status', status: 'auth_failed', message: 'authentication failed' });
    expect((await c.closed).code).toBe(1008);
    await polygonSession(d);
    await expect(connect(`${d.url}/crypto`)).rejects.toThrow('HTTP 404');
  }, T);

  it('answers each subscribed channel with a success status', async () => {
    const d = await polygon();
    const c = await polygonSession(d);
    c.send({ action: 'subscribe', params: 'T.IBM,Q.IBM, AM.IBM' });
    await c.until(() => c.messages().filter((m) => m.status === 'success').length === 3);
    expect(c.messages().filter((m) => m.status === 'success').map((m) => m.message)).toEqual(['subscribed to: T.IBM', 'subscribed to: Q.IBM', 'subscribed to: AM.IBM']);
    c.send({ action: 'unsubscribe', params: 'Q.IBM' });
    expect(await c.waitFor((m) => String(m.message).startsWith('unsubscribed'))).toEqual({ ev: 'status', status: 'success', message: 'unsubscribed to: Q.IBM' });
  }, T);

  it('evicts the oldest connection beyond the limit, and rejects new ones on command', async () => {
    const d = await polygon({ connectionLimit: 1 });
    const first = await polygonSession(d);
    await polygonSession(d);
    expect(await first.waitFor((m) => m.status === 'max_connections')).toMatchObject({ ev: 'status', message: expect.stringContaining('Maximum number of websocket connections exceeded') });
    expect((await first.closed).code).toBe(1008);

    d.rejectNextConnections('max_connections', 1);
    const rejected = await connect(`${d.url}/stocks`);
    rejected.send({ action: 'auth', params: POLYGON_KEY });
    await rejected.waitFor((m) => m.status === 'max_connections');
    await rejected.closed;
    await eventually(() => d.connections === 1);
  }, T);

  it.skipIf(!HAS_LEAN_DATA)(`streams the recorded IBM trades with Polygon exchange and condition ids (${NO_DATA_REASON})`, async () => {
    const d = await polygon({ ...WINDOW, events: undefined, speed: 'max' });
    const c = await polygonSession(d);
    c.send({ action: 'subscribe', params: 'T.IBM,Q.IBM,AM.IBM' });
    const trades = recorded('trade');
    const quotes = recorded('quote');
    const bars = recorded('bar');
    await d.whenFinished();
    await c.until(() => c.messages().filter((m) => m.ev !== 'status').length === trades.length + quotes.length + bars.length);
    const ts = c.messages().filter(isEv('T'));
    expect(ts.map((m) => [m.sym, m.i, m.p, m.s, m.t, m.z])).toEqual(trades.map((t) => ['IBM', String(t.id), t.price, t.size, t.time, 1]));

    // Integer exchange ids map back to the recorded letters, per Polygon's own exchange table.
    const table = (JSON.parse(readFileSync(join(LEAN_DIR, '..', 'polygon', 'exchanges.json'), 'utf8')) as { results: Array<{ id: number; participant_id?: string }> }).results;
    const letterOf = new Map(table.map((e) => [e.id, e.participant_id]));
    ts.forEach((m, k) => {
      const letter = (trades[k] as RecordedTrade).exchange;
      expect(polygonExchangeLetter(m.x as number)).toBe(letter);
      expect(letterOf.get(m.x as number)).toBe(letter === 'Q' ? 'T' : letter); // Polygon lists Nasdaq under its CTA letter
    });
    expect(new Set(ts.map((m) => m.x)).size).toBeGreaterThan(5);
    for (const [k, m] of ts.entries()) expect(updatesVolume(polygonConditions((m.c as number[] | undefined) ?? []))).toBe(updatesVolume((trades[k] as RecordedTrade).conditions));

    const qs = c.messages().filter(isEv('Q'));
    expect(qs.map((q) => [q.bp, q.bs, polygonExchangeLetter(q.bx as number), q.ap, q.as, polygonExchangeLetter(q.ax as number), q.t])).toEqual(
      quotes.map((q) => [q.bid, q.bidSize / 100, q.bidExchange, q.ask, q.askSize / 100, q.askExchange, q.time]),
    );
    const ams = c.messages().filter(isEv('AM'));
    expect(ams.map((a) => [a.s, a.e, a.o, a.h, a.l, a.c, a.v])).toEqual(bars.map((b) => [b.openTime, b.openTime + 60_000, b.open, b.high, b.low, b.close, b.volume]));
    expect(ams[ams.length - 1]).toMatchObject({ av: bars[bars.length - 1]?.dayVolume, op: expect.any(Number), a: expect.any(Number), vw: expect.any(Number), z: expect.any(Number) });
  }, T);

  it.skipIf(!HAS_LEAN_DATA).each(MALFORMED_KINDS)(`sends a malformed message on command: %s (${NO_DATA_REASON})`, async (kind: MalformedKind) => {
    const d = await polygon({ ...WINDOW, events: undefined, toMs: OPEN + 5_000, speed: 'max' });
    const c = await polygonSession(d);
    c.send({ action: 'subscribe', params: 'T.IBM,Q.IBM' });
    await d.whenFinished();
    await c.until(() => c.messages().filter((m) => m.ev === 'T' || m.ev === 'Q').length === d.events.filter((e) => e.kind !== 'bar').length);
    const frames = c.frames.length;
    const data = c.messages().filter((m) => m.ev === 'T' || m.ev === 'Q');
    const last = data[data.length - 1] as Msg;
    d.sendMalformed(kind);
    await c.until(() => c.frames.length > frames);
    const frame = c.frames[frames] as Frame;
    const message = Array.isArray(frame.value) ? (frame.value[0] as Msg) : undefined;
    switch (kind) {
      case 'json':
      case 'msgpack':
        expect(frame.value).toBeUndefined();
        break;
      case 'missing-field':
        expect(message?.ev).toBe('T');
        expect(message).not.toHaveProperty('p');
        break;
      case 'negative-price':
        expect(message?.p).toBeLessThan(0);
        break;
      case 'crossed-quote':
        expect(message?.ev).toBe('Q');
        expect(message?.bp).toBeGreaterThan(message?.ap as number);
        break;
      case 'duplicate':
        expect(message).toEqual(last);
        break;
      case 'out-of-order':
        expect(message?.t).toBeLessThan(last.t as number);
        break;
      case 'far-timestamp':
        expect((message?.t as number) - (last.t as number)).toBeGreaterThanOrEqual(5 * 3_600_000);
        break;
    }
  }, T);
});
