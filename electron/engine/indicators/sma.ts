/**
 * Simple moving average, TA-Lib convention (`TA_SMA`): the first value is at the N-th input;
 * the window sum is kept by adding the new input and subtracting the one that leaves, in the
 * same order TA-Lib does, so results agree to the last bits. O(1) per update.
 */
export class Sma {
  private readonly window: Float64Array;
  private count = 0;
  /** Sum of the last N−1 committed inputs (the part of the window the next input joins). */
  private partial = 0;
  private value: number | null = null;

  /** @throws {RangeError} when `period` is not an integer ≥ 1. */
  constructor(readonly period: number) {
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`SMA period must be an integer >= 1, got ${period}`);
    this.window = new Float64Array(period);
  }

  get current(): number | null {
    return this.value;
  }

  /** Commits `x`; returns the SMA or null while warming up. */
  update(x: number): number | null {
    const i = this.count++;
    const total = this.partial + x;
    if (i + 1 < this.period) {
      this.window[i % this.period] = x;
      this.partial = total;
      return null;
    }
    this.value = total / this.period;
    const leaving = this.period === 1 ? x : (this.window[(i + 1) % this.period] as number); // input i − N + 1
    this.partial = total - leaving;
    this.window[i % this.period] = x;
    return this.value;
  }

  /** The SMA if `x` were committed now. */
  preview(x: number): number | null {
    return this.count + 1 >= this.period ? (this.partial + x) / this.period : null;
  }
}
