/**
 * Data-quality gate between a provider's normalized messages and the engine: nothing that fails
 * here reaches bars, indicators or the paper broker. Each dropped message is counted by reason
 * ({@link DropReason}); the validator never throws on input.
 *
 * Rules (each a trader would expect of a consolidated feed):
 * - a quote whose bid is above its ask by more than `crossedToleranceUsd` (a cent) is crossed
 *   beyond a timing artefact; a locked quote (bid = ask) passes;
 * - a timestamp more than `maxClockSkewMs` from the clock (ahead or behind) is wrong or stale;
 * - a trade id seen before for the symbol (the last 1 024 kept) is a duplicate;
 * - a quote older than the symbol's last quote is out of order (the NBBO only moves forward), and
 *   one identical to the last (same time, prices, sizes, exchanges) a duplicate; a trade more
 *   than 2 s older than the symbol's last trade is out of order unless it carries a late-report
 *   condition (sold late, out of sequence, Form T), which allows `lateTradeWindowMs` (a late
 *   print, which the bar builder places in its minute);
 * - a symbol nobody subscribed to is dropped.
 */
import type { Quote, Symbol } from '../../../shared/domain';
import { TradeCondition } from '../../../shared/trade-conditions';
import { DROP_REASONS, eventSymbol, eventTime, type DropReason, type MarketEvent, type TradeId } from './stream-events';

export interface FeedValidatorOptions {
  /** Wall clock, ms since epoch. */
  readonly now: () => number;
  /** Largest accepted distance of a timestamp from the clock, ms (default 5 min; a delayed feed needs more). */
  readonly maxClockSkewMs?: number;
  /** Bid may exceed ask by this much before the quote is dropped, USD (default 0.01: a one-cent cross is a timing artefact). */
  readonly crossedToleranceUsd?: number;
  /** How much older than the symbol's last trade a late print may be, ms (default 60 s). */
  readonly lateTradeWindowMs?: number;
  /** Whether the symbol is wanted (default: all). */
  readonly wants?: (symbol: Symbol) => boolean;
}

interface SymbolState {
  lastQuoteTime: number;
  lastQuote: Quote | null;
  lastTradeTime: number;
  readonly tradeIds: Set<TradeId>;
  /** Ring of the last {@link MAX_TRADE_IDS} ids, oldest at `tradeIdNext` once full. */
  readonly tradeIdRing: Array<TradeId | undefined>;
  tradeIdNext: number;
}

const MAX_TRADE_IDS = 1024;
/** How far behind the symbol's latest print a print without a late-report condition may be, ms (participant clocks differ). */
const PLAIN_PRINT_SKEW_MS = 2_000;
/** Conditions with which a print may report a trade from the past. */
const LATE_REPORT = TradeCondition.SoldLate | TradeCondition.OutOfSequence | TradeCondition.FormT;

export class FeedValidator {
  private readonly counts: Record<DropReason, number> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
  private readonly symbols = new Map<Symbol, SymbolState>();
  private readonly maxSkew: number;
  private readonly crossedTolerance: number;
  private readonly lateWindow: number;

  constructor(private readonly options: FeedValidatorOptions) {
    this.maxSkew = options.maxClockSkewMs ?? 5 * 60_000;
    this.crossedTolerance = options.crossedToleranceUsd ?? 0.01;
    this.lateWindow = options.lateTradeWindowMs ?? 60_000;
  }

  /** Dropped messages so far, by reason (only reasons that occurred). */
  dropped(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const reason of DROP_REASONS) if (this.counts[reason] > 0) out[reason] = this.counts[reason];
    return out;
  }

  /** Counts a message dropped before validation (e.g. unparseable). */
  count(reason: DropReason): void {
    this.counts[reason]++;
  }

  /** Forgets per-symbol history (a new connection starts afresh; trade ids stay to catch replays). */
  resetOrdering(): void {
    for (const state of this.symbols.values()) {
      state.lastQuoteTime = 0;
    }
  }

  /** `null` when the event may go on; otherwise the reason it was dropped (and counted). */
  check(event: MarketEvent): DropReason | null {
    const reason = this.reasonToDrop(event);
    if (reason) this.counts[reason]++;
    return reason;
  }

  private reasonToDrop(event: MarketEvent): DropReason | null {
    const symbol = eventSymbol(event);
    if (this.options.wants && !this.options.wants(symbol)) return 'unknown_symbol';
    const time = eventTime(event);
    // A minute bar's time is its start: allow the minute itself.
    if (Math.abs(this.options.now() - time) > this.maxSkew + (event.kind === 'bar' ? 60_000 : 0)) return 'far_timestamp';
    const state = this.stateOf(symbol);
    if (event.kind === 'quote') {
      const q = event.quote;
      if (q.bid - q.ask > this.crossedTolerance + 1e-9) return 'crossed_quote';
      if (q.time < state.lastQuoteTime) return 'out_of_order';
      const last = state.lastQuote;
      if (last && last.time === q.time && last.bid === q.bid && last.ask === q.ask && last.bidSize === q.bidSize && last.askSize === q.askSize && last.bidExchange === q.bidExchange && last.askExchange === q.askExchange) return 'duplicate';
      state.lastQuoteTime = q.time;
      state.lastQuote = q;
      return null;
    }
    if (event.kind === 'trade') {
      if (event.id !== null) {
        if (state.tradeIds.has(event.id)) return 'duplicate';
        state.tradeIds.add(event.id);
        const evicted = state.tradeIdRing[state.tradeIdNext];
        if (evicted !== undefined) state.tradeIds.delete(evicted);
        state.tradeIdRing[state.tradeIdNext] = event.id;
        state.tradeIdNext = (state.tradeIdNext + 1) % MAX_TRADE_IDS;
      }
      const t = event.trade.time;
      // Late prints are reported with a late/out-of-sequence condition; a plain print from the past is out of order.
      const reportedLate = (event.trade.conditions & LATE_REPORT) !== 0;
      if (t < state.lastTradeTime - (reportedLate ? this.lateWindow : PLAIN_PRINT_SKEW_MS)) return 'out_of_order';
      if (t > state.lastTradeTime) state.lastTradeTime = t;
      return null;
    }
    return null;
  }

  private stateOf(symbol: Symbol): SymbolState {
    let state = this.symbols.get(symbol);
    if (!state) {
      state = { lastQuoteTime: 0, lastQuote: null, lastTradeTime: 0, tradeIds: new Set(), tradeIdRing: new Array<TradeId | undefined>(MAX_TRADE_IDS).fill(undefined), tradeIdNext: 0 };
      this.symbols.set(symbol, state);
    }
    return state;
  }
}
