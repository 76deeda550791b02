/**
 * Bollinger Bands (Bollinger 2001) as TA-Lib's `TA_BBANDS` with a simple moving average: middle
 * = SMA(N); σ = population standard deviation over the same N inputs, from the running sum of
 * squares (`√(Σx²/N − middle²)`, 0 when that is below 1e-8, as TA-Lib); bands = middle ± k·σ.
 * O(1) per update.
 */
import { Sma } from './sma';

export interface BollingerValue {
  readonly upper: number;
  readonly middle: number;
  readonly lower: number;
}

export class Bollinger {
  private readonly sma: Sma;
  private readonly squares: Float64Array;
  private count = 0;
  /** Sum of squares of the last N−1 committed inputs. */
  private partialSquares = 0;

  /** @throws {RangeError} for a period below 2 or a negative multiplier. */
  constructor(
    readonly period: number,
    readonly deviations = 2,
  ) {
    if (!Number.isInteger(period) || period < 2) throw new RangeError(`Bollinger period must be an integer >= 2, got ${period}`);
    if (!(deviations >= 0)) throw new RangeError(`Bollinger multiplier must be >= 0, got ${deviations}`);
    this.sma = new Sma(period);
    this.squares = new Float64Array(period);
  }

  /** Commits `x`; returns the bands or null while warming up. */
  update(x: number): BollingerValue | null {
    const middle = this.sma.update(x);
    const i = this.count++;
    const square = x * x;
    const total = this.partialSquares + square;
    if (middle === null) {
      this.squares[i % this.period] = square;
      this.partialSquares = total;
      return null;
    }
    const value = this.bands(middle, total);
    this.partialSquares = total - (this.squares[(i + 1) % this.period] as number);
    this.squares[i % this.period] = square;
    return value;
  }

  /** The bands if `x` were committed now. */
  preview(x: number): BollingerValue | null {
    const middle = this.sma.preview(x);
    return middle === null ? null : this.bands(middle, this.partialSquares + x * x);
  }

  private bands(middle: number, sumOfSquares: number): BollingerValue {
    const variance = sumOfSquares / this.period - middle * middle;
    const sigma = variance < 1e-8 ? 0 : Math.sqrt(variance);
    const width = sigma * this.deviations;
    return { upper: middle + width, middle, lower: middle - width };
  }
}
