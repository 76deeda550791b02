/**
 * Average True Range with Wilder's smoothing (Wilder 1978), TA-Lib convention (`TA_ATR`): true
 * range from the second bar, `max(high − low, |high − prevClose|, |low − prevClose|)`; the first
 * ATR, at bar N, is the simple average of the first N true ranges; then
 * `atr = (atr_prev × (N − 1) + tr) / N`. O(1) per update.
 */
import { Sma } from './sma';

export interface HighLowClose {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

export class Atr {
  private previousClose: number | null = null;
  private readonly seed: Sma;
  private value: number | null = null;

  /** @throws {RangeError} when `period` is not an integer ≥ 1. */
  constructor(readonly period: number) {
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`ATR period must be an integer >= 1, got ${period}`);
    this.seed = new Sma(period);
  }

  /** Commits a closed bar; returns the ATR (USD) or null while warming up. */
  update(bar: HighLowClose): number | null {
    const tr = this.trueRange(bar);
    this.previousClose = bar.close;
    if (tr === null) return null;
    this.value = this.value === null ? this.seed.update(tr) : (this.value * (this.period - 1) + tr) / this.period;
    return this.value;
  }

  /** The ATR if `bar` closed now. */
  preview(bar: HighLowClose): number | null {
    const tr = this.trueRange(bar);
    if (tr === null) return null;
    return this.value === null ? this.seed.preview(tr) : (this.value * (this.period - 1) + tr) / this.period;
  }

  private trueRange(bar: HighLowClose): number | null {
    const prev = this.previousClose;
    if (prev === null) return null;
    return Math.max(bar.high - bar.low, Math.abs(prev - bar.high), Math.abs(prev - bar.low));
  }
}
