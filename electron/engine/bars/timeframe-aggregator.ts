/**
 * Builds 5m, 15m, 1h and daily bars from 1-minute bars, so a higher-timeframe bar is exactly the
 * aggregation of its minutes: open of the first, high/low the extremes, close of the last,
 * volume and trade count summed, VWAP volume-weighted.
 *
 * Intraday buckets follow the exchange clock (09:35, 09:40 …; US offsets are whole hours, so
 * clock minutes and UTC minutes align) and never cross a session boundary: the 09:00 hour is a
 * pre-market bar 09:00–09:30 and a regular bar 09:30–10:00. The daily bar is the regular session
 * (09:30–16:00 ET), or 04:00–20:00 when extended hours belong to the chart.
 */
import type { Bar, Symbol, Timeframe } from '../../../shared/domain';
import { SessionCursor, type SessionTimes } from '../market/session-clock';
import { MINUTE_MS } from './minute-bar-builder';

export type HigherTimeframe = Exclude<Timeframe, '1m'>;

const BUCKET_MINUTES: Readonly<Record<Exclude<HigherTimeframe, '1d'>, number>> = { '5m': 5, '15m': 15, '1h': 60 };

/** Receives bar updates of the timeframe: forming (`final` false) and closed. */
export type AggregateListener = (bar: Bar, final: boolean) => void;

interface Bucket {
  readonly start: number;
  readonly end: number;
  readonly session: Bar['session'];
  /** Aggregate of the closed minutes, or null before the first. */
  closed: Bar | null;
}

/** The aggregate of `a` followed by minute `b`, as a bar of `timeframe` starting at `openTime`. */
export function combineBars(a: Bar | null, b: Bar, timeframe: Timeframe, openTime: number, session: Bar['session']): Bar {
  if (!a) return { ...b, timeframe, openTime, session };
  const volume = a.volume + b.volume;
  return {
    symbol: b.symbol,
    timeframe,
    openTime,
    open: a.open,
    high: b.high > a.high ? b.high : a.high,
    low: b.low < a.low ? b.low : a.low,
    close: b.close,
    volume,
    tradeCount: a.tradeCount + b.tradeCount,
    vwap: volume > 0 ? (a.vwap * a.volume + b.vwap * b.volume) / volume : b.close,
    session,
  };
}

export class TimeframeAggregator {
  private bucket: Bucket | null = null;
  private readonly sessions = new SessionCursor();

  constructor(
    readonly symbol: Symbol,
    readonly timeframe: HigherTimeframe,
    private readonly listener: AggregateListener,
    private readonly dailyIncludesExtendedHours = false,
  ) {}

  /** Feeds a 1-minute bar update (forming or closed). */
  onMinute(minute: Bar, final: boolean): void {
    const times = this.sessions.at(minute.openTime);
    const span = this.bucketOf(minute, times);
    if (!span) return;
    if (this.bucket && this.bucket.start !== span.start) this.close();
    if (!this.bucket) this.bucket = { ...span, closed: null };
    const bucket = this.bucket;
    const bar = combineBars(bucket.closed, minute, this.timeframe, bucket.start, bucket.session);
    if (final) bucket.closed = bar;
    this.listener(bar, false);
  }

  /** Closes the bucket once the clock (ms since epoch) reaches its end. */
  advanceTo(time: number): void {
    if (this.bucket && time >= this.bucket.end) this.close();
  }

  /** Closes the bucket at end of data. */
  finish(): void {
    this.close();
  }

  /** Start and end (ms since epoch) of the bucket `minute` belongs to, or null when it belongs to none. */
  bucketSpan(minute: Bar): { start: number; end: number; session: Bar['session'] } | null {
    return this.bucketOf(minute, this.sessions.at(minute.openTime));
  }

  /**
   * Replaces the aggregate of the forming bucket's closed minutes (after a late print corrected
   * one); returns false when `aggregate` is not of the forming bucket.
   */
  reviseForming(aggregate: Bar): boolean {
    if (!this.bucket || this.bucket.start !== aggregate.openTime) return false;
    this.bucket.closed = aggregate;
    return true;
  }

  private close(): void {
    const bucket = this.bucket;
    this.bucket = null;
    if (bucket?.closed) this.listener(bucket.closed, true);
  }

  private bucketOf(minute: Bar, times: SessionTimes): { start: number; end: number; session: Bar['session'] } | null {
    if (this.timeframe === '1d') {
      if (minute.session !== 'regular' && !this.dailyIncludesExtendedHours) return null;
      return this.dailyIncludesExtendedHours
        ? { start: times.preMarketOpen, end: times.afterHoursClose, session: 'regular' }
        : { start: times.regularOpen, end: times.regularClose, session: 'regular' };
    }
    const size = BUCKET_MINUTES[this.timeframe] * MINUTE_MS;
    const [segmentStart, segmentEnd] =
      minute.session === 'pre_market'
        ? [times.preMarketOpen, times.regularOpen]
        : minute.session === 'regular'
          ? [times.regularOpen, times.regularClose]
          : [times.regularClose, times.afterHoursClose];
    const clockStart = minute.openTime - (minute.openTime % size);
    return { start: Math.max(clockStart, segmentStart), end: Math.min(clockStart + size, segmentEnd), session: minute.session };
  }
}
