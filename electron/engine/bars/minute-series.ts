/**
 * One symbol's 1-minute bars with their indicators (session VWAP, EMA(9), EMA(20) of closes),
 * updated on every print: the forming bar and its indicator values are published after each
 * print, and each closed bar once with its final values.
 */
import type { Bar, BarIndicators, Symbol, Trade } from '../../../shared/domain';
import type { BarWithIndicators } from '../../../shared/protocol';
import { Ema } from '../indicators/ema';
import { SessionVwap } from '../indicators/session-vwap';
import { SessionCursor } from '../market/session-clock';
import { MinuteBarBuilder, type TradeOutcome } from './minute-bar-builder';
import { updatesVolume } from './trade-eligibility';

/** Receives each bar update with its indicators; `final` marks a closed bar. */
export type MinuteSeriesListener = (bar: Bar, indicators: BarIndicators, final: boolean) => void;

/** Closed bars kept per symbol for snapshots: one full 04:00–20:00 session is 960 minutes. */
export const MINUTE_HISTORY_LIMIT = 2_000;

export class MinuteSeries {
  private readonly builder: MinuteBarBuilder;
  private readonly ema9 = new Ema(9);
  private readonly ema20 = new Ema(20);
  private readonly vwap = new SessionVwap();
  private readonly sessions = new SessionCursor();
  private readonly closed: BarWithIndicators[] = [];
  private formingIndicators: BarIndicators | null = null;

  constructor(
    readonly symbol: Symbol,
    private readonly listener: MinuteSeriesListener = () => undefined,
  ) {
    this.builder = new MinuteBarBuilder(symbol, (bar, final) => this.onBar(bar, final));
  }

  /** Closed bars, oldest first (at most {@link MINUTE_HISTORY_LIMIT}). */
  get history(): readonly BarWithIndicators[] {
    return this.closed;
  }

  /** The forming bar with its provisional indicators, or null. */
  get forming(): BarWithIndicators | null {
    const bar = this.builder.formingBar;
    return bar && this.formingIndicators ? { bar, indicators: this.formingIndicators } : null;
  }

  /** Prints that arrived for an already closed minute. */
  get latePrints(): number {
    return this.builder.latePrints;
  }

  /** Adds a print. */
  addTrade(trade: Trade): TradeOutcome {
    this.builder.advanceTo(trade.time);
    if (updatesVolume(trade.conditions) && trade.time - (trade.time % 60_000) > this.lastClosedOpenTime()) {
      const times = this.sessions.at(trade.time);
      const session = this.sessions.kindAt(trade.time);
      this.vwap.add(trade.price, trade.size, session, session === 'regular' ? times.regularOpen : times.preMarketOpen);
    }
    return this.builder.addTrade(trade);
  }

  /** Closes the forming bar when the clock has passed its minute. */
  advanceTo(time: number): void {
    this.builder.advanceTo(time);
  }

  /** Closes the forming bar at end of data. */
  finish(): void {
    this.builder.finish();
  }

  private lastClosedOpenTime(): number {
    const last = this.closed[this.closed.length - 1];
    return last ? last.bar.openTime : -Infinity;
  }

  private onBar(bar: Bar, final: boolean): void {
    const sessionVwap = this.vwap.current;
    let indicators: BarIndicators;
    if (final) {
      indicators = { sessionVwap, ema9: this.ema9.update(bar.close), ema20: this.ema20.update(bar.close) };
      this.closed.push({ bar, indicators });
      if (this.closed.length > MINUTE_HISTORY_LIMIT) this.closed.splice(0, this.closed.length - MINUTE_HISTORY_LIMIT);
      this.formingIndicators = null;
    } else {
      indicators = { sessionVwap, ema9: this.ema9.preview(bar.close), ema20: this.ema20.preview(bar.close) };
      this.formingIndicators = indicators;
    }
    this.listener(bar, indicators, final);
  }
}
