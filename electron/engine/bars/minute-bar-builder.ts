/**
 * Builds 1-minute OHLCV bars from prints, aligned to the exchange clock (minutes start on whole
 * minutes; US time zone offsets are whole hours, so UTC and exchange minutes coincide).
 *
 * - Volume, trade count and bar VWAP count every print whose conditions update volume.
 * - Open/close and high/low follow {@link ./trade-eligibility}; a bar whose prints so far are all
 *   ineligible for a price field takes that field from them until an eligible print arrives, so a
 *   minute with volume always has a bar.
 * - Prints outside 04:00–20:00 ET are ignored.
 * - A late print (for a minute already closed) within the last {@link LATE_PRINT_WINDOW} closed
 *   bars corrects that bar: its volume, trade count, VWAP and high/low (never its open or close,
 *   as for out-of-sequence prints), reported as a correction. Older late prints, or ones for a
 *   minute that had no bar, are counted in `latePrints` and dropped.
 */
import type { Bar, MarketSessionKind, Symbol, Trade } from '../../../shared/domain';
import { SessionCursor } from '../market/session-clock';
import { updatesHighLow, updatesOpenClose, updatesVolume } from './trade-eligibility';

export const MINUTE_MS = 60_000;

/** Closed bars a late print may still correct. */
export const LATE_PRINT_WINDOW = 30;

/** What happened to a print given to {@link MinuteBarBuilder.addTrade}. */
export type TradeOutcome = 'added' | 'corrected' | 'late' | 'outside_session' | 'no_volume';

/** What a {@link MinuteBarBuilder} reports. */
export interface MinuteBarListener {
  /** A minute closed (or a stored one was seeded), with its final values. */
  onClosed(bar: Bar): void;
  /**
   * A print changed the forming minute starting at `openTime` (ms since epoch) in `session`.
   * Called on every added print, so it carries no bar: read {@link MinuteBarBuilder.formingBar}
   * when the value is needed (once per frame for a watched chart).
   */
  onFormingChanged?(openTime: number, session: MarketSessionKind): void;
  /** A late print corrected a closed minute: the corrected bar (`corrected: true`). */
  onCorrection?(bar: Bar): void;
}

interface FormingBar {
  openTime: number;
  session: MarketSessionKind;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  tradeCount: number;
  notional: number;
  hasOpenClose: boolean;
  hasHighLow: boolean;
}

export class MinuteBarBuilder {
  private forming: FormingBar | null = null;
  private lastClosedOpenTime = -Infinity;
  private readonly recent: FormingBar[] = [];
  private readonly sessions = new SessionCursor();
  /** Prints that arrived for a minute already closed. */
  latePrints = 0;

  constructor(
    readonly symbol: Symbol,
    private readonly listener: MinuteBarListener,
  ) {}

  /** The forming bar (a new object on each call), or null between bars. */
  get formingBar(): Bar | null {
    return this.forming ? this.toBar(this.forming) : null;
  }

  /** Adds one print; tells the listener the forming minute changed. */
  addTrade(trade: Trade): TradeOutcome {
    const openTime = trade.time - (trade.time % MINUTE_MS);
    if (openTime <= this.lastClosedOpenTime) return this.correct(trade, openTime);
    const session = this.sessions.kindAt(trade.time);
    if (session === 'closed') return 'outside_session';
    const c = trade.conditions;
    if (!updatesVolume(c)) return 'no_volume';
    if (this.forming && this.forming.openTime !== openTime) this.closeForming();
    const bar = this.forming ?? this.startBar(openTime, session, trade.price);
    const price = trade.price;
    bar.volume += trade.size;
    bar.tradeCount += 1;
    bar.notional += price * trade.size;
    if (updatesOpenClose(c)) {
      if (!bar.hasOpenClose) {
        bar.open = price;
        bar.hasOpenClose = true;
      }
      bar.close = price;
    } else if (!bar.hasOpenClose) {
      bar.close = price;
    }
    if (updatesHighLow(c)) {
      if (!bar.hasHighLow) {
        bar.high = price;
        bar.low = price;
        bar.hasHighLow = true;
      } else {
        if (price > bar.high) bar.high = price;
        if (price < bar.low) bar.low = price;
      }
    } else if (!bar.hasHighLow) {
      if (price > bar.high) bar.high = price;
      if (price < bar.low) bar.low = price;
    }
    this.listener.onFormingChanged?.(bar.openTime, bar.session);
    return 'added';
  }

  /** Takes a stored closed bar as if it had been built here (history before live prints). */
  seedClosed(bar: Bar): void {
    if (bar.openTime <= this.lastClosedOpenTime || this.forming) return;
    this.lastClosedOpenTime = bar.openTime;
    this.recent.push({
      openTime: bar.openTime, session: bar.session, open: bar.open, high: bar.high, low: bar.low, close: bar.close,
      volume: bar.volume, tradeCount: bar.tradeCount, notional: bar.vwap * bar.volume, hasOpenClose: true, hasHighLow: true,
    });
    if (this.recent.length > LATE_PRINT_WINDOW) this.recent.shift();
    this.listener.onClosed(bar);
  }

  /** Closes the forming bar once the clock (`time`, ms since epoch) has passed its minute. */
  advanceTo(time: number): void {
    if (this.forming && time >= this.forming.openTime + MINUTE_MS) this.closeForming();
  }

  /** Closes the forming bar (end of data). */
  finish(): void {
    if (this.forming) this.closeForming();
  }

  private startBar(openTime: number, session: MarketSessionKind, price: number): FormingBar {
    this.forming = {
      openTime,
      session,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: 0,
      tradeCount: 0,
      notional: 0,
      hasOpenClose: false,
      hasHighLow: false,
    };
    return this.forming;
  }

  private closeForming(): void {
    const bar = this.forming;
    if (!bar) return;
    this.forming = null;
    this.lastClosedOpenTime = bar.openTime;
    this.recent.push(bar);
    if (this.recent.length > LATE_PRINT_WINDOW) this.recent.shift();
    this.listener.onClosed(this.toBar(bar));
  }

  private correct(trade: Trade, openTime: number): TradeOutcome {
    const bar = this.recent.find((b) => b.openTime === openTime);
    if (!bar || !updatesVolume(trade.conditions)) {
      this.latePrints++;
      return 'late';
    }
    bar.volume += trade.size;
    bar.tradeCount += 1;
    bar.notional += trade.price * trade.size;
    if (updatesHighLow(trade.conditions)) {
      if (trade.price > bar.high) bar.high = trade.price;
      if (trade.price < bar.low) bar.low = trade.price;
    }
    this.listener.onCorrection?.({ ...this.toBar(bar), corrected: true });
    return 'corrected';
  }

  private toBar(b: FormingBar): Bar {
    return {
      symbol: this.symbol,
      timeframe: '1m',
      openTime: b.openTime,
      open: b.open,
      high: b.high,
      low: b.low,
      close: b.close,
      volume: b.volume,
      tradeCount: b.tradeCount,
      vwap: b.volume > 0 ? b.notional / b.volume : b.close,
      session: b.session,
    };
  }
}
