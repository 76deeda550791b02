/** Mean and sample standard deviation of the last N values, O(1) per update. */
export class RollingStats {
  private readonly values: Float64Array;
  private count = 0;
  private sum = 0;
  private sumSquares = 0;

  constructor(readonly window: number) {
    this.values = new Float64Array(window);
  }

  /** Values held (at most the window). */
  get size(): number {
    return Math.min(this.count, this.window);
  }

  get mean(): number {
    return this.size > 0 ? this.sum / this.size : 0;
  }

  /** Sample standard deviation (n − 1), 0 with fewer than 2 values. */
  get std(): number {
    const n = this.size;
    if (n < 2) return 0;
    const variance = (this.sumSquares - (this.sum * this.sum) / n) / (n - 1);
    return variance > 0 ? Math.sqrt(variance) : 0;
  }

  push(x: number): void {
    const slot = this.count % this.window;
    if (this.count >= this.window) {
      const old = this.values[slot] as number;
      this.sum -= old;
      this.sumSquares -= old * old;
    }
    this.values[slot] = x;
    this.sum += x;
    this.sumSquares += x * x;
    this.count++;
  }
}
