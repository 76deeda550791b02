/**
 * MACD (Appel), TA-Lib convention (`TA_MACD`): line = EMA(fast) − EMA(slow); signal = EMA of the
 * line; histogram = line − signal. As in TA-Lib, both EMAs start at the slow period's first
 * input: the slow one seeded with the SMA of the first `slow` inputs, the fast one with the SMA
 * of the last `fast` of those. The line exists from input `slow`, signal and histogram from
 * input `slow + signal − 1`. O(1) per update.
 */
import { Ema } from './ema';
import { Sma } from './sma';

export interface MacdValue {
  readonly macd: number;
  readonly signal: number | null;
  readonly histogram: number | null;
}

export class Macd {
  private readonly fastSeed: Sma;
  private readonly slowSeed: Sma;
  private readonly kFast: number;
  private readonly kSlow: number;
  private readonly signalEma: Ema;
  private fast: number | null = null;
  private slow: number | null = null;

  /** @throws {RangeError} unless 1 ≤ fast < slow and signal ≥ 1 are integers. */
  constructor(
    readonly fastPeriod = 12,
    readonly slowPeriod = 26,
    readonly signalPeriod = 9,
  ) {
    if (!Number.isInteger(fastPeriod) || !Number.isInteger(slowPeriod) || fastPeriod < 1 || slowPeriod <= fastPeriod) {
      throw new RangeError(`MACD needs integer periods with 1 <= fast < slow, got ${fastPeriod}/${slowPeriod}`);
    }
    this.fastSeed = new Sma(fastPeriod);
    this.slowSeed = new Sma(slowPeriod);
    this.kFast = 2 / (fastPeriod + 1);
    this.kSlow = 2 / (slowPeriod + 1);
    this.signalEma = new Ema(signalPeriod);
  }

  /** Commits `x`; returns line, signal and histogram, or null while warming up. */
  update(x: number): MacdValue | null {
    if (this.slow === null || this.fast === null) {
      const fastSeed = this.fastSeed.update(x);
      const slowSeed = this.slowSeed.update(x);
      if (slowSeed === null || fastSeed === null) return null;
      this.fast = fastSeed;
      this.slow = slowSeed;
    } else {
      this.fast = (x - this.fast) * this.kFast + this.fast;
      this.slow = (x - this.slow) * this.kSlow + this.slow;
    }
    const macd = this.fast - this.slow;
    const signal = this.signalEma.update(macd);
    return { macd, signal, histogram: signal === null ? null : macd - signal };
  }

  /** The values if `x` were committed now. */
  preview(x: number): MacdValue | null {
    let fast: number | null;
    let slow: number | null;
    if (this.slow === null || this.fast === null) {
      fast = this.fastSeed.preview(x);
      slow = this.slowSeed.preview(x);
      if (fast === null || slow === null) return null;
    } else {
      fast = (x - this.fast) * this.kFast + this.fast;
      slow = (x - this.slow) * this.kSlow + this.slow;
    }
    const macd = fast - slow;
    const signal = this.signalEma.preview(macd);
    return { macd, signal, histogram: signal === null ? null : macd - signal };
  }
}
