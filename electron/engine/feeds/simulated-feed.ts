/**
 * A seeded, realistic simulated market for the default (no-keys) workstation:
 * - each symbol's mid price follows a random walk with its own volatility, and gaps at the open;
 * - NBBO quotes with spreads of 1–4 cents on the $0.01 grid;
 * - prints at the bid or ask (most) or between them, in round lots of 100 with some odd lots;
 * - activity U-shaped over the regular session (busiest at the open and the close), lighter in
 *   extended hours and overnight; timestamps are the wall clock, sessions America/New_York.
 * The same seed and the same clock give the same market. On Saturdays and Sundays the simulation
 * replays Friday's clock (same time of day), so the simulated market is always usable.
 */
import type { FeedHealth, Quote, Symbol, Trade } from '../../../shared/domain';
import { TradeCondition } from '../../../shared/trade-conditions';
import { roundToTick } from '../../../shared/price';
import { DateTime } from 'luxon';
import { EXCHANGE_TIME_ZONE, SessionCursor } from '../market/session-clock';
import type { MarketDataFeed, MarketDataSink } from './market-data-feed';

export interface SimulatedFeedOptions {
  readonly symbols: readonly Symbol[];
  /** PRNG seed; the same seed gives the same market. */
  readonly seed?: number;
  /** Step of the simulation, ms. */
  readonly stepMs?: number;
  /** Wall clock, ms since epoch (injected in tests). */
  readonly now?: () => number;
  /**
   * Load mode, for benchmarks: this many messages per second in all, quotes and trades in turn
   * over the symbols round-robin, whatever the session's activity. Each step emits
   * rate × elapsed wall time, so a late timer does not lower the rate (up to one second owed).
   */
  readonly eventsPerSecond?: number;
  /**
   * Load mode only: every price encodes the wall-clock moment (`performance.timeOrigin +
   * performance.now()`) its message was generated, which is when the engine receives it:
   * price = {@link CLOCK_PRICE_BASE} + (ms mod {@link CLOCK_PRICE_WRAP_MS}) / 100 USD, so a
   * benchmark that sees a chart's last close knows the tick's age to 1 ms (see
   * {@link clockPriceTime}). Not a market: never used outside benchmarks.
   */
  readonly clockPrices?: boolean;
}

/** Lowest clock-encoded price, USD. */
export const CLOCK_PRICE_BASE = 100;
/** Clock-encoded prices repeat after this many ms (100 000 cents above the base). */
export const CLOCK_PRICE_WRAP_MS = 100_000;

/** The clock-encoded price (USD) of wall-clock time `ms` (ms since epoch). */
export function clockPrice(ms: number): number {
  return roundToTick(CLOCK_PRICE_BASE + Math.floor(ms % CLOCK_PRICE_WRAP_MS) / 100);
}

/**
 * When a clock-encoded `price` was generated: the latest wall-clock time (ms since epoch) at
 * or before `observedAt` whose {@link clockPrice} is `price`.
 */
export function clockPriceTime(price: number, observedAt: number): number {
  const encoded = Math.round((price - CLOCK_PRICE_BASE) * 100);
  const age = (((Math.floor(observedAt) - encoded) % CLOCK_PRICE_WRAP_MS) + CLOCK_PRICE_WRAP_MS) % CLOCK_PRICE_WRAP_MS;
  return Math.floor(observedAt) - age;
}

const wallClock = (): number => performance.timeOrigin + performance.now();

/** Reference prices (USD) of the default watchlist; other symbols get a price from their name. */
const REFERENCE_PRICES: Readonly<Record<string, number>> = {
  AAPL: 228.5, MSFT: 415.2, NVDA: 131.4, AMZN: 186.3, META: 563.1, TSLA: 251.7, SPY: 571.8, QQQ: 489.6,
};

/** `wall` (ms since epoch) moved back to Friday at the same exchange time of day when it falls on a weekend. */
export function simulatedTime(wall: number): number {
  const et = DateTime.fromMillis(wall, { zone: EXCHANGE_TIME_ZONE });
  return et.weekday <= 5 ? wall : et.minus({ days: et.weekday - 5 }).toMillis();
}

