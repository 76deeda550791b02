/**
 * Relative volume: a bar's volume ÷ the average volume of the same bar of the day (same start
 * time, exchange clock) over the last N sessions. Also the cumulative form used by gap
 * screeners: session volume so far ÷ the average session volume to the same time.
 * Null until at least one earlier session is known. O(1) per update.
 */

/** A bar as relative volume sees it. */
export interface VolumeBar {
  /** Trading date, `YYYY-MM-DD`. */
  readonly date: string;
  /** Start of the bar, minutes after exchange midnight. */
  readonly minuteOfDay: number;
  /** Shares. */
  readonly volume: number;
}

export class RelativeVolume {
  /** Per minute-of-day: volumes of the last N completed sessions. */
  private readonly history = new Map<number, number[]>();
  /** Per minute-of-day: cumulative volumes to that bar of the last N completed sessions. */
  private readonly cumulativeHistory = new Map<number, number[]>();
  private today: string | null = null;
  private readonly todayBars = new Map<number, number>();
  private todayCumulative = 0;

  /** @throws {RangeError} when `sessions` is not an integer ≥ 1. */
  constructor(readonly sessions = 10) {
    if (!Number.isInteger(sessions) || sessions < 1) throw new RangeError(`Relative volume needs at least 1 session, got ${sessions}`);
  }

  /** Commits a closed bar; returns its relative volume or null. */
  update(bar: VolumeBar): number | null {
    this.rollTo(bar.date);
    this.todayBars.set(bar.minuteOfDay, bar.volume);
    this.todayCumulative += bar.volume;
    return this.ratio(bar.minuteOfDay, bar.volume, this.history);
  }

  /** A closed bar of today changed volume (a late print): returns its new relative volume. */
  revise(bar: VolumeBar): number | null {
    if (bar.date !== this.today) return null;
    this.todayCumulative += bar.volume - (this.todayBars.get(bar.minuteOfDay) ?? 0);
    this.todayBars.set(bar.minuteOfDay, bar.volume);
    return this.ratio(bar.minuteOfDay, bar.volume, this.history);
  }

  /** Relative volume of a forming bar (a bar of a new date completes the previous session). */
  preview(bar: VolumeBar): number | null {
    this.rollTo(bar.date);
    return this.ratio(bar.minuteOfDay, bar.volume, this.history);
  }

  /** Session volume so far (with `formingVolume`) ÷ the average to the same bar in earlier sessions. */
  cumulative(minuteOfDay: number, formingVolume = 0): number | null {
    return this.ratio(minuteOfDay, this.todayCumulative + formingVolume, this.cumulativeHistory);
  }

  /** Feeds a whole earlier session's bars (oldest session first), e.g. from stored minute bars. */
  seedSession(bars: readonly VolumeBar[]): void {
    for (const bar of bars) this.update(bar);
  }

  private ratio(minuteOfDay: number, volume: number, history: Map<number, number[]>): number | null {
    const past = history.get(minuteOfDay);
    if (!past || past.length === 0) return null;
    let sum = 0;
    for (const v of past) sum += v;
    const average = sum / past.length;
    return average > 0 ? volume / average : null;
  }

  private rollTo(date: string): void {
    if (date === this.today) return;
    if (this.today !== null) {
      // A minute without prints in a session counts as 0 in its average (not as a missing
      // session), and the session's running total carries through it.
      let cumulative = 0;
      const minutes = [...new Set([...this.history.keys(), ...this.todayBars.keys()])].sort((a, b) => a - b);
      for (const minute of minutes) {
        const volume = this.todayBars.get(minute) ?? 0;
        cumulative += volume;
        push(this.history, minute, volume, this.sessions);
        push(this.cumulativeHistory, minute, cumulative, this.sessions);
      }
    }
    this.today = date;
    this.todayBars.clear();
    this.todayCumulative = 0;
  }
}

function push(history: Map<number, number[]>, minute: number, value: number, keep: number): void {
  let list = history.get(minute);
  if (!list) {
    list = [];
    history.set(minute, list);
  }
  list.push(value);
  if (list.length > keep) list.shift();
}
