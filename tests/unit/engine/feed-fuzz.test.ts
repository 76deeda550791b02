/**
 * Fault drill (issue 7): malformed and hostile market-data frames, fuzzed with fast-check.
 *
 * Each generated frame goes through the path a live socket's frame takes: the provider stream's
 * frame handler (`ProviderStream.onFrame`, called by the socket's `message` listener) →
 * decode → normalize → {@link FeedValidator} → the real {@link FeedManager} → the engine's
 * {@link MarketDataSink}. Only the socket is missing: the stream is "live" without connecting.
 *
 * What is counted, precisely: a frame that does not decode (not JSON / msgpack, or a top level
 * that is neither an array nor an object) is one message, dropped as `unparseable`; otherwise
 * every element of the array (an object alone is a one-element array) is one message, except
 * control messages (Alpaca `T` success/error/subscription, Polygon `ev` status), which drive the
 * connection and are not counted. Every counted message is either accepted (the stream's
 * `messages`) or dropped under exactly one {@link DropReason}.
 *
 * Fixed seeds (reproducible): Alpaca JSON 7_001, Alpaca msgpack 7_002, Polygon 7_003.
 */
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Quote, Symbol, Trade } from '../../../shared/domain';
import { AlpacaStream } from '../../../electron/engine/feeds/alpaca-stream';
import { FeedManager } from '../../../electron/engine/feeds/feed-manager';
import type { MarketDataSink } from '../../../electron/engine/feeds/market-data-feed';
import { PolygonStream } from '../../../electron/engine/feeds/polygon-stream';
import type { ProviderStream, ProviderStreamListener } from '../../../electron/engine/feeds/provider-stream';
import { DROP_REASONS, eventSymbol, type MarketEvent } from '../../../electron/engine/feeds/stream-events';

/** The feed's clock: Monday 2024-06-03 10:30 ET. */
const NOW = Date.UTC(2024, 5, 3, 14, 30);
const SYMBOLS: readonly Symbol[] = ['AAPL', 'MSFT', 'SPY'];

/** An Alpaca stream that is live at once (no socket): frames are handed to it as the socket would. */
class OfflineAlpaca extends AlpacaStream {
  override connect(): Promise<void> {
    this.becomeLive();
    return Promise.resolve();
  }
}
class OfflinePolygon extends PolygonStream {
  override connect(): Promise<void> {
    this.becomeLive();
    return Promise.resolve();
  }
}

/** A frame as a socket delivers it. */
interface Frame {
  readonly data: Buffer;
  readonly binary: boolean;
}

type Provider = 'alpaca' | 'polygon';

/** One drill: a real FeedManager over one offline provider stream, recording what passes. */
function rig(provider: Provider, msgpack = false) {
  const accepted: MarketEvent[] = [];
  const sunk: Array<Quote | Trade> = [];
  let stream: ProviderStream | null = null;
  const options = { validator: { now: () => NOW } };
  const feed = new FeedManager({
    symbols: SYMBOLS,
    now: () => NOW,
    reconnect: { initialMs: 1, maxMs: 1 },
    primary: (listener) => {
      // The manager's own listener, observed: every event the stream accepts is recorded first.
      const observed: ProviderStreamListener = { ...listener, onEvent: (event, at, mono) => (accepted.push(event), listener.onEvent(event, at, mono)) };
      stream =
        provider === 'alpaca'
          ? new OfflineAlpaca({ keyId: 'k', secretKey: 's', baseUrl: 'ws://127.0.0.1:9', feed: 'sip', ...(msgpack ? { msgpack: true } : {}) }, observed, options)
          : new OfflinePolygon({ apiKey: 'k', baseUrl: 'ws://127.0.0.1:9' }, observed, options);
      return stream;
    },
  });
  const sink: MarketDataSink = { onQuote: (q) => sunk.push(q), onTrade: (t) => sunk.push(t), onClock() {}, onHealth() {}, onSymbolStatus() {}, onGap() {} };
  feed.start(sink);
  const s = stream as unknown as ProviderStream;
  // The socket's `message` listener calls this private handler with each frame.
  const handler = stream as unknown as { onFrame(data: Buffer, binary: boolean): void };
  return { feed, stream: s, accepted, sunk, send: (frame: Frame) => handler.onFrame(frame.data, frame.binary) };
}

