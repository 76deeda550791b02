/** Where the engine gets a session's earlier minute bars when its own store lacks them. */
import type { Bar, Symbol } from '../../../shared/domain';

export interface BarHistoryProvider {
  /** Human-readable name for logs, e.g. "Alpaca iex". */
  readonly name: string;
  /**
   * Closed 1-minute bars of `symbol` with `from ≤ openTime < to` (ms since epoch), oldest first.
   * @throws {HistoryError} when the provider refuses or fails.
   */
  minuteBars(symbol: Symbol, from: number, to: number): Promise<Bar[]>;
}

/** A history request that failed; `status` is the HTTP status when there was one. */
export class HistoryError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'HistoryError';
  }
}
