/**
 * Endurance benchmark: the whole recorded 16-hour session (04:00–20:00 ET) of every symbol the
 * Lean data has ticks for on one date, replayed at maximum speed through one {@link Engine}
 * several times in a row, with the process's memory measured after each run (after a full GC).
 *
 * Setup, as close to the app as a benchmark gets: a real temp SQLite database, the paper broker,
 * the engine's own timers (`start()`: a flush per 16 ms, health per second), one window client
 * subscribed to every topic that drops whatever it is sent, and a market order every 5 minutes
 * of the regular session (alternating buy/sell, 10 shares of the first symbol).
 *
 * "Restarting the day": the engine has no API to swap its feed or begin a new session, so it is
 * kept (same engine, same database, same window) and each run is a new {@link ReplayFeed} over
 * the same files whose events are shifted forward by whole days (run k replays the date as date
 * + k days: 2013-10-07 → 08 → 09, Monday to Wednesday). The engine sees three consecutive trading
 * days: day volume, realized P&L and risk counters roll over as they would in a week-long
 * session; bars, orders, fills and alerts accumulate as they would.
 *
 * Memory: `global.gc()` (from `node --expose-gc` / `tsx --expose-gc`, or enabled at run time via
 * `v8.setFlagsFromString('--expose-gc')`), then `process.memoryUsage()` after each run. Growth is
 * measured from the end of run 1 (caches, JIT and the first day's state are in place by then).
 */
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FeedHealth, Quote, Symbol, Trade } from '../../shared/domain';
import { TIMEFRAMES } from '../../shared/domain';
import type { Topic } from '../../shared/protocol';
import { Engine } from '../../electron/engine/engine';
import { ReplayFeed } from '../../electron/engine/feeds/replay-feed';
import { readLeanPreviousClose, readLeanPriorMinuteSessions } from '../../electron/engine/feeds/lean-data';
import type { MarketDataFeed, MarketDataSink } from '../../electron/engine/feeds/market-data-feed';
import { sessionTimes } from '../../electron/engine/market/session-clock';
import { openDatabase } from '../../electron/engine/store/database';
import { LEAN_DIR } from '../support/shared-data';

const DAY_MS = 86_400_000;
const MB = 1024 * 1024;
/** Regular-session order cadence, ms of feed time. */
const ORDER_EVERY_MS = 5 * 60_000;

/** Memory after one run, MB. */
export interface EnduranceSample {
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly externalMb: number;
}

/** Figures of {@link runEndurance}; keys as they go into bench-results/latest.json. */
export interface EnduranceResults {
  readonly endurance_date: string;
  readonly endurance_symbols: string;
  readonly endurance_runs: number;
  /** Quotes + trades delivered per run (the same every run). */
  readonly endurance_events: number;
  readonly endurance_events_per_s: readonly number[];
  readonly endurance_orders_per_run: number;
  /** RSS after each run (after GC), and before the first, MB. */
  readonly endurance_rss_before_mb: number;
  readonly endurance_rss_mb: readonly number[];
  readonly endurance_heap_before_mb: number;
  readonly endurance_heap_mb: readonly number[];
  /** After the last run − after the first, MB (target < 50). */
  readonly endurance_rss_growth_mb: number;
  readonly endurance_heap_growth_mb: number;
}

/** `global.gc`, enabling it at run time when node was started without `--expose-gc`. */
export function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Symbols with tick trades recorded on `date` (`YYYY-MM-DD`), upper case, sorted. */
export function recordedSymbols(date: string): Symbol[] {
  const dir = join(LEAN_DIR, 'equity', 'usa', 'tick');
  const file = `${date.replaceAll('-', '')}_trade.zip`;
  return readdirSync(dir)
    .filter((s) => existsSync(join(dir, s, file)))
    .map((s) => s.toUpperCase())
    .sort();
}