/** How many counted messages a frame holds (see the file comment), decoded independently of the feed code. */
function countedMessages(provider: Provider, frame: Frame): number {
  let value: unknown;
  try {
    value = frame.binary ? msgpackDecode(frame.data) : JSON.parse(frame.data.toString('utf8'));
  } catch {
    return 1;
  }
  const list: unknown[] | null = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? [value] : null;
  if (list === null) return 1;
  const control = (m: unknown): boolean => {
    if (typeof m !== 'object' || m === null) return false;
    const r = m as Record<string, unknown>;
    return provider === 'alpaca' ? r.T === 'success' || r.T === 'error' || r.T === 'subscription' : r.ev === 'status';
  };
  return list.filter((m) => !control(m)).length;
}

// ---- field values -------------------------------------------------------------------------

const cents = fc.integer({ min: 1, max: 500_000 }).map((c) => c / 100);
const shares = fc.oneof(fc.integer({ min: 1, max: 5_000 }), fc.constantFrom(100, 200, 500));
const knownSymbol = fc.constantFrom(...SYMBOLS);
/** Within the validator's 5-minute skew of the clock. */
const nearMs = fc.integer({ min: -240_000, max: 240_000 }).map((d) => NOW + d);
const rfc3339 = (ms: number, nanos: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, f: string) => `.${f}${String(nanos).padStart(6, '0')}Z`);
const alpacaTime = (binary: boolean) => fc.tuple(nearMs, fc.integer({ min: 0, max: 999_999 })).map(([ms, ns]) => (binary ? new Date(ms) : rfc3339(ms, ns)));
const letter = fc.constantFrom('A', 'B', 'C', 'D', 'K', 'N', 'P', 'Q', 'V', 'Z');

/** A deep `{a:{a:…}}` or `[[…]]`, built without recursion limits in the generator. */
const deep = (max: number) => fc.tuple(fc.integer({ min: 20, max }), fc.boolean()).map(([depth, array]) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = array ? [v] : { a: v };
  return v;
});

/** Values that have no business in a market-data field. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(NaN, Infinity, -Infinity, 0, -0, -1, -0.01, 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER + 2, null, true, false, '', '  ', [], {}),
  cents.map((p) => String(p)),
  cents.map((p) => -p),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom<unknown>({ toString: 1 }, { valueOf: 1, toString: 1 }, { toString: 'x' }, ['__proto__'], { __proto__: null }),
  fc.constantFrom('1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999999999Z', '2024-06-03T25:61:61Z', '2024-13-40T00:00:00Z', '2024-06-03T14:30:00+02:00', 'yesterday'),
  fc.constantFrom(0, 1, -1, 1e15, 8.64e15 + 1, NOW - 86_400_000 * 365 * 30, NOW + 86_400_000 * 365),
  fc.jsonValue({ maxDepth: 3 }),
  deep(300),
);

/** Own `__proto__` / `constructor` keys, as JSON.parse makes them (not a prototype change). */
const prototypeKeys = fc.constantFrom('{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"__proto__":{"__proto__":{"polluted":1}}}').map((t) => JSON.parse(t) as Record<string, unknown>);

const strangeType = fc.oneof(fc.constantFrom<unknown>('d', 'c', 'x', 'i', 'n', 'zz', 'T', 'status2', ''), hostile);
const strangeSymbol = fc.oneof(fc.constantFrom('ZZZZ', 'aapl', 'IBM', 'BRK.B', '', ' AAPL'), fc.string({ maxLength: 12 }));

/**
 * Valid messages, and each of them mutated once (a field removed or replaced by a hostile value,
 * two fields replaced, an unknown or hostile type, an unknown symbol, own `__proto__` /
 * `constructor` keys at the top or nested), in a mix: about 40 % valid.
 */
