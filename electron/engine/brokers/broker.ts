/**
 * What a broker adapter does for the order manager, and what it tells it back. Reports about one
 * order arrive in the order they happened; an adapter may report synchronously (paper) or later
 * (a remote broker's REST replies and order-update stream).
 */
import type { BrokerHealth, Order, OrderSide, OrderType, Quote, Trade } from '../../../shared/domain';

export type ExecutionReport =
  /**
   * The broker has the order and it is working. `quantity`: the shares it accepted when that
   * differs from the order's (a replacement sized by the broker to the shares still open).
   */
  | { readonly kind: 'accepted'; readonly orderId: string; readonly time: number; readonly quantity?: number }
  /**
   * Shares executed (USD per share). `executionId` is the broker's id of the execution when it
   * has one; an adapter reports each execution once, also across reconnects.
   */
  | { readonly kind: 'fill'; readonly orderId: string; readonly price: number; readonly quantity: number; readonly time: number; readonly executionId?: string }
  | { readonly kind: 'canceled' | 'expired' | 'rejected'; readonly orderId: string; readonly time: number; readonly reason: string }
  /** The broker received a cancel or replace request for a working order and has not answered it yet. */
  | { readonly kind: 'pending_cancel' | 'pending_replace'; readonly orderId: string; readonly time: number }
  /** The broker refused to cancel or replace: the order keeps working as it was. */
  | { readonly kind: 'cancel_rejected' | 'replace_rejected'; readonly orderId: string; readonly time: number; readonly reason: string }
  /** The order was replaced by `replacementId` (the broker's cancel/replace succeeded). */
  | { readonly kind: 'replaced'; readonly orderId: string; readonly replacementId: string; readonly time: number }
  /**
   * The broker created an exit leg of `parentId` on its side (a bracket's take-profit or stop-loss
   * at Alpaca). `orderId` is a new local id chosen by the adapter; later reports use it.
   */
  | {
      readonly kind: 'leg_created';
      readonly orderId: string;
      readonly parentId: string;
      readonly clientOrderId: string;
      readonly side: OrderSide;
      readonly type: OrderType;
      readonly quantity: number;
      readonly limitPrice: number | null;
      readonly stopPrice: number | null;
      readonly time: number;
    };

/** Receives execution reports; must not throw. */
export type ExecutionReportListener = (report: ExecutionReport) => void;

/** A broker adapter: {@link PaperBroker} or {@link AlpacaBroker}. */
export interface Broker {
  /**
   * The broker runs bracket, oto and oco exits itself (it creates the legs and cancels the other
   * leg); when false, the order manager arms and cancels them.
   */
  readonly managesOrderClasses: boolean;
  /** Connection state for the health window; `heldOrders` is filled in by the order manager. */
  health(): Omit<BrokerHealth, 'heldOrders'>;
  /**
   * Whether a new order can go out now. An adapter whose order-update stream is down answers
   * with the reason, so the order manager holds or refuses the order (settings).
   */
  readiness(): { readonly ready: true } | { readonly ready: false; readonly reason: string };
  /** Sends a new order (status pending_new). Outcome arrives as reports. */
  submit(order: Order, quote: Quote | null, now: number): void;
  /** Asks to cancel a working order; false when the adapter does not know it as working. */
  cancel(orderId: string, now: number): boolean;
  /**
   * Cancel/replace: `replacement` (a new order, pending_new, new client_order_id) takes the place of
   * the working order `old`. Reports: `replaced` for the old and `accepted` for the new order, or
   * `replace_rejected` for the old and `rejected` for the new one.
   */
  replace(old: Order, replacement: Order, quote: Quote | null, now: number, quantityChanged: boolean): void;
  /** Asks a remote broker to reconcile now (a cancel seems to take long); nothing for paper. */
  refresh?(): void;
  /** Re-arms (paper) or re-learns (remote) an order that was working before a restart. */
  restore(order: Order): void;
  /** New NBBO for a symbol (paper fills against it). */
  onQuote(quote: Quote): void;
  /** A print (paper stops trigger on it). */
  onTrade(trade: Trade): void;
  /** The feed clock advanced to `now` (ms since epoch): expire day orders. */
  onClock(now: number): void;
  /** Stops timers and connections. */
  close(): void;
}
