/**
 * Exponential moving average, TA-Lib convention (`TA_EMA`, default compatibility): the first
 * value, at the N-th input, is the simple average of the first N inputs; after that
 * `ema = (x − ema_prev) · k + ema_prev` with `k = 2 / (N + 1)`.
 *
 * Incremental and O(1): {@link update} commits a closed bar's value; {@link preview} gives the
 * value the forming bar would have without committing it.
 */
export class Ema {
  private readonly k: number;
  private count = 0;
  private sum = 0;
  private value: number | null = null;

  /** @throws {RangeError} when `period` is not an integer ≥ 1. */
  constructor(readonly period: number) {
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`EMA period must be an integer >= 1, got ${period}`);
    this.k = 2 / (period + 1);
  }

  /** Last committed value, or null while fewer than `period` inputs have been committed. */
  get current(): number | null {
    return this.value;
  }

  /** Commits `x` and returns the new EMA, or null while warming up. */
  update(x: number): number | null {
    if (this.value === null) {
      this.count++;
      this.sum += x;
      if (this.count === this.period) this.value = this.sum / this.period;
      return this.value;
    }
    this.value = (x - this.value) * this.k + this.value;
    return this.value;
  }

  /** The EMA if `x` were committed now; does not change state. */
  preview(x: number): number | null {
    if (this.value === null) return this.count + 1 === this.period ? (this.sum + x) / this.period : null;
    return (x - this.value) * this.k + this.value;
  }
}