function mix(valid: fc.Arbitrary<Record<string, unknown>>, typeKey: 'T' | 'ev', binary: boolean): fc.Arbitrary<Record<string, unknown>> {
  const symbolKey = typeKey === 'T' ? 'S' : 'sym';
  // msgpack refuses a whole frame with a `__proto__` key anywhere (one unparseable message): those get frames of their own there.
  const keys = binary ? prototypeKeys.filter((k) => !Object.hasOwn(k, '__proto__')) : prototypeKeys;
  const pick = (message: Record<string, unknown>, k: number): string => {
    const names = Object.keys(message);
    return names[k % names.length] as string;
  };
  const mutation = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.tuple(valid, fc.nat()).map(([message, k]) => {
        const copy = { ...message };
        delete copy[pick(message, k)];
        return copy;
      }),
    },
    { weight: 5, arbitrary: fc.tuple(valid, fc.nat(), hostile).map(([message, k, v]) => ({ ...message, [pick(message, k)]: v })) },
    { weight: 2, arbitrary: fc.tuple(valid, fc.nat(), fc.nat(), hostile, hostile).map(([message, a, b, va, vb]) => ({ ...message, [pick(message, a)]: va, [pick(message, b)]: vb })) },
    { weight: 2, arbitrary: fc.tuple(valid, strangeType).map(([message, type]) => ({ ...message, [typeKey]: type })) },
    { weight: 2, arbitrary: fc.tuple(valid, strangeSymbol).map(([message, symbol]) => ({ ...message, [symbolKey]: symbol })) },
    { weight: 1, arbitrary: fc.tuple(valid, keys).map(([message, extra]) => Object.assign(JSON.parse(JSON.stringify(extra)) as Record<string, unknown>, message)) },
    { weight: 1, arbitrary: fc.tuple(valid, keys).map(([message, extra]) => ({ ...message, nested: extra })) },
  );
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: mutation, weight: 6 });
}

// ---- Alpaca (PROTOCOLS.md §1) ---------------------------------------------------------------

function alpacaMessage(binary: boolean): fc.Arbitrary<Record<string, unknown>> {
  const t = alpacaTime(binary);
  const trade = fc.record({ T: fc.constant('t'), i: fc.integer({ min: 1, max: 60 }), S: knownSymbol, x: letter, p: cents, s: shares, t, c: fc.array(fc.constantFrom('@', 'I', 'F', 'T', 'Z', 'U', '4', 'W'), { maxLength: 3 }), z: fc.constantFrom('A', 'B', 'C') });
  const quote = fc
    .record({ T: fc.constant('q'), S: knownSymbol, bx: letter, bp: cents, bs: shares, ax: letter, spread: fc.integer({ min: 0, max: 50 }), as: shares, t, c: fc.constant(['R']), z: fc.constantFrom('A', 'B', 'C') })
    .map(({ spread, ...q }) => ({ ...q, ap: Math.round(q.bp * 100 + spread) / 100 }));
  const bar = fc
    .record({ T: fc.constantFrom('b', 'u'), S: knownSymbol, o: cents, c: cents, v: shares, t, n: fc.nat(5_000), vw: cents })
    .map((b) => ({ ...b, h: Math.max(b.o, b.c) + 0.01, l: Math.max(0.01, Math.min(b.o, b.c) - 0.01) }));
  const status = fc.record({ T: fc.constant('s'), S: knownSymbol, sc: fc.constantFrom('H', 'T', 'Q', 'P', '2', '3'), sm: fc.constantFrom('Trading Halt', 'Resume'), rc: fc.constantFrom('T12', 'LUDP'), rm: fc.string({ maxLength: 30 }), t, z: fc.constantFrom('A', 'C') });
  const luld = fc.record({ T: fc.constant('l'), S: knownSymbol, u: cents, d: cents, i: fc.constantFrom('A', 'B'), t, z: fc.constantFrom('A', 'C') });
  const unused = fc.record({ T: fc.constantFrom('d', 'c', 'x'), S: knownSymbol, t });
  const control = fc.oneof(
    fc.record({ T: fc.constant('success'), msg: fc.constantFrom('connected', 'authenticated') }),
    // 405 and a code that is not terminal: the stream keeps going (a terminal code fails it, still harmless here).
    fc.record({ T: fc.constant('error'), code: fc.constantFrom(405, 407, 500, 402, 406, -1, 1e9), msg: fc.string({ maxLength: 40 }) }),
    fc.record({ T: fc.constant('subscription'), trades: fc.array(knownSymbol, { maxLength: 3 }), quotes: fc.array(knownSymbol, { maxLength: 3 }), bars: fc.oneof(fc.array(knownSymbol), hostile) }),
  );
  const valid = fc.oneof({ arbitrary: trade, weight: 5 }, { arbitrary: quote, weight: 5 }, { arbitrary: bar, weight: 2 }, { arbitrary: status, weight: 1 }, { arbitrary: luld, weight: 1 }, { arbitrary: unused, weight: 1 }) as fc.Arbitrary<Record<string, unknown>>;
  return fc.oneof({ arbitrary: mix(valid, 'T', binary), weight: 19 }, { arbitrary: control as fc.Arbitrary<Record<string, unknown>>, weight: 1 });
}

