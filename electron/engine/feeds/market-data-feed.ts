/**
 * The interface every market-data source implements (simulated, replay, later Alpaca and
 * Polygon). Feeds emit normalized NBBO quotes and trades in exchange-time order.
 */
import type { Bar, FeedHealth, Quote, Symbol, Trade } from '../../../shared/domain';

/** Receives a feed's normalized output. Must not throw; the feed does not catch for it. */
export interface MarketDataSink {
  onQuote(quote: Quote): void;
  onTrade(trade: Trade): void;
  /** The feed's clock moved to `time` (ms since epoch) even if no message arrived. */
  onClock(time: number): void;
  /** Called when the feed's state changes (connected, ended, error). */
  onHealth(health: FeedHealth): void;
  /** A symbol went stale or fresh, or was halted or resumed (live feeds). */
  onSymbolStatus?(symbol: Symbol, status: SymbolFeedStatus): void;
  /**
   * Data may be missing for `symbols` from `from` to `to` (ms since epoch): a reconnect or a
   * switch of provider. The engine repairs those minutes from the provider's REST history.
   */
  onGap?(symbols: readonly Symbol[], from: number, to: number): void;
}

/** Freshness and trading status of one symbol's data. */
export interface SymbolFeedStatus {
  readonly stale: boolean;
  /** Halt reason while halted, else null. */
  readonly halt: string | null;
  /** Limit up–limit down band, USD, when the provider sends it. */
  readonly luld?: { readonly limitUp: number; readonly limitDown: number } | null;
}

export interface MarketDataFeed {
  /** `true` for today's market (its bars are stored and restored after a restart); `false` for a replay. */
  readonly live: boolean;
  /** Symbols this feed can deliver. */
  readonly symbols: readonly Symbol[];
  /** Previous session's close of `symbol`, USD, or null when unknown. */
  previousClose(symbol: Symbol): number | null;
  /** Earlier sessions' 1-minute bars of `symbol` (oldest first), when the feed has them. */
  priorMinuteSessions?(symbol: Symbol): ReadonlyArray<readonly Bar[]>;
  /** Starts delivering to `sink`. Call once. */
  start(sink: MarketDataSink): void;
  /** Stops delivering and releases timers and files. Idempotent. */
  stop(): void;
  /** Current state and counters. */
  health(): FeedHealth;
  /** Live feeds: `owner` (a window) needs these symbols streamed; replaces what it held. */
  retain?(owner: string, symbols: readonly Symbol[]): void;
  /** Live feeds: `owner` needs nothing any more. */
  release?(owner: string): void;
}
