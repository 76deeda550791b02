/**
 * Replays recorded market data (Lean tick files, `../shared/data/lean`, or the app's own
 * recordings, {@link TickRecorder}) as a live feed: several
 * symbols merged in exchange-time order, the NBBO derived from the exchange quote updates,
 * suspicious prints dropped, at 1×, 10×, 60×, 600× … or as fast as possible.
 *
 * `from` (HH:MM exchange time) fast-forwards: everything before it is delivered at once, so bars
 * and indicators are warm when paced replay begins.
 */
import type { Bar, FeedHealth, Quote, Symbol, Trade } from '../../../shared/domain';
import type { MarketDataFeed, MarketDataSink } from './market-data-feed';
import {
  type ExchangeQuoteUpdate,
  type ParseCounts,
  RecordingNotFoundError,
  leanPath,
  parseLeanTickQuotes,
  parseLeanTickTrades,
  readLeanPreviousClose,
  readLeanPriorMinuteSessions,
  readZippedCsv,
} from './lean-data';
import { existsSync } from 'node:fs';
import { NbboBook } from './nbbo-book';
import { parseExchangeTimeOfDay } from '../market/session-clock';
import { readRecordedSession } from '../store/tick-recorder';

export interface ReplayFeedOptions {
  /** Folder holding `equity/usa/…` (Lean files). */
  readonly dir: string;
  /** Replay the app's own recording (a `recordings.db` file) instead of Lean files. */
  readonly recording?: string;
  readonly symbols: readonly Symbol[];
  /** Trading date, `YYYY-MM-DD`. */
  readonly date: string;
  /** Feed-time multiplier, or `'max'` for as fast as possible. */
  readonly speed: number | 'max';
  /** Exchange time `HH:MM` to fast-forward to before pacing starts. */
  readonly from?: string;
}

type ReplayEvent =
  | { readonly time: number; readonly trade: Trade }
  | { readonly time: number; readonly quote: ExchangeQuoteUpdate }
  /** A recorded NBBO (the app's own recordings store the NBBO itself). */
  | { readonly time: number; readonly nbbo: Quote };

/** Events delivered per timer turn, so commands interleave with a fast replay. */
const CHUNK = 5_000;
const TICK_MS = 10;

export class ReplayFeed implements MarketDataFeed {
  readonly live = false;
  readonly symbols: readonly Symbol[];
  private readonly events: ReplayEvent[] = [];
  private readonly books = new Map<Symbol, NbboBook>();
  private readonly previousCloses = new Map<Symbol, number | null>();
  private readonly counts: ParseCounts = { rows: 0, malformed: 0, suspicious: 0 };
  private next = 0;
  private sink: MarketDataSink | null = null;
  private timer: NodeJS.Timeout | null = null;
  private state: FeedHealth['state'] = 'connecting';
  private clock: number | null = null;

  /** Loads the recordings. @throws {RecordingNotFoundError} when a symbol has no trades for the date. */
  constructor(private readonly options: ReplayFeedOptions) {
    this.symbols = options.symbols.map((s) => s.toUpperCase());
    if (options.recording) {
      if (!existsSync(options.recording)) throw new RecordingNotFoundError(`No recording file at ${options.recording}`);
      const session = readRecordedSession(options.recording, this.symbols, options.date);
      // Kept in the order they arrived live (a late print stays where it came): not re-sorted.
      for (const tick of session.ticks) this.events.push('trade' in tick ? { time: tick.trade.time, trade: tick.trade } : { time: tick.quote.time, nbbo: tick.quote });
      this.counts.rows = session.ticks.length;
      if (this.events.length === 0) throw new RecordingNotFoundError(`Nothing recorded for ${this.symbols.join(', ')} on ${options.date}`);
      return;
    }
    for (const symbol of this.symbols) {
      const trades = parseLeanTickTrades(readZippedCsv(leanPath(options.dir, 'tick', symbol, options.date, 'trade')), symbol, options.date, this.counts);
      for (const trade of trades) this.events.push({ time: trade.time, trade });
      const quotePath = leanPath(options.dir, 'tick', symbol, options.date, 'quote');
      if (existsSync(quotePath)) {
        for (const quote of parseLeanTickQuotes(readZippedCsv(quotePath), symbol, options.date, this.counts)) this.events.push({ time: quote.time, quote });
      }
      this.books.set(symbol, new NbboBook(symbol));
      this.previousCloses.set(symbol, readLeanPreviousClose(options.dir, symbol, options.date));
    }
    if (this.events.length === 0) throw new RecordingNotFoundError(`No prints for ${this.symbols.join(', ')} on ${options.date}`);
    this.events.sort((a, b) => a.time - b.time);
  }