// ---- Polygon (PROTOCOLS.md §5) --------------------------------------------------------------

function polygonMessage(): fc.Arbitrary<Record<string, unknown>> {
  const exchange = fc.integer({ min: 1, max: 21 });
  const trade = fc.record({ ev: fc.constant('T'), sym: knownSymbol, x: exchange, i: fc.integer({ min: 1, max: 60 }).map(String), z: fc.integer({ min: 1, max: 3 }), p: cents, s: shares, c: fc.array(fc.constantFrom(0, 12, 14, 37, 41, 52), { maxLength: 3 }), t: nearMs, q: fc.nat() });
  const quote = fc
    .record({ ev: fc.constant('Q'), sym: knownSymbol, bx: exchange, bp: cents, bs: fc.integer({ min: 0, max: 50 }), ax: exchange, spread: fc.integer({ min: 0, max: 50 }), as: fc.integer({ min: 0, max: 50 }), c: fc.constant(0), t: nearMs, q: fc.nat(), z: fc.integer({ min: 1, max: 3 }) })
    .map(({ spread, ...q }) => ({ ...q, ap: Math.round(q.bp * 100 + spread) / 100 }));
  const aggregate = fc
    .record({ ev: fc.constant('AM'), sym: knownSymbol, v: shares, av: fc.nat(), op: cents, vw: cents, o: cents, c: cents, a: cents, z: fc.nat(1_000), s: nearMs })
    .map((b) => ({ ...b, h: Math.max(b.o, b.c) + 0.01, l: Math.max(0.01, Math.min(b.o, b.c) - 0.01), e: b.s + 60_000 }));
  const status = fc.record({
    ev: fc.constant('status'),
    status: fc.oneof(fc.constantFrom('connected', 'auth_success', 'auth_failed', 'success', 'max_connections', 'error', 'unknown'), hostile),
    message: fc.oneof(fc.string({ maxLength: 40 }), hostile),
  });
  const valid = fc.oneof({ arbitrary: trade, weight: 5 }, { arbitrary: quote, weight: 5 }, { arbitrary: aggregate, weight: 2 }) as fc.Arbitrary<Record<string, unknown>>;
  return fc.oneof({ arbitrary: mix(valid, 'ev', false), weight: 19 }, { arbitrary: status as fc.Arbitrary<Record<string, unknown>>, weight: 1 });
}

// ---- frames --------------------------------------------------------------------------------

const encodeText = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const encodeBinary = (value: unknown): Buffer => Buffer.from(msgpackEncode(value, { maxDepth: 10_000 }));