/** mulberry32: a small, well-distributed 32-bit PRNG (Tommy Ettinger, public domain). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface SymbolState {
  readonly symbol: Symbol;
  readonly previousClose: number;
  /** Annualized volatility as a fraction, e.g. 0.35. */
  readonly volatility: number;
  /** Mean prints per second in the regular session at average activity. */
  readonly printRate: number;
  mid: number;
  spreadTicks: number;
  gapped: boolean;
}

const TRADING_SECONDS_PER_YEAR = 252 * 6.5 * 3600;

export class SimulatedFeed implements MarketDataFeed {
  readonly live = true;
  readonly symbols: readonly Symbol[];
  private readonly random: () => number;
  private readonly states: SymbolState[];
  private readonly stepMs: number;
  private readonly now: () => number;
  private readonly sessions = new SessionCursor();
  private readonly lastQuote = new Map<Symbol, Quote>();
  private sink: MarketDataSink | null = null;
  private timer: NodeJS.Timeout | null = null;
  private messages = 0;
  private clock: number | null = null;
  private readonly eventsPerSecond: number;
  private readonly clockPrices: boolean;
  /** Load mode: wall time of the last step, messages owed (fractional), messages emitted. */
  private lastLoadStep: number | null = null;
  private loadOwed = 0;
  private loadCount = 0;

  constructor(options: SimulatedFeedOptions) {
    this.eventsPerSecond = options.eventsPerSecond ?? 0;
    this.clockPrices = this.eventsPerSecond > 0 && options.clockPrices === true;
    this.symbols = options.symbols.map((s) => s.toUpperCase());
    this.random = mulberry32(options.seed ?? 20240607);
    this.stepMs = options.stepMs ?? 100;
    const wall = options.now ?? Date.now;
    this.now = () => simulatedTime(wall());
    this.states = this.symbols.map((symbol) => {
      const previousClose = REFERENCE_PRICES[symbol] ?? this.priceFromName(symbol);
      return {
        symbol,
        previousClose,
        volatility: 0.2 + this.random() * 0.4,
        printRate: 2 + this.random() * 6,
        mid: previousClose * (1 + this.normal() * 0.004),
        spreadTicks: 1,
        gapped: false,
      };
    });
  }

  previousClose(symbol: Symbol): number | null {
    return this.states.find((s) => s.symbol === symbol)?.previousClose ?? null;
  }