  previousClose(symbol: Symbol): number | null {
    return this.previousCloses.get(symbol) ?? null;
  }

  priorMinuteSessions(symbol: Symbol): ReadonlyArray<readonly Bar[]> {
    return this.options.recording ? [] : readLeanPriorMinuteSessions(this.options.dir, symbol, this.options.date);
  }

  start(sink: MarketDataSink): void {
    this.sink = sink;
    this.state = 'live';
    const first = (this.events[0] as ReplayEvent).time;
    const from = this.options.from ? parseExchangeTimeOfDay(this.options.date, this.options.from) : first;
    const fastForwarded = this.deliverUntil(from - 1, Infinity);
    if (fastForwarded !== null) this.tickClock(fastForwarded);
    sink.onHealth(this.health());
    if (this.options.speed === 'max') {
      this.schedule(() => this.runMax(), 0);
    } else {
      const speed = this.options.speed;
      const wallStart = Date.now();
      const feedStart = Math.max(from, first);
      const pace = (): void => {
        const target = feedStart + (Date.now() - wallStart) * speed;
        this.deliverUntil(target, CHUNK * 4);
        this.tickClock(Math.min(target, this.lastEventTime()));
        if (!this.finishIfDone()) this.schedule(pace, TICK_MS);
      };
      this.schedule(pace, 0);
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.sink = null;
  }

  health(): FeedHealth {
    return {
      provider: 'replay',
      state: this.state,
      symbols: this.symbols,
      messages: this.counts.rows,
      dropped: { malformed: this.counts.malformed, suspicious: this.counts.suspicious },
      clock: this.clock,
      speed: this.options.speed === 'max' ? null : this.options.speed,
      detail: `Replay of ${this.options.recording ? 'the recording of ' : ''}${this.options.date}, ${this.next} of ${this.events.length} events`,
    };
  }

  private runMax(): void {
    const last = this.deliverUntil(Infinity, CHUNK);
    if (last !== null) this.tickClock(last);
    if (!this.finishIfDone()) this.schedule(() => this.runMax(), 0);
  }

  private schedule(fn: () => void, ms: number): void {
    this.timer = setTimeout(fn, ms);
  }

  private lastEventTime(): number {
    return (this.events[this.events.length - 1] as ReplayEvent).time;
  }

  private tickClock(time: number): void {
    if (this.clock !== null && time <= this.clock) return;
    this.clock = time;
    this.sink?.onClock(time);
  }

  private finishIfDone(): boolean {
    if (this.next < this.events.length) return false;
    this.state = 'ended';
    this.timer = null;
    this.sink?.onHealth(this.health());
    return true;
  }

  /** Delivers events with time ≤ `until`, at most `max`; returns the last time delivered. */
  private deliverUntil(until: number, max: number): number | null {
    const sink = this.sink;
    if (!sink) return null;
    let delivered = 0;
    let lastTime: number | null = null;
    while (this.next < this.events.length && delivered < max) {
      const event = this.events[this.next] as ReplayEvent;
      if (event.time > until) break;
      this.next++;
      delivered++;
      lastTime = event.time;
      if ('trade' in event) {
        sink.onTrade(event.trade);
      } else if ('nbbo' in event) {
        sink.onQuote(event.nbbo);
      } else {
        const u = event.quote;
        const quote: Quote | null = (this.books.get(u.symbol) as NbboBook).apply(u.exchange, u.bid, u.bidSize, u.ask, u.askSize, u.time);
        if (quote) sink.onQuote(quote);
      }
    }
    return lastTime;
  }
}