/**
 * A frame nested `depth` levels (`{"a":{"a":…1}}` or `[[…1]]`), optionally inside one more array,
 * written byte by byte: encoding it with the (recursive) encoders can overflow the test's own
 * stack, depending on the stack left at that moment.
 */
function deepFrame(depth: number, array: boolean, wrapped: boolean, binary: boolean): Buffer {
  if (binary) {
    // msgpack: fixarray of 1 (0x91), or fixmap of 1 (0x81) with the key "a" (0xa1 0x61); the leaf is 1.
    const level = array ? [0x91] : [0x81, 0xa1, 0x61];
    const bytes: number[] = wrapped ? [0x91] : [];
    for (let i = 0; i < depth; i++) bytes.push(...level);
    bytes.push(0x01);
    return Buffer.from(bytes);
  }
  const [open, close] = array ? ['[', ']'] : ['{"a":', '}'];
  const text = `${open.repeat(depth)}1${close.repeat(depth)}`;
  return Buffer.from(wrapped ? `[${text}]` : text);
}

/**
 * Frames of `message`s: whole arrays (some with a message repeated, or two swapped: duplicates
 * and out-of-order), and broken frames (truncated, bytes flipped, invalid UTF-8, garbage, empty
 * array, a non-array top level, deep nesting).
 */