/** The engine's own feed: symbols and previous closes of the replay; the benchmark drives the data. */
function relayFeed(symbols: readonly Symbol[], date: string): MarketDataFeed {
  const health: FeedHealth = { provider: 'replay', state: 'live', symbols, messages: 0, dropped: {}, clock: null, speed: null, detail: null };
  // Read once, as ReplayFeed does: the engine asks on every closed minute (screeners).
  const closes = new Map(symbols.map((s) => [s, readLeanPreviousClose(LEAN_DIR, s, date)]));
  return {
    live: false,
    symbols,
    previousClose: (symbol) => closes.get(symbol) ?? null,
    priorMinuteSessions: (symbol) => readLeanPriorMinuteSessions(LEAN_DIR, symbol, date),
    start: () => undefined,
    stop: () => undefined,
    health: () => health,
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function sample(gc: () => void): Promise<EnduranceSample> {
  for (let i = 0; i < 3; i++) {
    await settle();
    gc();
  }
  const m = process.memoryUsage();
  return { rssMb: m.rss / MB, heapUsedMb: m.heapUsed / MB, externalMb: m.external / MB };
}

/**
 * One replay of the date, shifted by `shiftMs`, into `engine` at maximum speed.
 * Resolves with the events delivered and the wall time, s.
 */
function replayDay(engine: Engine, date: string, symbols: readonly Symbol[], shiftMs: number): Promise<{ events: number; orders: number; seconds: number }> {
  const feed = new ReplayFeed({ dir: LEAN_DIR, symbols, date, speed: 'max' });
  const times = sessionTimes(date);
  const trader = symbols[0] as Symbol;
  let events = 0;
  let orders = 0;
  let nextOrderAt = times.regularOpen + ORDER_EVERY_MS;
  let side: 'buy' | 'sell' = 'buy';
  const maybeOrder = (time: number): void => {
    if (time < nextOrderAt || time >= times.regularClose) return;
    nextOrderAt += ORDER_EVERY_MS;
    engine.handleRequest('endurance', { id: ++orders, command: { type: 'placeOrder', order: { symbol: trader, side, quantity: 10, type: 'market', timeInForce: 'day' } } });
    side = side === 'buy' ? 'sell' : 'buy';
  };
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const sink: MarketDataSink = {
      onQuote: (quote: Quote) => {
        events++;
        engine.onQuote({ ...quote, time: quote.time + shiftMs });
        if (quote.symbol === trader) maybeOrder(quote.time);
      },
      onTrade: (trade: Trade) => {
        events++;
        engine.onTrade({ ...trade, time: trade.time + shiftMs });
      },
      onClock: (time) => engine.onClock(time + shiftMs),
      onHealth: (health) => {
        engine.onHealth();
        if (health.state !== 'ended') return;
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        feed.stop();
        resolve({ events, orders, seconds });
      },
    };
    feed.start(sink);
  });
}

/**
 * Replays the full session of `date` `runs` times through one engine and measures memory after
 * each run. @throws when the data for `date` is absent or the engine published nothing.
 */
export async function runEndurance(options: { date?: string; runs?: number; log?: (line: string) => void } = {}): Promise<EnduranceResults> {
  const date = options.date ?? '2013-10-07';
  const runs = options.runs ?? 3;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const gc = exposeGc();
  const symbols = recordedSymbols(date);
  if (symbols.length === 0) throw new Error(`no tick data recorded for ${date} under ${LEAN_DIR}`);
  const dir = mkdtempSync(join(tmpdir(), 'tw-endurance-'));
  const db = openDatabase({ path: join(dir, 'endurance.db') });
  const engine = new Engine({ feed: relayFeed(symbols, date), db, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
  let delivered = 0;
  engine.connect('endurance', (m) => {
    if (m.type === 'events') delivered += m.events.length; // and dropped
  });
  const topics: Topic[] = ['orders', 'positions', 'health', 'settings', 'links', 'symbols', 'alerts', 'risk', 'layouts'];
  for (const s of symbols) topics.push(`quotes:${s}`, `trades:${s}`, ...TIMEFRAMES.map((tf) => `bars:${s}:${tf}` as const));
  engine.handleRequest('endurance', { id: 0, command: { type: 'subscribe', topics } });
  await engine.start();
  const before = await sample(gc);
  const after: EnduranceSample[] = [];
  const rates: number[] = [];
  let events = 0;
  let orders = 0;
  try {
    for (let r = 0; r < runs; r++) {
      const run = await replayDay(engine, date, symbols, r * DAY_MS);
      engine.flush();
      events = run.events;
      orders = run.orders;
      rates.push(Math.round(run.events / run.seconds));
      const m = await sample(gc);
      after.push(m);
      log(`endurance run ${r + 1}: ${run.events} events in ${run.seconds.toFixed(2)} s (${Math.round(run.events / run.seconds)}/s), ${run.orders} orders; RSS ${m.rssMb.toFixed(1)} MB, heap ${m.heapUsedMb.toFixed(1)} MB, external ${m.externalMb.toFixed(1)} MB`);
    }
  } finally {
    engine.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (delivered === 0) throw new Error('the engine published nothing');
  const firstRun = after[0] as EnduranceSample;
  const lastRun = after[after.length - 1] as EnduranceSample;
  const mb = (x: number): number => Number(x.toFixed(1));
  return {
    endurance_date: date,
    endurance_symbols: symbols.join(' '),
    endurance_runs: runs,
    endurance_events: events,
    endurance_events_per_s: rates,
    endurance_orders_per_run: orders,
    endurance_rss_before_mb: mb(before.rssMb),
    endurance_rss_mb: after.map((s) => mb(s.rssMb)),
    endurance_heap_before_mb: mb(before.heapUsedMb),
    endurance_heap_mb: after.map((s) => mb(s.heapUsedMb)),
    endurance_rss_growth_mb: mb(lastRun.rssMb - firstRun.rssMb),
    endurance_heap_growth_mb: mb(lastRun.heapUsedMb - firstRun.heapUsedMb),
  };
}
