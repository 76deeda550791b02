/**
 * `npm run bench`: speed of the engine on real recorded data (IBM + SPY, 2013-10-07), written to
 * bench-results/latest.json. Each figure is the median of several runs; the bare-limit figure
 * (iterating the same events with no work) is measured in the same run.
 *
 * - engine_events_per_s: decoded quotes and trades through the engine core as the issue defines
 *   it: validate (FeedValidator: crossed, stale, duplicate, out of order) → NBBO state, bars on
 *   every timeframe, the default indicators, screeners, paper-broker matching, marking,
 *   publishing to one window subscribed to everything, a flush per 16k events ≈ one frame at 1M
 *   events/s.
 * - engine_p50_us / engine_p99_us: time the engine core spends on one event.
 * - bars_indicators_trades_per_s: prints through bars (1m…1d) + indicators alone.
 * - indicator_updates_per_s: closed-bar updates of all 17 indicators together for one symbol
 *   (the 1-minute bars of the session, repeated); indicator_previews_per_s: the same as forming-bar
 *   revisions (what every print costs a watched chart).
 * - risk_checks_per_s: the full pre-trade check of one order (all limits, buying power).
 * - order_path_p50_ms / order_path_p99_ms: a `placeOrder` command from a window to the paper
 *   broker's fill and the reply, including the durable SQLite writes as the engine does them
 *   (WAL, synchronous=NORMAL, one fsync of the WAL before the reply);
 *   order_path_fsync_every_commit_*: the same with synchronous=FULL (an fsync per commit);
 *   order_path_no_fsync_*: with no fsync at all (synchronous=OFF), the code path's own time.
 * - wire_events_per_s / wire_bare_parse_events_per_s / wire_ratio: the same recorded session as
 *   Alpaca stream frames (JSON, 100 messages a frame, as the stream double sends them) through
 *   decode → normalized events (the wire stage; validation is the engine core's first step and
 *   counted there), against bare `JSON.parse` of the same frames, paired in each run.
 *   wire_validated_events_per_s: the same with validation, for reference.
 * - feed_events_per_s, feed_p50_us / feed_p99_us: those frames through decode → normalize →
 *   validate → the engine (bars on every timeframe, 17-indicator default set, NBBO, paper broker,
 *   publishing), per frame divided by its messages.
 * - recording_ticks_per_s: quotes and trades into recordings.db (batched transactions);
 *   recording_hot_path_p99_increase_pct: the feed path's p99 per message with recording on
 *   against off (live engine, same frames, runs alternated, medians of 5).
 * - alpaca_ack_p50_ms / alpaca_ack_p99_ms: an order placed through the Alpaca adapter until it is
 *   acknowledged (`new`), against the Alpaca trading double on loopback (REST POST + the
 *   trade_updates stream): the adapter's own overhead, without the internet's.
 * - indicator_<name>_*: ours against technicalindicators and trading-signals, incremental updates
 *   on every SPY trade price, and their numerical agreement (tests/bench/indicator-comparison.ts).
 * - endurance_*: the whole recorded session replayed three times through one engine, memory after
 *   each run (tests/bench/endurance.ts).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Quote, Trade } from '../../shared/domain';
import { Engine } from '../../electron/engine/engine';
import { SymbolBars } from '../../electron/engine/bars/symbol-bars';
import { ALL_INDICATORS, IndicatorSet } from '../../electron/engine/indicators/indicator-set';
import { DEFAULT_SETTINGS, type Bar } from '../../shared/domain';
import { checkOrder } from '../../electron/engine/risk/pre-trade-checks';
import { ReplayFeed } from '../../electron/engine/feeds/replay-feed';
import type { MarketDataFeed } from '../../electron/engine/feeds/market-data-feed';
import { openDatabase } from '../../electron/engine/store/database';
import { LEAN_DIR, REPO_ROOT } from '../support/shared-data';
import { openAlpacaDesk, startDouble } from '../support/alpaca-desk';
import { waitFor } from '../support/wait-for';
import { alpacaConditionCodes, rfc3339Nano } from '../doubles/alpaca-stream-double';
import { loadRecordedEvents } from '../doubles/recorded-stream';
import { decodeAlpacaFrame, parseAlpacaMessage } from '../../electron/engine/feeds/alpaca-messages';
import { FeedValidator } from '../../electron/engine/feeds/feed-validator';
import type { MarketEvent } from '../../electron/engine/feeds/stream-events';
import { percentileOfSorted } from '../../electron/engine/stats/percentile';
import { TickRecorder } from '../../electron/engine/store/tick-recorder';
import { orderRequest } from '../support/trading-desk';
import { runRendererBenchmarks } from './renderer';
import { runIndicatorComparison } from './indicator-comparison';
import { runEndurance } from './endurance';
import { runTickToScreenBenchmark } from './tick-to-screen';

type Event = { quote: Quote } | { trade: Trade };

/** The decoded events as the engine core receives them from a feed (validated first). */
function marketEvents(events: readonly Event[]): MarketEvent[] {
  return events.map((e): MarketEvent => ('trade' in e ? { kind: 'trade', trade: e.trade, id: null } : { kind: 'quote', quote: e.quote }));
}
const RUNS = 5;
const SYMBOLS = ['IBM', 'SPY'];

