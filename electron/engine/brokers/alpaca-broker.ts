/**
 * Alpaca broker adapter (paper and live) through the official `@alpacahq/alpaca-trade-api` v4
 * SDK: REST v2 orders, positions and account, and the `trade_updates` stream
 * (docs: alpaca-docs `oas/trading/openapi.yaml`, `content/api-references/trading-api/streaming.md`;
 * `../shared/PROTOCOLS.md` §2–3).
 *
 * What it guarantees the order manager:
 * - **One order at the broker per client_order_id.** A submit whose outcome is unknown (timeout,
 *   network error, 5xx) is looked up by client_order_id before it is sent again, and a 422
 *   "client_order_id must be unique" resolves to the order Alpaca already has. Retries back off
 *   exponentially with jitter (`exponential-backoff`); 429 waits and retries; 401/403/404/422 are
 *   final and reported as a rejection with Alpaca's code and message.
 * - **Each execution applied once.** Fills are derived from Alpaca's cumulative `filled_qty` and
 *   `filled_avg_price` against what was already reported, so a stream event, a REST reply and a
 *   reconciliation describing the same execution add it once; the price of the shares not yet
 *   reported is (avg·filled − reported avg·reported) ÷ new shares.
 * - **Reconciliation** after every (re)connection of the order stream and after a restart: open
 *   and recent orders (`GET /v2/orders?status=all&nested=true`), positions and the account are
 *   read; fills missed while the stream was down are applied, orders that ended meanwhile end,
 *   orders that never reached Alpaca are rejected. New orders wait (see {@link readiness}) until
 *   the stream is up and reconciliation is done.
 * - Bracket, oto and oco orders are sent as such: Alpaca creates and runs the exit legs, which
 *   become local orders through `leg_created` reports.
 */
import { randomUUID } from 'node:crypto';
import { backOff } from 'exponential-backoff';
import { ApiError, DEFAULT_RATE_LIMIT, FetchError, trading, streaming } from '@alpacahq/alpaca-trade-api';
import type { Order, OrderType, Quote } from '../../../shared/domain';
import type { AlpacaTradingConfig } from '../../../shared/engine-config';
import type { Broker, ExecutionReport, ExecutionReportListener } from './broker';

type AlpacaOrder = trading.Order;

/** Where and how to reach Alpaca (keys, URLs, live or paper) and the adapter's timing. */
export interface AlpacaBrokerConfig extends AlpacaTradingConfig {
  /** Per-request timeout, ms (default 10 000). */
  readonly requestTimeoutMs?: number;
  /** Attempts for a submit whose outcome is unknown, including the first (default 4). */
  readonly submitAttempts?: number;
  /** First retry delay, ms (default 250; doubles up to 4 s, full jitter). */
  readonly retryDelayMs?: number;
  /**
   * Reconcile this often while connected, ms (default 60 000): catches updates a stream that is
   * open but silent never delivered (its pings are still answered, so only REST can tell).
   */
  readonly reconcileIntervalMs?: number;
  /** Stream reconnect: first delay and cap, ms (default 1 000 and 30 000; forever). */
  readonly reconnectMs?: { readonly initial: number; readonly max: number };
  /** Client-side request rate limit (SDK default ~200/min); `false` turns it off (tests). */
  readonly rateLimit?: false;
}

/** Alpaca's view of the account after a reconciliation (USD and signed shares). */
export interface BrokerSnapshot {
  readonly account: { readonly cash: number; readonly equity: number; readonly buyingPower: number };
  readonly positions: ReadonlyArray<{ readonly symbol: string; readonly quantity: number; readonly averageEntryPrice: number }>;
  /** Wall clock, ms since epoch. */
  readonly at: number;
  /**
   * No fill was reported while positions and account were read: the figures match the
   * workstation's. When false, compare them at the next reconciliation instead.
   */
  readonly consistent: boolean;
}

