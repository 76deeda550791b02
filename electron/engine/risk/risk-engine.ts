/**
 * The risk state machine: ACTIVE → REDUCING or HALTED when the day's P&L (realized + unrealized)
 * reaches the daily loss limit, or by the trader (kill switch, manual). The state and the day's
 * counters are persisted on every change, so restarting the app cannot reset them; they reset at
 * the next trading date. While the loss lock is on, the trader cannot set the state back to
 * ACTIVE the same day.
 */
import type { RiskLimits, RiskStateKind, RiskStatus } from '../../../shared/domain';
import type { RiskStore } from '../store/risk-store';

export interface RiskChange {
  readonly previous: RiskStateKind;
  readonly status: RiskStatus;
}

export class RiskEngine {
  private status: RiskStatus;
  private readonly recentOrders: number[] = [];

  constructor(
    private readonly store: RiskStore,
    private readonly limits: () => RiskLimits,
    private readonly dayOf: (time: number) => string,
    now: number,
  ) {
    const today = dayOf(now);
    const stored = store.load();
    this.status = stored && stored.date === today ? stored : fresh(today);
    if (this.status !== stored) store.save(this.status, now);
  }

  get current(): RiskStatus {
    return this.status;
  }

  /** Orders sent in the 60 seconds before `now`. */
  ordersInLastMinute(now: number): number {
    while (this.recentOrders.length > 0 && (this.recentOrders[0] as number) <= now - 60_000) this.recentOrders.shift();
    return this.recentOrders.length;
  }

  /** A new trading date restarts the counters and the state (a change is returned when it was not active). */
  rollTo(now: number): RiskChange | null {
    const today = this.dayOf(now);
    if (today === this.status.date) return null;
    return this.change(fresh(today), now);
  }

  /** An order passed the checks and was sent. */
  recordOrder(now: number): void {
    this.recentOrders.push(now);
    this.change({ ...this.status, ordersToday: this.status.ordersToday + 1 }, now);
  }

  /** A fill happened. */
  recordFill(now: number): void {
    this.change({ ...this.status, tradesToday: this.status.tradesToday + 1 }, now);
  }

  /** The day's P&L moved (USD); engages the loss lock when it reaches −dailyLossLimit. */
  onDayPnl(dayPnl: number, now: number): RiskChange | null {
    const limits = this.limits();
    const status = { ...this.status, dayPnl };
    if (dayPnl <= -limits.dailyLossLimit && this.status.state === 'active') {
      const state: RiskStateKind = limits.lossLimitAction === 'halt' ? 'halted' : 'reducing';
      return this.change(
        { ...status, state, lossLocked: true, reason: `daily loss limit reached: day P&L ${dayPnl.toFixed(2)} USD, limit −${limits.dailyLossLimit.toFixed(2)} USD` },
        now,
      );
    }
    this.status = status; // P&L alone is not worth a write per print; it is saved with the next change
    return null;
  }

  /**
   * Sets the state by hand. Returns an error message instead when the loss lock forbids going
   * back to ACTIVE today.
   */
  setState(state: RiskStateKind, reason: string | null, now: number): RiskChange | string | null {
    if (state === 'active' && this.status.lossLocked) return 'The daily loss limit locked trading until the next session';
    return this.change({ ...this.status, state, reason: state === 'active' ? null : reason }, now);
  }

  private change(next: RiskStatus, now: number): RiskChange | null {
    const previous = this.status.state;
    this.status = next;
    try {
      this.store.save(next, now);
    } catch {
      // The database cannot be written (the order manager alerts and refuses new orders): the
      // state holds in memory and is written with the next change that can be.
    }
    return previous === next.state ? null : { previous, status: next };
  }
}

function fresh(date: string): RiskStatus {
  return { state: 'active', reason: null, date, ordersToday: 0, tradesToday: 0, dayPnl: 0 };
}