async function loadEvents(): Promise<Event[]> {
  const feed = new ReplayFeed({ dir: LEAN_DIR, symbols: SYMBOLS, date: '2013-10-07', speed: 'max' });
  const events: Event[] = [];
  await new Promise<void>((resolve) => {
    feed.start({
      onQuote: (quote) => events.push({ quote }),
      onTrade: (trade) => events.push({ trade }),
      onClock: () => undefined,
      onHealth: (h) => h.state === 'ended' && resolve(),
    });
  });
  return events;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const percentile = (sorted: Float64Array, p: number): number => percentileOfSorted(sorted, p) ?? Number.NaN;

function idleFeed(live = false): MarketDataFeed {
  return {
    live,
    symbols: SYMBOLS,
    previousClose: () => null,
    start: () => undefined,
    stop: () => undefined,
    health: () => ({ provider: 'replay', state: 'live', symbols: SYMBOLS, messages: 0, dropped: {}, clock: null, speed: null, detail: null }),
  };
}

function runEngine(events: readonly MarketEvent[], latencies: Float64Array | null): number {
  const db = openDatabase({ path: join(mkdtempSync(join(tmpdir(), 'tw-bench-')), 'bench.db') });
  const engine = new Engine({ feed: idleFeed(), db, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
  let delivered = 0;
  engine.connect('bench', (m) => {
    if (m.type === 'events') delivered += m.events.length;
  });
  const topics = ['orders', 'positions', ...SYMBOLS.flatMap((s) => [`quotes:${s}`, `bars:${s}:1m`])];
  engine.handleRequest('bench', { id: 1, command: { type: 'subscribe', topics } });
  let clock = 0;
  const validator = new FeedValidator({ now: () => clock, maxClockSkewMs: Infinity });
  let accepted = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as MarketEvent;
    const t0 = latencies ? process.hrtime.bigint() : 0n;
    if (validator.check(e) === null) {
      accepted++;
      if (e.kind === 'trade') {
        clock = e.trade.time;
        engine.onTrade(e.trade);
      } else if (e.kind === 'quote') {
        clock = e.quote.time;
        engine.onQuote(e.quote);
      }
    }
    if (latencies) latencies[i] = Number(process.hrtime.bigint() - t0) / 1000;
    if ((i & 16_383) === 16_383) engine.flush();
  }
  engine.flush();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  db.close();
  if (delivered === 0) throw new Error('the engine published nothing');
  if (accepted < events.length * 0.99) throw new Error(`validated ${accepted} of ${events.length}`);
  return events.length / seconds;
}

function runBars(trades: readonly Trade[]): number {
  const series = new Map(SYMBOLS.map((s) => [s, new SymbolBars(s)]));
  const start = process.hrtime.bigint();
  for (const t of trades) series.get(t.symbol)?.addTrade(t);
  return trades.length / (Number(process.hrtime.bigint() - start) / 1e9);
}

function runIndicators(bars: readonly Bar[], preview: boolean): number {
  const set = new IndicatorSet(ALL_INDICATORS);
  const ctx = { vwap: { vwap: 100, sigma: 1 }, relativeVolume: 1 };
  const rounds = Math.ceil(200_000 / bars.length);
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (const bar of bars) {
      const values = preview ? set.preview(bar, ctx) : set.update(bar, ctx);
      sink += values.ema9 ?? 0;
    }
  }
  const rate = (rounds * bars.length) / (Number(process.hrtime.bigint() - start) / 1e9);
  if (Number.isNaN(sink)) throw new Error('unreachable');
  return rate;
}

function minuteBars(trades: readonly Trade[]): Bar[] {
  const bars: Bar[] = [];
  const series = new SymbolBars('IBM', (tf, bar) => tf === '1m' && bars.push(bar), { timeframes: ['1m'] });
  for (const t of trades) if (t.symbol === 'IBM') series.addTrade(t);
  series.finish();
  return bars;
}

function runRiskChecks(): number {
  const quote = { symbol: 'IBM', bid: 181.9, bidSize: 500, bidExchange: 'N', ask: 181.95, askSize: 500, askExchange: 'P', time: 0 };
  const ctx = {
    knownSymbols: new Set(['IBM', 'SPY']), quote, lastPrice: 181.93, limits: DEFAULT_SETTINGS.risk, buyingPower: 1e6, positionQuantity: 100, workingBuyQuantity: 0, workingSellQuantity: 0,
    openPositions: 3, riskState: 'active' as const, riskReason: null, ordersLastMinute: 2, tradesToday: 10,
  };
  const order = { symbol: 'IBM', side: 'buy' as const, quantity: 100, type: 'limit' as const, limitPrice: 181.9, timeInForce: 'day' as const };
  const n = 1_000_000;
  let rejected = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) if (checkOrder(order, ctx)) rejected++;
  const rate = n / (Number(process.hrtime.bigint() - start) / 1e9);
  if (rejected > 0) throw new Error('the benchmark order should pass');
  return rate;
}