function frames(message: fc.Arbitrary<Record<string, unknown>>, binary: boolean): fc.Arbitrary<Frame> {
  const encode = binary ? encodeBinary : encodeText;
  const list = fc.array(message, { minLength: 1, maxLength: 60, size: 'medium' });
  const whole = list.map((messages) => encode(messages));
  const replayed = fc.tuple(list, fc.nat()).map(([messages, k]) => {
    const picked = messages[k % messages.length] as Record<string, unknown>;
    return encode([...messages, picked, ...messages.slice(0, 3)]);
  });
  const truncated = fc.tuple(whole, fc.nat()).map(([data, k]) => data.subarray(0, k % data.length));
  const flipped = fc.tuple(whole, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })).map(([data, flips]) => {
    const copy = Buffer.from(data);
    for (const [at, byte] of flips) copy[at % copy.length] = byte;
    return copy;
  });
  const badUtf8 = fc.tuple(whole, fc.nat()).map(([data, k]) => {
    const at = k % data.length;
    return Buffer.concat([data.subarray(0, at), Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]), data.subarray(at)]);
  });
  const garbage = fc.uint8Array({ minLength: 0, maxLength: 200 }).map((bytes) => Buffer.from(bytes));
  const odd = fc.oneof(
    fc.oneof(fc.constantFrom<unknown>([], 0, -1, 'hello', null, true, [null, 1, 'x', [], true]), fc.jsonValue({ maxDepth: 4 })).map((v) => encode(v)),
    fc.tuple(fc.integer({ min: 20, max: 3_000 }), fc.boolean(), fc.boolean()).map(([depth, array, wrapped]) => deepFrame(depth, array, wrapped, binary)),
  );
  const deepText = fc.integer({ min: 1, max: 20_000 }).map((n) => Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`));
  const protoFrame = fc.tuple(message, prototypeKeys).map(([m, extra]) => encode([Object.assign(JSON.parse(JSON.stringify(extra)) as Record<string, unknown>, m)]));
  const broken = fc.oneof(truncated, flipped, badUtf8, garbage, odd, protoFrame, ...(binary ? [] : [deepText]));
  return fc.oneof({ arbitrary: whole, weight: 12 }, { arbitrary: replayed, weight: 3 }, { arbitrary: broken, weight: 3 }).map((data) => ({ data, binary }));
}

/** Reports a failure in a few lines (the default prints whole frames: megabytes of hostile strings). */
const compact = <T>(seed: number) => (details: fc.RunDetails<T>): void => {
  if (!details.failed) return;
  const example = JSON.stringify(details.counterexample, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v));
  throw new Error(`seed ${seed}, path ${details.counterexamplePath ?? '?'}: ${String(details.errorInstance)}\n${example.slice(0, 4_000)}`);
};

// ---- the drill -----------------------------------------------------------------------------

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
const ARRAY_PROTO_NAMES = Object.getOwnPropertyNames(Array.prototype).sort();

const finitePositive = (n: number) => Number.isFinite(n) && n > 0;
const finiteNonNegative = (n: number) => Number.isFinite(n) && n >= 0;

/**
 * Sends `batches` of frames through a fresh rig each run and checks the accounting; returns the
 * number of counted messages sent over all runs.
 */
function drill(provider: Provider, binary: boolean, seed: number, numRuns: number): number {
  const message = provider === 'alpaca' ? alpacaMessage(binary) : polygonMessage();
  let total = 0;
  fc.assert(
    fc.property(fc.array(frames(message, binary), { minLength: 1, maxLength: 8 }), (batch) => {
      const r = rig(provider, binary);
      try {
        let sent = 0;
        for (const frame of batch) {
          sent += countedMessages(provider, frame);
          r.send(frame); // nothing may throw out of the frame handler
        }
        total += sent;
        const dropped = r.stream.validator.dropped();
        const droppedTotal = Object.values(dropped).reduce((a, b) => a + b, 0);
        // Accounting: every counted message is accepted or dropped under one known reason.
        expect(Object.keys(dropped).every((reason) => (DROP_REASONS as readonly string[]).includes(reason))).toBe(true);
        expect(r.stream.messages).toBe(r.accepted.length);
        expect(r.stream.messages + droppedTotal).toBe(sent);
        // The health window says the same.
        const health = r.feed.health();
        expect(health.messages).toBe(r.stream.messages);
        expect(health.dropped).toEqual(dropped);
        // Accepted events are about subscribed symbols; accepted quotes and trades are sane.
        const passing = new Set<Quote | Trade>();
        const insane: MarketEvent[] = [];
        for (const event of r.accepted) {
          let ok = SYMBOLS.includes(eventSymbol(event));
          if (event.kind === 'quote') {
            const q = event.quote;
            ok &&= finitePositive(q.bid) && finitePositive(q.ask) && finiteNonNegative(q.bidSize) && finiteNonNegative(q.askSize) && Number.isFinite(q.time) && q.bid - q.ask <= 0.01 + 1e-9;
            passing.add(q);
          } else if (event.kind === 'trade') {
            const t = event.trade;
            ok &&= finitePositive(t.price) && finiteNonNegative(t.size) && Number.isFinite(t.time);
            passing.add(t);
          } else if (event.kind === 'bar') {
            const b = event.bar;
            ok &&= [b.open, b.high, b.low, b.close].every(finitePositive) && finiteNonNegative(b.volume);
          }
          if (!ok) insane.push(event);
        }
        expect(insane).toEqual([]);
        // Nothing dropped reaches the engine, and nothing accepted is lost on the way.
        expect(r.sunk.every((x) => passing.has(x))).toBe(true);
        expect(r.sunk.length).toBe(passing.size);
        // No prototype pollution.
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_NAMES);
        expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(ARRAY_PROTO_NAMES);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      } finally {
        r.feed.stop();
      }
    }),
    { seed, numRuns, endOnFailure: true, reporter: compact(seed) },
  );
  return total;
}

describe('market-data fuzz (fast-check): malformed and hostile frames never crash the feed, and every message is counted', () => {
  // Together at least 100 000 counted messages (each test checks its share).
  it('Alpaca JSON text frames (seed 7001)', { timeout: 30_000 }, () => {
    expect(drill('alpaca', false, 7_001, 400)).toBeGreaterThan(40_000);
  });

  it('Alpaca msgpack binary frames (seed 7002)', { timeout: 30_000 }, () => {
    expect(drill('alpaca', true, 7_002, 320)).toBeGreaterThan(32_000);
  });

  it('Polygon JSON frames (seed 7003)', { timeout: 30_000 }, () => {
    expect(drill('polygon', false, 7_003, 320)).toBeGreaterThan(32_000);
  });
});