/** What the adapter tells the engine besides execution reports. */
export interface AlpacaBrokerHooks {
  /** Connection state or reconciliation changed. */
  onHealth(): void;
  /** A reconciliation finished: compare positions and cash with the broker's. */
  onReconciled(snapshot: BrokerSnapshot): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

/** What the adapter knows of one local order. */
interface Tracked {
  readonly localId: string;
  readonly clientOrderId: string;
  brokerId: string | null;
  accepted: boolean;
  terminal: boolean;
  /** Shares and average price already reported as fills. */
  reportedQuantity: number;
  reportedAverage: number;
  /** The trader canceled before Alpaca's id was known: cancel once it is. */
  cancelWanted: boolean;
  /** A submit ended without knowing whether Alpaca has the order: reconciliation decides. */
  unconfirmed: boolean;
  /** A submit (POST or PATCH) is under way: reconciliation must not judge the order yet. */
  inFlight: boolean;
  /** A cancel or replace asked of Alpaca and not yet answered by the order's state, with when (wall ms; 0 = before a restart). */
  pendingRequest: { readonly kind: 'cancel' | 'replace'; readonly since: number } | null;
  /** For a replacement: the local order it replaces. */
  replacesLocalId: string | null;
  /** When the order was created, ms since epoch. */
  readonly createdAt: number;
}

/** How long a cancel or replace may go unanswered before reconciliation settles it, ms. */
const PENDING_REQUEST_TIMEOUT_MS = 10_000;

const DUPLICATE_CLIENT_ORDER_ID = 40010001;

/** A number Alpaca sent as a string (or null). */
function num(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : 0;
}

function msOf(value: Date | string | null | undefined, fallback: number): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const t = Date.parse(value);
    if (Number.isFinite(t)) return t;
  }
  return fallback;
}