/** Round trips of placeOrder (market, alternating buy and sell) through the engine, ms each. */
function runOrderPath(events: readonly Event[], synchronous: 'NORMAL' | 'FULL' | 'OFF'): Float64Array {
  const db = openDatabase({ path: join(mkdtempSync(join(tmpdir(), 'tw-bench-')), 'orders.db'), synchronous });
  const engine = new Engine({ feed: idleFeed(), db, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
  let replies = 0;
  engine.connect('bench', (m) => {
    if (m.type === 'reply') replies++;
  });
  const firstRegularQuote = events.find((e) => 'quote' in e && e.quote.symbol === 'IBM' && e.quote.time > Date.UTC(2013, 9, 7, 14, 0)) as { quote: Quote };
  engine.onQuote({ ...firstRegularQuote.quote, bidSize: 1e6, askSize: 1e6 });
  const n = 1_000;
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    engine.handleRequest('bench', { id: i + 1, command: { type: 'placeOrder', order: { symbol: 'IBM', side: i % 2 ? 'sell' : 'buy', quantity: 10, type: 'market', timeInForce: 'day' } } });
    times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  db.close();
  if (replies !== n) throw new Error(`expected ${n} replies, got ${replies}`);
  return times.sort();
}

/** Place → acknowledged through the Alpaca adapter and its double on loopback, ms each. */
async function runAlpacaAcks(n = 200): Promise<Float64Array> {
  const double = await startDouble(['IBM']);
  const desk = openAlpacaDesk(double, { limits: { maxOrdersPerMinute: 100_000, maxDailyTrades: 100_000 } });
  try {
    await waitFor('the Alpaca adapter ready', () => desk.alpaca.readiness().ready);
    desk.market(100, 100.02);
    const times = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      const placed = desk.manager.place(orderRequest({ type: 'limit', limitPrice: 99, quantity: 1 }));
      const id = placed.order?.id;
      await waitFor('the acknowledgement', () => desk.manager.allOrders().find((o) => o.id === id)?.status === 'new', 5_000, 0);
      times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
    return times.sort();
  } finally {
    desk.close();
    await double.close();
  }
}

/** The recorded IBM + SPY session as Alpaca stream frames (JSON text, 100 messages each). */
function alpacaFrames(): { frames: string[]; messages: number } {
  const recorded = loadRecordedEvents({ symbols: SYMBOLS, date: '2013-10-07' }).filter((e) => e.kind !== 'bar');
  const frames: string[] = [];
  for (let i = 0; i < recorded.length; i += 100) {
    const batch = recorded.slice(i, i + 100).map((e) =>
      e.kind === 'trade'
        ? { T: 't', S: e.symbol, i: e.id, x: e.exchange, p: e.price, s: e.size, c: alpacaConditionCodes(e.conditions, e.tape), t: rfc3339Nano(e.time), z: e.tape }
        : e.kind === 'quote'
          ? { T: 'q', S: e.symbol, bx: e.bidExchange, bp: e.bid, bs: e.bidSize, ax: e.askExchange, ap: e.ask, as: e.askSize, c: ['R'], t: rfc3339Nano(e.time), z: e.tape }
          : null,
    );
    frames.push(JSON.stringify(batch));
  }
  return { frames, messages: recorded.length };
}

/** Bare decode: `JSON.parse` of every frame, messages per second. */
function runWireBare(frames: readonly string[], messages: number): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (const frame of frames) sink += (JSON.parse(frame) as unknown[]).length;
  const rate = messages / (Number(process.hrtime.bigint() - start) / 1e9);
  if (sink !== messages) throw new Error(`decoded ${sink} of ${messages}`);
  return rate;
}

/** Our decode → normalize (→ validate with `validate`), messages per second. */
function runWire(frames: readonly string[], messages: number, validate = false): number {
  const state = new WireState();
  runWireFrames(frames, 0, frames.length, null, null, validate, state);
  return state.rateOf(messages);
}

/** Counters of a wire run carried across the slices of {@link runFeedWire}. */
class WireState {
  clock = 0;
  readonly validator = new FeedValidator({ now: () => this.clock, maxClockSkewMs: Infinity });
  accepted = 0;
  flushedAt = 0;
  k = 0;
  ns = 0;

  /** Messages per second over the time measured; throws when too few passed. */
  rateOf(messages: number): number {
    if (this.accepted < messages * 0.99) throw new Error(`validated ${this.accepted} of ${messages}`);
    return messages / (this.ns / 1e9);
  }
}

/**
 * The wire path into an engine as it runs live: frames in slices of 16 (≈ 1 600 messages), the
 * event loop turning between slices so the engine's timers (the recorder's 200 ms writes, a
 * full batch's write scheduled after its frame) run between frames, never inside one.
 */
async function runFeedWire(frames: readonly string[], messages: number, engine: Engine, latencies: Float64Array | null): Promise<number> {
  const state = new WireState();
  for (let from = 0; from < frames.length; from += 16) {
    runWireFrames(frames, from, Math.min(frames.length, from + 16), engine, latencies, true, state);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return state.rateOf(messages);
}

/** Frames `from`…`to` through decode → normalize (→ validate) (→ the engine), timed into `state`. */
function runWireFrames(frames: readonly string[], from: number, to: number, engine: Engine | null, latencies: Float64Array | null, validate: boolean, state: WireState): void {
  const { validator } = state;
  const start = process.hrtime.bigint();
  for (let f = from; f < to; f++) {
    const t0 = latencies ? process.hrtime.bigint() : 0n;
    const decoded = decodeAlpacaFrame(frames[f] as string, false) ?? [];
    for (const message of decoded) {
      const parsed = parseAlpacaMessage(message);
      if (parsed.ok !== true) continue;
      const event = parsed.event;
      if (validate && validator.check(event) !== null) continue;
      state.accepted++;
      if (!engine) continue;
      if (event.kind === 'trade') {
        state.clock = event.trade.time;
        engine.onTrade(event.trade);
      } else if (event.kind === 'quote') {
        state.clock = event.quote.time;
        engine.onQuote(event.quote);
      }
    }
    if (latencies) {
      const perMessage = Number(process.hrtime.bigint() - t0) / 1000 / Math.max(1, decoded.length);
      for (let j = 0; j < decoded.length && state.k < latencies.length; j++) latencies[state.k++] = perMessage;
    }
    if (engine && state.accepted - state.flushedAt >= 16_384) {
      engine.flush();
      state.flushedAt = state.accepted;
    }
  }
  state.ns += Number(process.hrtime.bigint() - start);
}

/**
 * The wire path into a fresh engine subscribed to everything. `live`: the engine treats the feed
 * as live (stores bars); `recording`: and records every tick (batched writes to recordings.db).
 */
async function runFeed(frames: readonly string[], messages: number, latencies: Float64Array | null, live = false, recording = false): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tw-bench-'));
  const db = openDatabase({ path: join(dir, 'feed.db') });
  const engine = new Engine({ feed: idleFeed(live), db, logger: { info: () => undefined, warn: () => undefined, error: () => undefined }, recordingPath: join(dir, 'recordings.db') });
  await engine.start();
  engine.connect('bench', () => undefined);
  engine.handleRequest('bench', { id: 0, command: { type: 'updateSettings', settings: { recording: { enabled: recording } } } });
  const topics = ['orders', 'positions', ...SYMBOLS.flatMap((s) => [`quotes:${s}`, `bars:${s}:1m`])];
  engine.handleRequest('bench', { id: 1, command: { type: 'subscribe', topics } });
  const rate = await runFeedWire(frames, messages, engine, latencies);
  engine.flush();
  engine.stop();
  db.close();
  return rate;
}

/** Recorded ticks per second into recordings.db: queue every tick, write in 16k-tick transactions. */
function runRecording(events: readonly Event[]): number {
  const recorder = new TickRecorder({ path: join(mkdtempSync(join(tmpdir(), 'tw-bench-')), 'recordings.db'), retentionDays: () => 3650, flushMs: 3_600_000, maxBatch: 16_384 });
  const start = process.hrtime.bigint();
  let queued = 0;
  for (const e of events) {
    if ('trade' in e) recorder.recordTrade(e.trade);
    else recorder.recordQuote(e.quote);
    if (++queued === 16_384) {
      recorder.flush();
      queued = 0;
    }
  }
  recorder.flush();
  const rate = events.length / (Number(process.hrtime.bigint() - start) / 1e9);
  if (recorder.stats().ticks !== events.length) throw new Error('recording lost ticks');
  recorder.close();
  return rate;
}

function runBare(events: readonly Event[]): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (const e of events) sink += 'trade' in e ? e.trade.size : e.quote.bidSize;
  const rate = events.length / (Number(process.hrtime.bigint() - start) / 1e9);
  if (sink < 0) throw new Error('unreachable');
  return rate;
}

