/**
 * Session VWAP: Σ price·size / Σ size over the prints of the current session segment, with
 * volume-weighted standard-deviation bands: σ = √(Σ size·price² / Σ size − VWAP²).
 *
 * Segments: the pre-market (04:00–09:30 ET) has its own VWAP; the regular-session VWAP resets at
 * 09:30 ET and is what charts show during the day. After-hours prints do not change it (the
 * value holds at the regular session's final VWAP), as trading platforms show a "session" VWAP.
 * Only prints that count in volume are included (see `bars/trade-eligibility`).
 */
import type { MarketSessionKind } from '../../../shared/domain';

/** VWAP and its σ, USD; null before the first print of the segment. */
export interface VwapSnapshot {
  readonly vwap: number | null;
  readonly sigma: number | null;
}

export class SessionVwap {
  private segment: MarketSessionKind | null = null;
  private segmentStart = -Infinity;
  private notional = 0;
  private squares = 0;
  private volume = 0;

  /** Current VWAP, USD, or null before the first print of the segment. */
  get current(): number | null {
    return this.volume > 0 ? this.notional / this.volume : null;
  }

  /** VWAP with its volume-weighted standard deviation. */
  snapshot(): VwapSnapshot {
    if (this.volume <= 0) return { vwap: null, sigma: null };
    const vwap = this.notional / this.volume;
    const variance = this.squares / this.volume - vwap * vwap;
    return { vwap, sigma: variance > 0 ? Math.sqrt(variance) : 0 };
  }

  /**
   * Adds a print of `size` shares at `price` USD that falls in `session`, whose segment began at
   * `segmentStart` (ms since epoch: 04:00 or 09:30 ET of the print's date).
   */
  add(price: number, size: number, session: MarketSessionKind, segmentStart: number): void {
    if (session === 'after_hours' || session === 'closed') return;
    if (session !== this.segment || segmentStart !== this.segmentStart) {
      this.segment = session;
      this.segmentStart = segmentStart;
      this.notional = 0;
      this.squares = 0;
      this.volume = 0;
    }
    this.notional += price * size;
    this.squares += price * price * size;
    this.volume += size;
  }
}