/** The trader-readable text of an Alpaca error: status, 8-digit code and message. */
export function describeAlpacaError(error: unknown): string {
  if (error instanceof ApiError) return `Alpaca answered ${error.status}${error.code ? ` (code ${error.code})` : ''}: ${error.message}`;
  if (error instanceof FetchError) return `Alpaca did not answer: ${error.cause instanceof Error ? error.cause.message : error.message}`;
  return `Alpaca request failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** Timeout, network failure or 5xx: the request may or may not have been carried out. */
function isAmbiguous(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 500;
  return true;
}

function isRateLimited(error: unknown): boolean {
  return error instanceof ApiError && error.status === 429;
}

export class AlpacaBroker implements Broker {
  readonly managesOrderClasses = true;
  private readonly ordersApi: trading.OrdersApi;
  private readonly positionsApi: trading.PositionsApi;
  private readonly accountApi: trading.AccountsApi;
  private readonly stream: streaming.TradingStream;
  private readonly byLocal = new Map<string, Tracked>();
  private readonly byClientId = new Map<string, Tracked>();
  private readonly byBrokerId = new Map<string, Tracked>();
  private state: 'connecting' | 'connected' | 'disconnected' | 'error' = 'connecting';
  private streamUp = false;
  private reconciling = false;
  private reconcileAgain = false;
  private lastReconciledAt: number | null = null;
  /** Reconciled since the stream last (re)connected: until then nothing new goes out. */
  private reconciledSinceConnect = false;
  /** Fills reported so far: a reconciliation snapshot is consistent when none arrived while it was read. */
  private fillsReported = 0;
  private detail: string | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private periodicTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly warnedExternal = new Set<string>();
  /** Exit legs Alpaca holds until their entry fills (Alpaca id → parent): they become local orders when they go live. */
  private readonly heldLegs = new Map<string, Tracked>();

  constructor(
    private readonly config: AlpacaBrokerConfig,
    private readonly report: ExecutionReportListener,
    private readonly hooks: AlpacaBrokerHooks,
  ) {
    const rest = new trading.Configuration({
      basePath: config.baseUrl.replace(/\/+$/, ''),
      keyId: config.keyId,
      secret: config.secretKey,
      paper: !config.live,
      timeoutMs: config.requestTimeoutMs ?? 10_000,
      // The SDK retries only safe verbs (GET, DELETE) on 429/5xx; submits are retried below.
      retry: { maxRetries: 2, respectRetryAfter: true },
      ...(config.rateLimit === false ? {} : { rateLimit: DEFAULT_RATE_LIMIT }),
    });
    this.ordersApi = new trading.OrdersApi(rest);
    this.positionsApi = new trading.PositionsApi(rest);
    this.accountApi = new trading.AccountsApi(rest);
    const streamUrl = config.streamUrl ?? `${config.baseUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/stream`;
    this.stream = new streaming.TradingStream({
      url: streamUrl,
      credentials: { keyId: config.keyId, secret: config.secretKey },
      maxReconnectAttempts: streaming.UNLIMITED_RECONNECT_ATTEMPTS,
      initialReconnectMs: config.reconnectMs?.initial ?? 1_000,
      maxReconnectMs: config.reconnectMs?.max ?? 30_000,
    });
    this.stream.onTradeUpdate((update) => this.onTradeUpdate(update));
    this.stream.on('subscription', () => {
      this.streamUp = true;
      this.reconciledSinceConnect = false;
      this.state = 'connected';
      this.detail = null;
      this.reconcile();
    });
    this.stream.onDisconnect(() => {
      if (this.closed) return;
      this.streamUp = false;
      this.reconciledSinceConnect = false;
      if (this.state !== 'error') this.state = 'disconnected';
      this.detail = this.detail ?? "Alpaca's order-update stream dropped: reconnecting";
      this.hooks.log('warn', "Alpaca trade_updates stream disconnected");
      this.hooks.onHealth();
    });
    this.stream.onError((message) => {
      if (/auth/i.test(message)) {
        this.state = 'error';
        this.detail = 'Alpaca refused the API keys: check the key id and secret in Settings → Keys (or APCA_API_KEY_ID / APCA_API_SECRET_KEY)';
      } else {
        this.detail = `Alpaca stream: ${message}`;
      }
      this.hooks.log('warn', `Alpaca stream error: ${message}`);
      this.hooks.onHealth();
    });
  }

  /** Reports to the order manager, until closed (a late REST reply after shutdown is dropped). */
  private emit(report: ExecutionReport): void {
    if (!this.closed) this.report(report);
  }

  /** Opens the order-update stream; reconciliation follows once it listens. */
  start(): void {
    this.stream.subscribeTradeUpdates();
    this.stream.connect();
    this.periodicTimer = setInterval(() => {
      if (this.streamUp && !this.reconciling) this.reconcile();
    }, this.config.reconcileIntervalMs ?? 60_000);
    this.periodicTimer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.reconcileTimer) clearTimeout(this.reconcileTimer);
    if (this.periodicTimer) clearInterval(this.periodicTimer);
    this.stream.disconnect();
  }

  health(): ReturnType<Broker['health']> {
    return {
      provider: 'alpaca',
      mode: this.config.live ? 'live' : 'paper',
      state: this.state,
      streamUp: this.streamUp,
      lastReconciledAt: this.lastReconciledAt,
      detail: this.detail,
    };
  }

  readiness(): ReturnType<Broker['readiness']> {
    if (this.state === 'error') return { ready: false, reason: this.detail ?? 'Alpaca connection failed' };
    if (!this.streamUp) return { ready: false, reason: "Alpaca's order-update stream is down" };
    if (!this.reconciledSinceConnect) return { ready: false, reason: 'Reconciling orders and positions with Alpaca' };
    return { ready: true };
  }

  submit(order: Order, _quote: Quote | null, _now: number): void {
    const t = this.track(order);
    void this.send(t, () => this.ordersApi.postOrder({ postOrderRequest: toPostOrder(order) }));
  }

  restore(order: Order): void {
    const t = this.track(order);
    // Alpaca decides at the next reconciliation: an order left pending_new may have reached it;
    // a cancel or replace asked before the restart may or may not have been sent.
    t.unconfirmed = order.status === 'pending_new';
    if (order.status === 'pending_cancel') t.pendingRequest = { kind: 'cancel', since: 0 };
    if (order.status === 'pending_replace') t.pendingRequest = { kind: 'replace', since: 0 };
  }

  cancel(orderId: string, now: number): boolean {
    const t = this.byLocal.get(orderId);
    if (!t || t.terminal) return false;
    this.emit({ kind: 'pending_cancel', orderId, time: now });
    t.pendingRequest = { kind: 'cancel', since: Date.now() };
    if (t.brokerId === null) t.cancelWanted = true;
    else void this.sendCancel(t);
    return true;
  }

  replace(old: Order, replacement: Order, _quote: Quote | null, now: number, quantityChanged = true): void {
    const from = this.byLocal.get(old.id);
    const t = this.track(replacement);
    t.replacesLocalId = old.id;
    if (!from || from.brokerId === null || from.terminal) {
      const reason = `Order ${old.clientOrderId} is not working at Alpaca`;
      this.emit({ kind: 'replace_rejected', orderId: old.id, time: now, reason });
      this.finish(t, { kind: 'rejected', orderId: t.localId, time: now, reason });
      return;
    }
    this.emit({ kind: 'pending_replace', orderId: old.id, time: now });
    from.pendingRequest = { kind: 'replace', since: Date.now() };
    const brokerId = from.brokerId;
    // Without a new quantity Alpaca keeps the shares still open at the moment it replaces, so a
    // fill during the request cannot make the replacement sell more than is held.
    const patch: trading.PatchOrderRequest = {
      ...(quantityChanged ? { qty: String(replacement.quantity) } : {}),
      clientOrderId: replacement.clientOrderId,
      ...(replacement.limitPrice !== null ? { limitPrice: String(replacement.limitPrice) } : {}),
      ...(replacement.stopPrice !== null ? { stopPrice: String(replacement.stopPrice) } : {}),
    };
    void this.send(t, () => this.ordersApi.patchOrderByOrderId({ orderId: brokerId, patchOrderRequest: patch }), (reason) => {
      from.pendingRequest = null;
      this.emit({ kind: 'replace_rejected', orderId: old.id, time: Date.now(), reason });
    });
  }

  refresh(): void {
    this.reconcile();
  }

  onQuote(): void {}
  onTrade(): void {}
  onClock(): void {}

  /** Starts tracking a local order. */
  private track(order: Order): Tracked {
    const existing = this.byLocal.get(order.id);
    if (existing) return existing;
    const t: Tracked = {
      localId: order.id,
      clientOrderId: order.clientOrderId,
      brokerId: null,
      accepted: order.status !== 'pending_new',
      terminal: false,
      reportedQuantity: order.filledQuantity,
      reportedAverage: order.averageFillPrice ?? 0,
      cancelWanted: false,
      unconfirmed: false,
      inFlight: false,
      pendingRequest: null,
      replacesLocalId: null,
      createdAt: order.createdAt,
    };
    this.byLocal.set(order.id, t);
    this.byClientId.set(order.clientOrderId, t);
    return t;
  }

  /**
   * Sends a new order (or a replace) once: an ambiguous failure is followed by a lookup by
   * client_order_id before the next attempt. `onRefused` runs when Alpaca refuses for good.
   */
  private async send(t: Tracked, request: () => Promise<AlpacaOrder>, onRefused?: (reason: string) => void): Promise<void> {
    let ambiguous = false;
    t.inFlight = true;
    try {
      const placed = await backOff(
        async () => {
          if (ambiguous) {
            const found = await this.lookup(t.clientOrderId);
            if (found) return found;
          }
          try {
            return await request();
          } catch (error) {
            if (error instanceof ApiError && error.status === 422 && Number(error.code) === DUPLICATE_CLIENT_ORDER_ID) {
              const found = await this.lookup(t.clientOrderId);
              if (found) return found;
            }
            if (isAmbiguous(error)) ambiguous = true;
            throw error;
          }
        },
        {
          numOfAttempts: this.config.submitAttempts ?? 4,
          startingDelay: this.config.retryDelayMs ?? 250,
          maxDelay: 4_000,
          jitter: 'full',
          retry: (error) => !this.closed && (isAmbiguous(error) || isRateLimited(error)),
        },
      );
      t.inFlight = false;
      this.learn(t, placed, Date.now());
    } catch (error) {
      t.inFlight = false;
      const reason = describeAlpacaError(error);
      if (ambiguous || isRateLimited(error)) {
        // Alpaca may have it: do not guess. Reconciliation finds it or rejects it.
        t.unconfirmed = true;
        this.hooks.log('warn', `Order ${t.clientOrderId} unconfirmed after retries (${reason}): reconciling`);
        this.scheduleReconcile(2_000);
        return;
      }
      onRefused?.(reason);
      this.finish(t, { kind: 'rejected', orderId: t.localId, time: Date.now(), reason });
    }
  }

  /** Alpaca's order with this client_order_id, or null when it has none (404). */
  private async lookup(clientOrderId: string): Promise<AlpacaOrder | null> {
    try {
      return await this.ordersApi.getOrderByClientOrderId({ clientOrderId });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  private async sendCancel(t: Tracked): Promise<void> {
    if (t.brokerId === null) return;
    try {
      await this.ordersApi.deleteOrderByOrderID({ orderId: t.brokerId });
      // 204: the cancel is accepted; the canceled event (or reconciliation) ends the order.
    } catch (error) {
      const reason = describeAlpacaError(error);
      t.pendingRequest = null;
      if (!t.terminal) this.emit({ kind: 'cancel_rejected', orderId: t.localId, time: Date.now(), reason });
      if (error instanceof ApiError && error.status === 404) {
        // Alpaca does not know the order: reconciliation settles what became of it.
        this.reconcile();
        return;
      }
      // 422 usually means it filled meanwhile: read its state now.
      try {
        const current = await this.ordersApi.getOrderByOrderID({ orderId: t.brokerId });
        this.apply(t, current, Date.now());
      } catch (lookupError) {
        this.hooks.log('warn', `After a refused cancel of ${t.clientOrderId}: ${describeAlpacaError(lookupError)}`);
      }
    }
  }

  /** Alpaca's id for a local order is known now. */
  private learn(t: Tracked, order: AlpacaOrder, time: number): void {
    if (order.id && t.brokerId !== order.id) {
      t.brokerId = order.id;
      this.byBrokerId.set(order.id, t);
    }
    t.unconfirmed = false;
    this.apply(t, order, time);
    if (t.cancelWanted && !t.terminal) {
      t.cancelWanted = false;
      void this.sendCancel(t);
    }
  }

  /**
   * Brings a local order up to Alpaca's state of it: acknowledgement, new shares filled, then the
   * end state. Idempotent: the same snapshot applied twice reports nothing the second time.
   */
  private apply(t: Tracked, order: AlpacaOrder, fallbackTime: number, execution?: { id?: string; price?: string; qty?: string; time?: number }): void {
    const time = execution?.time ?? msOf(order.updatedAt, fallbackTime);
    // Legs first: a filled entry's exits keep changing after the entry itself has ended.
    for (const leg of order.legs ?? []) this.learnLeg(t, leg as AlpacaOrder, time);
    if (t.terminal) return;
    const status = String(order.status ?? '');
    if (!t.accepted && status !== 'rejected' && status !== 'pending_new') {
      t.accepted = true;
      this.emit({ kind: 'accepted', orderId: t.localId, time, quantity: num(order.qty) });
    }
    const filled = num(order.filledQty);
    if (filled > t.reportedQuantity) {
      const quantity = filled - t.reportedQuantity;
      const average = num(order.filledAvgPrice);
      const eventPrice = num(execution?.price);
      const price =
        execution && num(execution.qty) === quantity && eventPrice > 0 ? eventPrice : (average * filled - t.reportedAverage * t.reportedQuantity) / quantity;
      t.reportedQuantity = filled;
      t.reportedAverage = average;
      this.fillsReported++;
      this.emit({ kind: 'fill', orderId: t.localId, price: Math.round(price * 1e6) / 1e6, quantity, time, ...(execution?.id ? { executionId: execution.id } : {}) });
    }
    switch (status) {
      case 'filled':
        t.terminal = true;
        t.pendingRequest = null;
        return;
      case 'canceled':
        this.finish(t, { kind: 'canceled', orderId: t.localId, time, reason: t.cancelWanted ? 'Canceled by the trader' : 'Canceled at Alpaca' });
        return;
      case 'expired':
        this.finish(t, { kind: 'expired', orderId: t.localId, time, reason: 'Expired at Alpaca (end of its time in force)' });
        return;
      case 'done_for_day':
        return; // no more fills today; it works again the next session
      case 'rejected':
        this.finish(t, { kind: 'rejected', orderId: t.localId, time, reason: 'Rejected by Alpaca' });
        return;
      case 'replaced': {
        const by = order.replacedBy ? this.byBrokerId.get(order.replacedBy) : undefined;
        this.finish(t, { kind: 'replaced', orderId: t.localId, replacementId: by?.localId ?? String(order.replacedBy ?? ''), time });
        return;
      }
      case 'pending_cancel':
      case 'pending_replace':
        this.emit({ kind: status, orderId: t.localId, time });
        return;
      default:
        this.settlePendingRequest(t, time);
        return;
    }
  }

  /**
   * Alpaca shows the order still working while a cancel or replace of it is pending locally: a
   * request from before a restart is sent again (cancel) or given up (replace); one unanswered
   * for {@link PENDING_REQUEST_TIMEOUT_MS} is reported refused, so the order is never stuck.
   */
  private settlePendingRequest(t: Tracked, time: number): void {
    const pending = t.pendingRequest;
    if (!pending || t.inFlight) return;
    if (pending.kind === 'cancel' && pending.since === 0) {
      t.pendingRequest = { kind: 'cancel', since: Date.now() };
      void this.sendCancel(t);
      return;
    }
    if (pending.since !== 0 && Date.now() - pending.since < PENDING_REQUEST_TIMEOUT_MS) return;
    t.pendingRequest = null;
    const kind = pending.kind === 'cancel' ? 'cancel_rejected' : 'replace_rejected';
    this.emit({ kind, orderId: t.localId, time, reason: `Alpaca still shows the order working: the ${pending.kind} did not take effect` });
  }

  /** A bracket/oto/oco exit Alpaca created: it becomes a local order of the parent's group. */
  private learnLeg(parent: Tracked, leg: AlpacaOrder, time: number): void {
    const clientOrderId = leg.clientOrderId;
    if (!clientOrderId || !leg.id) return;
    let t = this.byClientId.get(clientOrderId);
    if (!t && String(leg.status) === 'held') {
      this.heldLegs.set(leg.id, parent);
      return;
    }
    if (!t) {
      this.heldLegs.delete(leg.id);
      const localId = randomUUID();
      this.emit({
        kind: 'leg_created',
        orderId: localId,
        parentId: parent.localId,
        clientOrderId,
        side: leg.side === 'buy' ? 'buy' : 'sell',
        type: (leg.type as OrderType | undefined) ?? 'limit',
        quantity: num(leg.qty),
        limitPrice: leg.limitPrice ? num(leg.limitPrice) : null,
        stopPrice: leg.stopPrice ? num(leg.stopPrice) : null,
        time,
      });
      t = {
        localId,
        clientOrderId,
        brokerId: leg.id,
        accepted: true,
        terminal: false,
        reportedQuantity: 0,
        reportedAverage: 0,
        cancelWanted: false,
        unconfirmed: false,
        inFlight: false,
        pendingRequest: null,
        replacesLocalId: null,
        createdAt: msOf(leg.createdAt, time),
      };
      this.byLocal.set(localId, t);
      this.byClientId.set(clientOrderId, t);
      this.byBrokerId.set(leg.id, t);
    }
    this.apply(t, leg, time);
  }

  private finish(t: Tracked, report: ExecutionReport): void {
    if (t.terminal) return;
    t.terminal = true;
    t.pendingRequest = null;
    this.emit(report);
  }

  private onTradeUpdate(update: streaming.TradeUpdate): void {
    const order = update.order;
    const t = (order.id ? this.byBrokerId.get(order.id) : undefined) ?? (order.clientOrderId ? this.byClientId.get(order.clientOrderId) : undefined);
    const heldParent = order.id ? this.heldLegs.get(order.id) : undefined;
    if (!t && heldParent) {
      this.learnLeg(heldParent, order, update.timestamp instanceof Date ? update.timestamp.getTime() : Date.now());
      return;
    }
    if (!t) {
      const key = order.id ?? order.clientOrderId ?? '?';
      if (!this.warnedExternal.has(key)) {
        this.warnedExternal.add(key);
        this.hooks.log('info', `Alpaca order ${order.clientOrderId ?? key} (${order.symbol ?? ''}) was not placed from this workstation: left alone`);
      }
      return;
    }
    if (order.id && t.brokerId === null) {
      t.brokerId = order.id;
      this.byBrokerId.set(order.id, t);
    }
    const time = update.timestamp instanceof Date ? update.timestamp.getTime() : Date.now();
    const isFill = update.event === 'fill' || update.event === 'partial_fill';
    if (update.event === 'order_cancel_rejected' || update.event === 'order_replace_rejected') {
      t.pendingRequest = null;
      const kind = update.event === 'order_cancel_rejected' ? 'cancel_rejected' : 'replace_rejected';
      this.emit({ kind, orderId: t.localId, time, reason: `Alpaca refused the ${kind === 'cancel_rejected' ? 'cancel' : 'replace'}` });
      return;
    }
    this.apply(t, order, time, isFill ? { ...(update.executionId ? { id: String(update.executionId) } : {}), ...(update.price ? { price: update.price } : {}), ...(update.qty ? { qty: update.qty } : {}), time } : undefined);
    if (t.cancelWanted && !t.terminal) {
      t.cancelWanted = false;
      void this.sendCancel(t);
    }
  }

  private scheduleReconcile(ms: number): void {
    if (this.closed || this.reconcileTimer) return;
    this.reconcileTimer = setTimeout(() => {
      this.reconcileTimer = null;
      this.reconcile();
    }, ms);
  }

  /**
   * Reads Alpaca's orders, positions and account and brings every tracked order up to date.
   * Runs after each stream (re)connection; a failure is retried in 5 s.
   */
  reconcile(): void {
    if (this.closed) return;
    if (this.reconciling) {
      this.reconcileAgain = true;
      return;
    }
    this.reconciling = true;
    this.hooks.onHealth();
    void this.reconcileOnce()
      .then((snapshot) => {
        this.lastReconciledAt = snapshot.at;
        if (this.streamUp) this.reconciledSinceConnect = true;
        if (this.state !== 'error') this.detail = null;
        this.hooks.onReconciled(snapshot);
      })
      .catch((error: unknown) => {
        this.detail = `Reconciliation with Alpaca failed (${describeAlpacaError(error)}): retrying`;
        this.hooks.log('warn', this.detail);
        this.scheduleReconcile(5_000);
      })
      .finally(() => {
        this.reconciling = false;
        this.hooks.onHealth();
        if (this.reconcileAgain) {
          this.reconcileAgain = false;
          this.reconcile();
        }
      });
  }

  private async reconcileOnce(): Promise<BrokerSnapshot> {
    const open = [...this.byLocal.values()].filter((t) => !t.terminal);
    // Two days back, or further for an older working order (gtc): covers today's orders and a session that crossed midnight.
    const oldest = Math.min(Date.now(), ...open.map((t) => t.createdAt));
    let after = new Date(Math.min(Date.now() - 2 * 86_400_000, oldest - 60_000)).toISOString();
    const seen = new Set<Tracked>();
    for (let page = 0; page < 20; page++) {
      const batch = await this.ordersApi.getAllOrders({ status: 'all', after, direction: 'asc', nested: true, limit: 500 });
      for (const order of batch) {
        const t = (order.id ? this.byBrokerId.get(order.id) : undefined) ?? (order.clientOrderId ? this.byClientId.get(order.clientOrderId) : undefined);
        if (!t) continue;
        seen.add(t);
        this.learn(t, order, Date.now());
        for (const leg of order.legs ?? []) {
          const legTracked = leg.clientOrderId ? this.byClientId.get(leg.clientOrderId) : undefined;
          if (legTracked) seen.add(legTracked);
        }
      }
      const last = batch[batch.length - 1];
      if (batch.length < 500 || !last?.createdAt) break;
      after = last.createdAt.toISOString();
    }
    for (const t of open) {
      // A submit under way is judged by its own reply, not by a list read before Alpaca had it.
      if (seen.has(t) || t.terminal || t.inFlight) continue;
      const found = await this.lookup(t.clientOrderId);
      if (found) this.learn(t, found, Date.now());
      else if (t.inFlight || t.terminal) continue;
      else if (!t.accepted || t.unconfirmed) {
        this.finish(t, { kind: 'rejected', orderId: t.localId, time: Date.now(), reason: 'Alpaca has no order with this client_order_id: it never reached the broker' });
        const replaced = t.replacesLocalId ? this.byLocal.get(t.replacesLocalId) : undefined;
        if (replaced && !replaced.terminal) {
          replaced.pendingRequest = null;
          this.emit({ kind: 'replace_rejected', orderId: replaced.localId, time: Date.now(), reason: 'The replacement never reached Alpaca: the order keeps working as it was' });
        }
      } else {
        this.finish(t, { kind: 'canceled', orderId: t.localId, time: Date.now(), reason: 'Alpaca has no record of this working order' });
      }
    }
    const fillsBefore = this.fillsReported;
    const [positions, account] = await Promise.all([this.positionsApi.getAllOpenPositions(), this.accountApi.getAccount()]);
    return {
      account: { cash: num(account.cash), equity: num(account.equity), buyingPower: num(account.buyingPower) },
      positions: positions.map((p) => ({ symbol: String(p.symbol), quantity: num(p.qty), averageEntryPrice: num(p.avgEntryPrice) })),
      at: Date.now(),
      consistent: this.fillsReported === fillsBefore,
    };
  }
}

/**
 * The account id under which an Alpaca account's orders, fills and risk counters are stored:
 * `alpaca-paper-<key id>` or `alpaca-live-<key id>` (a key id names one account; it is not secret).
 */
export function alpacaAccountId(config: Pick<AlpacaTradingConfig, 'keyId' | 'live'>): string {
  return `alpaca-${config.live ? 'live' : 'paper'}-${config.keyId}`;
}

/** The body of `POST /v2/orders` for a local order (numbers as strings, Alpaca's names). */
export function toPostOrder(order: Order): trading.PostOrderRequest {
  const legs = order.legs;
  return {
    symbol: order.symbol,
    qty: String(order.quantity),
    side: order.side,
    type: order.type,
    timeInForce: order.timeInForce,
    clientOrderId: order.clientOrderId,
    ...(order.limitPrice !== null ? { limitPrice: String(order.limitPrice) } : {}),
    ...(order.stopPrice !== null ? { stopPrice: String(order.stopPrice) } : {}),
    ...(order.trailPrice !== null ? { trailPrice: String(order.trailPrice) } : {}),
    ...(order.trailPercent !== null ? { trailPercent: String(order.trailPercent) } : {}),
    ...(order.extendedHours ? { extendedHours: true } : {}),
    ...(order.orderClass !== 'simple' ? { orderClass: order.orderClass } : {}),
    ...(legs?.takeProfit ? { takeProfit: { limitPrice: String(legs.takeProfit.limitPrice) } } : {}),
    ...(legs?.stopLoss
      ? { stopLoss: { stopPrice: String(legs.stopLoss.stopPrice), ...(legs.stopLoss.limitPrice !== undefined ? { limitPrice: String(legs.stopLoss.limitPrice) } : {}) } }
      : {}),
  } as trading.PostOrderRequest;
}
