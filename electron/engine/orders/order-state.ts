/**
 * Order state machine, with the broker's (Alpaca's) state names (Alpaca "Order Lifecycle"):
 *
 * ```
 * pending_new → new | rejected | canceled | partially_filled | filled   (a fill can beat the acknowledgement)
 * new, partially_filled → partially_filled | filled | canceled | expired | replaced | pending_cancel | pending_replace
 * pending_cancel → canceled | filled | expired | new | partially_filled   (back when the broker refuses the cancel)
 *                | rejected   (canceled before the broker's acknowledgement, then refused by it)
 * pending_replace → replaced | filled | canceled | expired | new | partially_filled | rejected | pending_cancel
 * ```
 * An order in pending_cancel or pending_replace can still fill (the request may lose the race).
 * Terminal states (filled, canceled, expired, rejected, replaced) never change again.
 */
import type { OrderStatus } from '../../../shared/domain';

const LIVE: readonly OrderStatus[] = ['partially_filled', 'filled', 'canceled', 'expired', 'replaced', 'pending_cancel', 'pending_replace'];

const NEXT: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_new: ['new', 'rejected', 'canceled', 'partially_filled', 'filled', 'pending_cancel'],
  new: LIVE,
  partially_filled: LIVE,
  pending_cancel: ['canceled', 'filled', 'partially_filled', 'pending_cancel', 'expired', 'new', 'rejected'],
  pending_replace: ['replaced', 'filled', 'partially_filled', 'pending_replace', 'pending_cancel', 'canceled', 'expired', 'new', 'rejected'],
  filled: [],
  canceled: [],
  expired: [],
  rejected: [],
  replaced: [],
};

/** `true` when an order in `from` may move to `to`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

/** Pending cancel/replace: the broker has a request for the order it has not answered yet. */
export function isPendingChange(status: OrderStatus): boolean {
  return status === 'pending_cancel' || status === 'pending_replace';
}
