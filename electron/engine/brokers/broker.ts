/**
 * What a broker tells the order manager about an order. Reports arrive in order per order.
 */
import type { Order, Quote, Trade } from '../../../shared/domain';

export type ExecutionReport =
  | { readonly kind: 'accepted'; readonly orderId: string; readonly time: number }
  | { readonly kind: 'fill'; readonly orderId: string; readonly price: number; readonly quantity: number; readonly time: number }
  | { readonly kind: 'canceled' | 'expired' | 'rejected'; readonly orderId: string; readonly time: number; readonly reason: string };

/** Receives execution reports; must not throw. */
export type ExecutionReportListener = (report: ExecutionReport) => void;

/** A broker adapter: paper today, Alpaca later. */
export interface Broker {
  /** Sends a new order (status pending_new). Outcome arrives as reports. */
  submit(order: Order, quote: Quote | null, now: number): void;
  /** Asks to cancel a working order; returns false when the broker does not know it as working. */
  cancel(orderId: string, now: number): boolean;
  /** Takes a working order off the book without a report (it is being replaced); false when not working. */
  detach(orderId: string): boolean;
  /** Re-arms an order that was working before a restart. */
  restore(order: Order): void;
  /** New NBBO for a symbol (paper fills against it). */
  onQuote(quote: Quote): void;
  /** A print (paper stops trigger on it). */
  onTrade(trade: Trade): void;
  /** The feed clock advanced to `now` (ms since epoch): expire day orders. */
  onClock(now: number): void;
}