  start(sink: MarketDataSink): void {
    this.sink = sink;
    const t = this.now();
    for (const s of this.states) this.emitQuote(s, t);
    sink.onHealth(this.health());
    this.timer = setInterval(() => this.step(), this.stepMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sink = null;
  }

  health(): FeedHealth {
    return {
      provider: 'simulated',
      state: this.sink ? 'live' : 'connecting',
      symbols: this.symbols,
      messages: this.messages,
      dropped: {},
      clock: this.clock,
      speed: null,
      detail: 'Simulated market (no API keys configured)',
    };
  }

  /** Advances the market by one step at wall time `time`; exposed for tests. */
  step(time: number = this.now()): void {
    const sink = this.sink;
    if (!sink) return;
    if (this.eventsPerSecond > 0) {
      this.loadStep(time);
      this.clock = time;
      sink.onClock(time);
      return;
    }
    const activity = this.activityAt(time);
    const dtSeconds = this.stepMs / 1000;
    const session = this.sessions.kindAt(time);
    for (const s of this.states) {
      if (!s.gapped && session === 'regular') {
        s.gapped = true;
        s.mid *= 1 + this.normal() * 0.008;
      }
      const sigma = s.volatility * Math.sqrt(dtSeconds / TRADING_SECONDS_PER_YEAR) * Math.sqrt(activity);
      const oldMid = s.mid;
      s.mid = Math.max(0.05, s.mid * (1 + this.normal() * sigma));
      if (this.random() < 0.1) s.spreadTicks = 1 + Math.floor(this.random() * (session === 'regular' ? 3 : 4));
      const quoteMoved = roundToTick(oldMid) !== roundToTick(s.mid) || this.random() < 0.2 * activity;
      if (quoteMoved) this.emitQuote(s, time);
      const prints = this.poisson(s.printRate * activity * dtSeconds);
      for (let i = 0; i < prints; i++) this.emitTrade(s, time, session !== 'regular');
    }
    this.clock = time;
    sink.onClock(time);
  }

  /** Load mode: the messages owed since the last step, quotes and trades in turn, symbols round-robin. */
  private loadStep(time: number): void {
    const wall = wallClock();
    const elapsed = this.lastLoadStep === null ? this.stepMs : wall - this.lastLoadStep;
    this.lastLoadStep = wall;
    this.loadOwed += (this.eventsPerSecond * Math.min(elapsed, 1000)) / 1000;
    const n = Math.floor(this.loadOwed);
    this.loadOwed -= n;
    const count = this.states.length;
    for (let i = 0; i < n; i++) {
      const k = this.loadCount++;
      const s = this.states[k % count] as SymbolState;
      if (this.clockPrices) s.mid = clockPrice(wallClock());
      if (Math.floor(k / count) % 2 === 0) this.emitQuote(s, time);
      else this.emitTrade(s, time, false);
    }
  }

  /** Relative print rate at `time`: U-shaped in the regular session (1 = average). */
  private activityAt(time: number): number {
    const times = this.sessions.at(time);
    const kind = this.sessions.kindAt(time);
    if (kind === 'regular') {
      const minute = (time - times.regularOpen) / 60_000;
      return 0.55 + 2.2 * Math.exp(-minute / 25) + 1.6 * Math.exp(-(390 - minute) / 20);
    }
    return kind === 'closed' ? 0.05 : 0.15;
  }

  private quoteOf(s: SymbolState, time: number): Quote {
    const tick = s.mid >= 1 ? 0.01 : 0.0001;
    const bid = roundToTick(s.mid - (s.spreadTicks * tick) / 2);
    const ask = roundToTick(bid + s.spreadTicks * tick);
    const size = (): number => 100 * (1 + Math.floor(this.random() * 8));
    return { symbol: s.symbol, bid, bidSize: size(), bidExchange: 'Q', ask, askSize: size(), askExchange: 'P', time };
  }

  private emitQuote(s: SymbolState, time: number): void {
    const quote = this.quoteOf(s, time);
    this.lastQuote.set(s.symbol, quote);
    this.messages++;
    this.sink?.onQuote(quote);
  }

  private emitTrade(s: SymbolState, time: number, extendedHours: boolean): void {
    const quote = this.lastQuote.get(s.symbol) ?? this.quoteOf(s, time);
    const u = this.random();
    const price = this.clockPrices ? clockPrice(wallClock()) : u < 0.45 ? quote.bid : u < 0.9 ? quote.ask : roundToTick((quote.bid + quote.ask) / 2);
    const oddLot = this.random() < 0.15;
    const size = oddLot ? 1 + Math.floor(this.random() * 99) : 100 * (1 + Math.floor(-Math.log(1 - this.random()) * 2));
    let conditions = TradeCondition.Regular;
    if (oddLot) conditions = (conditions | TradeCondition.OddLot) >>> 0;
    if (extendedHours) conditions = (conditions | TradeCondition.ExtendedHours) >>> 0;
    const trade: Trade = { symbol: s.symbol, price, size, exchange: this.random() < 0.5 ? 'Q' : 'N', conditions, time };
    this.messages++;
    this.sink?.onTrade(trade);
  }

  private priceFromName(symbol: Symbol): number {
    let h = 0;
    for (let i = 0; i < symbol.length; i++) h = (h * 31 + symbol.charCodeAt(i)) >>> 0;
    return 20 + (h % 28_000) / 100;
  }

  /** Standard normal sample (Box–Muller). */
  private normal(): number {
    const u = 1 - this.random();
    const v = this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Poisson sample with mean `lambda` (Knuth; lambda is small here). */
  private poisson(lambda: number): number {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.random();
    while (p > limit && k < 50) {
      k++;
      p *= this.random();
    }
    return k;
  }
}
