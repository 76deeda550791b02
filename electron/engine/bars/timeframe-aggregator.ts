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

/** Receives each closed bar of the timeframe. */
export type AggregateListener = (bar: Bar) => void;

/** Start and end (ms since epoch) and session of one bucket. */
export interface BucketSpan {
  readonly start: number;
  readonly end: number;
  readonly session: Bar['session'];
}

interface Bucket extends BucketSpan {
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

/**
 * One higher timeframe of one symbol. Closed minutes are folded in as they close; the forming
 * bar is not rebuilt on every print but valued when read ({@link TimeframeAggregator.formingBar}),
 * from the closed minutes' aggregate and the forming minute.
 */
export class TimeframeAggregator {
  private bucket: Bucket | null = null;
  /** Start of the latest bucket closed, ms since epoch: a minute of it (or before) cannot reopen it. */
  private closedUntil = -Infinity;
  private readonly sessions = new SessionCursor();

  /**
   * @param onLateMinute a closed minute of a bucket already closed (a print stamped before the
   *   boundary arrived after the clock passed it, for a minute that had no bar yet): the caller
   *   revises that closed bar, as for a late print.
   */
  constructor(
    readonly symbol: Symbol,
    readonly timeframe: HigherTimeframe,
    private readonly listener: AggregateListener,
    private readonly dailyIncludesExtendedHours = false,
    private readonly onLateMinute: (minute: Bar, span: BucketSpan) => void = () => undefined,
  ) {}

  /** Folds in a closed 1-minute bar (closing the previous bucket when the minute starts a new one). */
  onMinute(minute: Bar): void {
    const span = this.spanOf(minute.openTime, minute.session);
    if (!span) return;
    if (span.start <= this.closedUntil) {
      this.onLateMinute(minute, span);
      return;
    }
    const bucket = this.enter(span);
    bucket.closed = combineBars(bucket.closed, minute, this.timeframe, bucket.start, bucket.session);
  }

  /**
   * A minute starting at `openTime` is forming: opens its bucket (closing the previous one) when
   * it starts a new one. Cheap when it does not: this runs on every print.
   */
  onFormingMinute(openTime: number, session: Bar['session']): void {
    if (this.bucket && this.contains(this.bucket, openTime, session)) return;
    const span = this.spanOf(openTime, session);
    if (span && span.start > this.closedUntil) this.enter(span); // a closed bucket is never reopened: see onMinute
  }

  /**
   * The forming bar: the closed minutes of the open bucket combined with `formingMinute` when
   * that minute belongs to it; null when no bucket is open.
   */
  formingBar(formingMinute: Bar | null): Bar | null {
    const bucket = this.bucket;
    if (!bucket) return null;
    if (formingMinute && this.contains(bucket, formingMinute.openTime, formingMinute.session)) return combineBars(bucket.closed, formingMinute, this.timeframe, bucket.start, bucket.session);
    return bucket.closed;
  }

  /** Closes the bucket once the clock (ms since epoch) reaches its end. */
  advanceTo(time: number): void {
    if (this.bucket && time >= this.bucket.end) this.close();
  }

  /** Closes the bucket at end of data. */
  finish(): void {
    this.close();
  }

  /** The bucket `minute` belongs to, or null when it belongs to none. */
  bucketSpan(minute: Bar): BucketSpan | null {
    return this.spanOf(minute.openTime, minute.session);
  }

  /**
   * Replaces the aggregate of the open bucket's closed minutes (after a late print corrected
   * one); returns false when `aggregate` is not of the open bucket.
   */
  reviseForming(aggregate: Bar): boolean {
    if (!this.bucket || this.bucket.start !== aggregate.openTime) return false;
    this.bucket.closed = aggregate;
    return true;
  }

  /** The open bucket of `span`, opened (and the previous one closed) if needed. */
  private enter(span: BucketSpan): Bucket {
    if (this.bucket && this.bucket.start !== span.start) this.close();
    this.bucket ??= { ...span, closed: null };
    return this.bucket;
  }

  /** Whether a minute starting at `openTime` in `session` belongs to `bucket` (the daily bucket spans sessions). */
  private contains(bucket: Bucket, openTime: number, session: Bar['session']): boolean {
    return openTime >= bucket.start && openTime < bucket.end && (session === bucket.session || this.timeframe === '1d');
  }

  private close(): void {
    const bucket = this.bucket;
    this.bucket = null;
    if (!bucket) return;
    if (bucket.closed) this.listener(bucket.closed);
    this.closedUntil = Math.max(this.closedUntil, bucket.start);
  }

  private spanOf(openTime: number, session: Bar['session']): BucketSpan | null {
    const times: SessionTimes = this.sessions.at(openTime);
    if (this.timeframe === '1d') {
      if (session !== 'regular' && !this.dailyIncludesExtendedHours) return null;
      return this.dailyIncludesExtendedHours
        ? { start: times.preMarketOpen, end: times.afterHoursClose, session: 'regular' }
        : { start: times.regularOpen, end: times.regularClose, session: 'regular' };
    }
    const size = BUCKET_MINUTES[this.timeframe] * MINUTE_MS;
    const segmentStart = session === 'pre_market' ? times.preMarketOpen : session === 'regular' ? times.regularOpen : times.regularClose;
    const segmentEnd = session === 'pre_market' ? times.regularOpen : session === 'regular' ? times.regularClose : times.afterHoursClose;
    const clockStart = openTime - (openTime % size);
    return { start: Math.max(clockStart, segmentStart), end: Math.min(clockStart + size, segmentEnd), session };
  }
}
