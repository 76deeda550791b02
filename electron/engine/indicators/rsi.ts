/**
 * Relative Strength Index with Wilder's smoothing (Wilder 1978), TA-Lib convention (`TA_RSI`):
 * the first value is at input N (after N changes), from the simple averages of the first N gains
 * and losses; then `avg = (avg_prev × (N − 1) + current) / N`; RSI = 100 × avgGain /
 * (avgGain + avgLoss), 0 when both are 0. O(1) per update.
 */
export class Rsi {
  private previous: number | null = null;
  private changes = 0;
  private avgGain = 0;
  private avgLoss = 0;

  /** @throws {RangeError} when `period` is not an integer ≥ 2. */
  constructor(readonly period: number) {
    if (!Number.isInteger(period) || period < 2) throw new RangeError(`RSI period must be an integer >= 2, got ${period}`);
  }

  /** Commits `x`; returns the RSI (0–100) or null while warming up. */
  update(x: number): number | null {
    const r = this.step(x);
    this.previous = x;
    if (r === null) return null;
    this.changes++;
    this.avgGain = r.gain;
    this.avgLoss = r.loss;
    return r.rsi;
  }

  /** The RSI if `x` were committed now. */
  preview(x: number): number | null {
    return this.step(x)?.rsi ?? null;
  }

  private step(x: number): { gain: number; loss: number; rsi: number | null } | null {
    if (this.previous === null) return null;
    const change = x - this.previous;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    const n = this.period;
    const count = this.changes + 1;
    let avgGain: number;
    let avgLoss: number;
    if (count < n) return { gain: this.avgGain + gain, loss: this.avgLoss + loss, rsi: null };
    if (count === n) {
      avgGain = (this.avgGain + gain) / n;
      avgLoss = (this.avgLoss + loss) / n;
    } else {
      avgGain = (this.avgGain * (n - 1) + gain) / n;
      avgLoss = (this.avgLoss * (n - 1) + loss) / n;
    }
    const total = avgGain + avgLoss;
    return { gain: avgGain, loss: avgLoss, rsi: total > -1e-8 && total < 1e-8 ? 0 : 100 * (avgGain / total) };
  }
}
