/**
 * Order state machine, with the broker's (Alpaca's) state names:
 * pending_new → new → partially_filled → filled | canceled | expired | replaced; pending_new → rejected.
 * Terminal states never change again.
 */
import type { OrderStatus } from '../../../shared/domain';

const NEXT: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_new: ['new', 'rejected', 'canceled'],
  new: ['partially_filled', 'filled', 'canceled', 'expired', 'replaced'],
  partially_filled: ['partially_filled', 'filled', 'canceled', 'expired', 'replaced'],
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
