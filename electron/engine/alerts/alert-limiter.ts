/**
 * Rate limits alerts per key (a screener instance and symbol, or an anomaly kind and symbol):
 * at most `maxPerDay` per trading date and none within `cooldownMs` of the previous one.
 */
export class AlertLimiter {
  private readonly last = new Map<string, { date: string; count: number; time: number }>();

  /** `true` (and counted) when an alert for `key` may fire at `time` (ms since epoch) on `date`. */
  allow(key: string, time: number, date: string, maxPerDay: number, cooldownMs: number): boolean {
    const previous = this.last.get(key);
    if (previous && previous.date === date) {
      if (previous.count >= maxPerDay || time - previous.time < cooldownMs) return false;
      this.last.set(key, { date, count: previous.count + 1, time });
      return true;
    }
    this.last.set(key, { date, count: 1, time });
    return true;
  }
}
