/**
 * A recorded market session as provider-neutral stream events, for the market-data stream doubles
 * (`alpaca-stream-double.ts`, `polygon-stream-double.ts`). Tests only: the data stays in
 * `../shared/data/lean` (see its README) and is never copied into the repository.
 *
 * Per symbol and date it reads the Lean tick trades, the tick quotes and the vendor's minute trade
 * bars (each optional: a missing file just yields no events of that kind) and returns one
 * time-ordered array:
 * - `trade`: every print the vendor did not flag as suspicious, with Lean's condition bit mask;
 * - `quote`: the NBBO derived from the per-exchange top-of-book rows with the app's own
 *   {@link NbboBook} (one event per NBBO change), as a SIP quote feed carries it;
 * - `bar`: the vendor's minute bars, placed at the END of their minute (when a live feed sends
 *   them), with trade count and VWAP computed from the volume-eligible tick trades of the minute
 *   (typical price (h+l+c)/3 and 0 trades when the symbol has no ticks) and running day totals.
 *
 * Ordering: by time; at equal times bars, then quotes, then trades; then by the order of
 * `symbols`. Trade ids and sequence numbers are numbered over the whole day, so they do not
 * change with the window.
 */
import { NbboBook } from '../../electron/engine/feeds/nbbo-book';
import {
  RecordingNotFoundError,
  leanPath,
  parseLeanTickQuotes,
  parseLeanTickTrades,
  readLeanMinuteTradeBars,
  readZippedCsv,
  type ParseCounts,
} from '../../electron/engine/feeds/lean-data';
import { updatesVolume } from '../../electron/engine/bars/trade-eligibility';
import { exchangeTimeToEpoch } from '../../electron/engine/market/session-clock';
import { LEAN_DIR } from '../support/shared-data';

/** SIP tape: A = NYSE-listed, B = NYSE Arca/American/regional-listed, C = Nasdaq-listed. */
export type Tape = 'A' | 'B' | 'C';

/** One print. Prices USD, size shares, time ms since epoch. */
export interface RecordedTrade {
  readonly kind: 'trade';
  readonly symbol: string;
  readonly time: number;
  readonly price: number;
  readonly size: number;
  /** CTA/UTP participant letter (e.g. `N`, `Q`, `D`). */
  readonly exchange: string;
  /** Lean `TradeConditionFlags` bit mask (`shared/trade-conditions.ts`), as recorded. */
  readonly conditions: number;
  readonly tape: Tape;
  /** Trade id: 1-based number of the print in the symbol's day. */
  readonly id: number;
  /** Sequence number over the symbol's trades and quotes of the day (1-based, rising). */
  readonly seq: number;
}

/** One NBBO change. Prices USD, sizes shares (summed over the exchanges at the best price). */
export interface RecordedQuote {
  readonly kind: 'quote';
  readonly symbol: string;
  readonly time: number;
  readonly bid: number;
  readonly bidSize: number;
  readonly bidExchange: string;
  readonly ask: number;
  readonly askSize: number;
  readonly askExchange: string;
  readonly tape: Tape;
  readonly seq: number;
}

/** One vendor minute bar, emitted at `time` = `openTime` + 60 000 (the end of its minute). */
export interface RecordedBar {
  readonly kind: 'bar';
  readonly symbol: string;
  readonly time: number;
  /** Start of the minute, ms since epoch. */
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Shares (vendor volume). */
  readonly volume: number;
  /** Volume-eligible tick trades in the minute (0 when the symbol has no tick file). */
  readonly tradeCount: number;
  /** VWAP of those trades, USD (typical price when there are none). */
  readonly vwap: number;
  /** Official open: open of the 09:30 ET bar once the session has opened, else of the day's first bar. */
  readonly dayOpen: number;
  /** Shares traded since the day's first bar, this bar included. */
  readonly dayVolume: number;
  /** Volume-weighted average of the bars' VWAPs since the day's first bar, USD. */
  readonly dayVwap: number;
  readonly tape: Tape;
}

export type RecordedEvent = RecordedTrade | RecordedQuote | RecordedBar;

/** What to load with {@link loadRecordedEvents}. */
export interface RecordedSessionOptions {
  /** Folder holding `equity/usa/...` (default `../shared/data/lean`). */
  readonly leanDir?: string;
  /** Symbols, upper case, e.g. `['IBM', 'SPY']`. */
  readonly symbols: readonly string[];
  /** Trading date `YYYY-MM-DD`, e.g. `2013-10-07`. */
  readonly date: string;
  /** Keep events with `fromMs <= time` (ms since epoch). */
  readonly fromMs?: number;
  /** Keep events with `time < toMs` (ms since epoch). */
  readonly toMs?: number;
  /** Listing tape per symbol (default: `B` for SPY, else `A`). */
  readonly tapes?: Readonly<Record<string, Tape>>;
}

const KIND_ORDER: Readonly<Record<RecordedEvent['kind'], number>> = { bar: 0, quote: 1, trade: 2 };
const DEFAULT_TAPES: Readonly<Record<string, Tape>> = { SPY: 'B' };
const cache = new Map<string, readonly RecordedEvent[]>();