async function main(): Promise<void> {
  // The windows first, while this process is small: its later heaps (the endurance run holds
  // hundreds of MB) would have V8's concurrent GC take CPU from Chromium on 2 cores.
  const windows = process.env.BENCH_RENDERER === '0' ? {} : { ...(await runRendererBenchmarks()), ...(await runTickToScreenBenchmark()) };
  const events = await loadEvents();
  const decoded = marketEvents(events);
  const trades = events.flatMap((e) => ('trade' in e ? [e.trade] : []));
  runEngine(decoded, null); // warm-up
  const rates: number[] = [];
  const bars: number[] = [];
  const bare: number[] = [];
  const indicatorUpdates: number[] = [];
  const indicatorPreviews: number[] = [];
  const ibmBars = minuteBars(trades);
  for (let r = 0; r < RUNS; r++) {
    rates.push(runEngine(decoded, null));
    bars.push(runBars(trades));
    bare.push(runBare(events));
    indicatorUpdates.push(runIndicators(ibmBars, false));
    indicatorPreviews.push(runIndicators(ibmBars, true));
  }
  const riskChecks = [runRiskChecks(), runRiskChecks(), runRiskChecks()];
  // As the engine runs (NORMAL + one fsync before the reply), and with an fsync per commit for comparison.
  const orderPath = runOrderPath(events, 'NORMAL');
  const orderPathEveryCommit = runOrderPath(events, 'FULL');
  // The code path alone: no fsync at all (never how the engine runs).
  const orderPathNoSync = runOrderPath(events, 'OFF');
  const alpacaAcks = await runAlpacaAcks();
  const wire = alpacaFrames();
  runWire(wire.frames, wire.messages); // warm-up
  const wireRates: number[] = [];
  const wireBare: number[] = [];
  const wireRatios: number[] = [];
  const wireValidated: number[] = [];
  const feedRates: number[] = [];
  for (let r = 0; r < 3 * RUNS; r++) {
    // Pairs in alternating order, so neither side always runs on a warmer (or fuller) heap.
    let ours: number;
    let bareRate: number;
    if (r % 2 === 0) {
      ours = runWire(wire.frames, wire.messages);
      bareRate = runWireBare(wire.frames, wire.messages);
    } else {
      bareRate = runWireBare(wire.frames, wire.messages);
      ours = runWire(wire.frames, wire.messages);
    }
    wireBare.push(bareRate);
    wireRates.push(ours);
    wireRatios.push(ours / bareRate);
    if (r < RUNS) {
      wireValidated.push(runWire(wire.frames, wire.messages, true));
      feedRates.push(await runFeed(wire.frames, wire.messages, null));
    }
  }
  const feedLatencies = new Float64Array(wire.messages);
  await runFeed(wire.frames, wire.messages, feedLatencies);
  feedLatencies.sort();
  const recordingRates = [runRecording(events), runRecording(events), runRecording(events)];
  // Hot path with and without recording, alternated, same live engine setup.
  const p99Without: number[] = [];
  const p99With: number[] = [];
  for (let r = 0; r < 5; r++) {
    for (const recording of r % 2 === 0 ? [false, true] : [true, false]) {
      const lat = new Float64Array(wire.messages);
      await runFeed(wire.frames, wire.messages, lat, true, recording);
      lat.sort();
      (recording ? p99With : p99Without).push(percentile(lat, 0.99));
    }
  }
  process.stderr.write(`hot-path p99 µs without recording ${p99Without.map((v) => v.toFixed(1)).join(' ')}, with ${p99With.map((v) => v.toFixed(1)).join(' ')}\n`);
  const latencies = new Float64Array(events.length);
  runEngine(decoded, latencies);
  latencies.sort();
  const indicatorComparison = runIndicatorComparison({ runs: RUNS });
  const endurance = await runEndurance({ runs: 3 });
  const results = {
    machine: `${process.platform} ${process.arch}, node ${process.version}`,
    data: 'IBM + SPY 2013-10-07 (Lean ticks), normalized quotes and trades',
    events: events.length,
    runs: RUNS,
    engine_events_per_s: Math.round(median(rates)),
    engine_p50_us: Number(percentile(latencies, 0.5).toFixed(2)),
    engine_p99_us: Number(percentile(latencies, 0.99).toFixed(2)),
    bars_indicators_trades_per_s: Math.round(median(bars)),
    indicators: ALL_INDICATORS.length,
    indicator_updates_per_s: Math.round(median(indicatorUpdates)),
    indicator_previews_per_s: Math.round(median(indicatorPreviews)),
    bare_iteration_events_per_s: Math.round(median(bare)),
    risk_checks_per_s: Math.round(median(riskChecks)),
    order_path_p50_ms: Number(percentile(orderPath, 0.5).toFixed(3)),
    order_path_p99_ms: Number(percentile(orderPath, 0.99).toFixed(3)),
    order_path_fsync_every_commit_p50_ms: Number(percentile(orderPathEveryCommit, 0.5).toFixed(3)),
    order_path_fsync_every_commit_p99_ms: Number(percentile(orderPathEveryCommit, 0.99).toFixed(3)),
    order_path_no_fsync_p50_ms: Number(percentile(orderPathNoSync, 0.5).toFixed(3)),
    order_path_no_fsync_p99_ms: Number(percentile(orderPathNoSync, 0.99).toFixed(3)),
    wire_messages: wire.messages,
    wire_events_per_s: Math.round(median(wireRates)),
    wire_bare_parse_events_per_s: Math.round(median(wireBare)),
    wire_ratio: Number(median(wireRatios).toFixed(3)),
    wire_validated_events_per_s: Math.round(median(wireValidated)),
    feed_events_per_s: Math.round(median(feedRates)),
    feed_p50_us: Number(percentile(feedLatencies, 0.5).toFixed(2)),
    feed_p99_us: Number(percentile(feedLatencies, 0.99).toFixed(2)),
    recording_ticks_per_s: Math.round(median(recordingRates)),
    recording_hot_path_p99_us: Number(median(p99With).toFixed(2)),
    recording_off_hot_path_p99_us: Number(median(p99Without).toFixed(2)),
    recording_hot_path_p99_increase_pct: Number(((median(p99With) / median(p99Without) - 1) * 100).toFixed(1)),
    alpaca_ack_p50_ms: Number(percentile(alpacaAcks, 0.5).toFixed(3)),
    alpaca_ack_p99_ms: Number(percentile(alpacaAcks, 0.99).toFixed(3)),
    ...indicatorComparison,
    ...endurance,
    // Windows in Chromium through the headless host (needs `npm run build`; BENCH_RENDERER=0 skips).
    ...windows,
  };
  const dir = join(REPO_ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

void main();