/** ms since epoch of exchange wall-clock `hhmm` (`HH:MM` or `HH:MM:SS`, America/New_York) on `date`. */
export function exchangeTime(date: string, hhmm: string): number {
  const [h = 0, m = 0, s = 0] = hhmm.split(':').map(Number);
  return exchangeTimeToEpoch(date, ((h * 60 + m) * 60 + s) * 1000);
}

function readOptional<T>(read: () => T[]): T[] {
  try {
    return read();
  } catch (e) {
    if (e instanceof RecordingNotFoundError) return [];
    throw e;
  }
}

function loadSymbolDay(dir: string, symbol: string, date: string, tape: Tape): readonly RecordedEvent[] {
  const key = `${dir}|${symbol}|${date}|${tape}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const counts: ParseCounts = { rows: 0, malformed: 0, suspicious: 0 };
  const trades = readOptional(() => parseLeanTickTrades(readZippedCsv(leanPath(dir, 'tick', symbol, date, 'trade')), symbol, date, counts));
  const updates = readOptional(() => parseLeanTickQuotes(readZippedCsv(leanPath(dir, 'tick', symbol, date, 'quote')), symbol, date, counts));
  const minuteBars = readOptional(() => readLeanMinuteTradeBars(dir, symbol, date));

  const ticks: Array<RecordedTrade | RecordedQuote> = [];
  let id = 0;
  for (const t of trades) {
    ticks.push({ kind: 'trade', symbol, time: t.time, price: t.price, size: t.size, exchange: t.exchange, conditions: t.conditions, tape, id: ++id, seq: 0 });
  }
  const book = new NbboBook(symbol);
  for (const u of updates) {
    const q = book.apply(u.exchange, u.bid, u.bidSize, u.ask, u.askSize, u.time);
    if (q) ticks.push({ kind: 'quote', symbol, time: q.time, bid: q.bid, bidSize: q.bidSize, bidExchange: q.bidExchange, ask: q.ask, askSize: q.askSize, askExchange: q.askExchange, tape, seq: 0 });
  }
  ticks.sort((a, b) => a.time - b.time || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  const numbered = ticks.map((e, i) => ({ ...e, seq: i + 1 }));

  // Per-minute trade count and VWAP from the volume-eligible ticks.
  const perMinute = new Map<number, { n: number; pv: number; v: number }>();
  for (const t of trades) {
    if (!updatesVolume(t.conditions)) continue;
    const minute = t.time - (t.time % 60_000);
    const m = perMinute.get(minute) ?? { n: 0, pv: 0, v: 0 };
    m.n++;
    m.pv += t.price * t.size;
    m.v += t.size;
    perMinute.set(minute, m);
  }
  const regularOpen = exchangeTime(date, '09:30');
  const firstBarOpen = minuteBars[0]?.open ?? 0;
  const officialOpen = minuteBars.find((b) => b.openTime >= regularOpen)?.open ?? firstBarOpen;
  let dayVolume = 0;
  let dayPv = 0;
  const bars: RecordedBar[] = minuteBars.map((b) => {
    const m = perMinute.get(b.openTime);
    const vwap = m && m.v > 0 ? m.pv / m.v : (b.high + b.low + b.close) / 3;
    const dayOpen = b.openTime >= regularOpen ? officialOpen : firstBarOpen;
    dayVolume += b.volume;
    dayPv += vwap * b.volume;
    return {
      kind: 'bar',
      symbol,
      time: b.openTime + 60_000,
      openTime: b.openTime,
      open: b.open,
      high: b.high,
      low: b.low,
      close: b.close,
      volume: b.volume,
      tradeCount: m?.n ?? 0,
      vwap,
      dayOpen,
      dayVolume,
      dayVwap: dayVolume > 0 ? dayPv / dayVolume : vwap,
      tape,
    };
  });
  const events: RecordedEvent[] = [...bars, ...numbered].sort((a, b) => a.time - b.time || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  cache.set(key, events);
  return events;
}

/**
 * Loads the recorded session of `symbols` on `date` as one time-ordered array of events (see the
 * file header). Symbols or kinds without a recording yield nothing; other read errors throw.
 * Results are cached per symbol and day, so doubles started repeatedly in one test file are cheap.
 */
export function loadRecordedEvents(options: RecordedSessionOptions): RecordedEvent[] {
  const dir = options.leanDir ?? LEAN_DIR;
  const from = options.fromMs ?? -Infinity;
  const to = options.toMs ?? Infinity;
  const rank = new Map(options.symbols.map((s, i) => [s, i]));
  const all: RecordedEvent[] = [];
  for (const symbol of options.symbols) {
    const tape = options.tapes?.[symbol] ?? DEFAULT_TAPES[symbol] ?? 'A';
    for (const e of loadSymbolDay(dir, symbol, options.date, tape)) if (e.time >= from && e.time < to) all.push(e);
  }
  return all.sort(
    (a, b) => a.time - b.time || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (rank.get(a.symbol) ?? 0) - (rank.get(b.symbol) ?? 0),
  );
}
