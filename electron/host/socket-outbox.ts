/**
 * Bounded sending to one window's WebSocket. The engine coalesces per frame, but it cannot see
 * the socket: a window that stops reading (a frozen tab, a dead laptop on the LAN) would make
 * `ws` buffer every frame's batch without limit in the host. So:
 * - while the socket's `bufferedAmount` is under {@link OutboxLimits.highWaterBytes}, messages
 *   go out at once, as before;
 * - above it, messages are held: state events (ticker, forming bar, position, account, health,
 *   risk) are coalesced by key, latest wins, as the engine's publisher does; everything else
 *   (orders, fills, alerts, prints, snapshots, replies) is kept in order;
 * - once the socket drains below {@link OutboxLimits.lowWaterBytes}, the held messages go out in
 *   order, the coalesced state last (replies keep the events before them, before them);
 * - a window that holds more than {@link OutboxLimits.maxHeldEvents} events or stays stalled for
 *   {@link OutboxLimits.maxStallMs} is disconnected: nothing is silently lost, it reconnects,
 *   resubscribes and gets snapshots (the renderer's client does that by itself).
 * Memory per window is thus bounded by the high-water mark plus the held events.
 */
import type { EngineEvent, ServerMessage } from '../../shared/protocol';

/** The part of a `ws` WebSocket the outbox uses. */
export interface OutboxSocket {
  readonly bufferedAmount: number;
  send(data: string): void;
  terminate(): void;
}

export interface OutboxLimits {
  /** Bytes queued in the socket above which messages are held, not sent. */
  readonly highWaterBytes: number;
  /** Bytes queued in the socket below which held messages are sent. */
  readonly lowWaterBytes: number;
  /** Held events (after coalescing) above which the window is disconnected. */
  readonly maxHeldEvents: number;
  /** A window that cannot take anything for this long is disconnected, ms. */
  readonly maxStallMs: number;
  /** How often a stalled socket is checked, ms. */
  readonly pollMs: number;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = {
  highWaterBytes: 1024 * 1024,
  lowWaterBytes: 256 * 1024,
  maxHeldEvents: 10_000,
  maxStallMs: 30_000,
  pollMs: 25,
};

/** The key under which a held event is coalesced (latest wins), or null when it must be kept. */
export function holdKey(event: EngineEvent): string | null {
  switch (event.type) {
    case 'ticker':
      return `ticker:${event.ticker.symbol}`;
    case 'bar':
      return `bar:${event.bar.symbol}:${event.bar.timeframe}:${event.bar.openTime}`;
    case 'position':
      return `position:${event.position.symbol}`;
    case 'account':
    case 'health':
    case 'risk':
      return event.type;
    default:
      return null;
  }
}

type Held = { readonly kind: 'events'; readonly events: EngineEvent[] } | { readonly kind: 'reply'; readonly message: ServerMessage };

export class SocketOutbox {
  private readonly limits: OutboxLimits;
  private held: Held[] = [];
  private readonly latest = new Map<string, EngineEvent>();
  private heldEvents = 0;
  private stalledSince: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  /** `onGiveUp` is told why the window was disconnected (for the log). */
  constructor(
    private readonly socket: OutboxSocket,
    private readonly onGiveUp: (reason: string) => void,
    limits: Partial<OutboxLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_OUTBOX_LIMITS, ...limits };
  }

  /** Events held now (after coalescing); for tests and health. */
  get heldCount(): number {
    return this.heldEvents + this.latest.size;
  }

  /** Sends `message` now, or holds it while the socket is backed up. */
  deliver(message: ServerMessage): void {
    if (this.closed) return;
    if (this.stalledSince === null && this.socket.bufferedAmount < this.limits.highWaterBytes) {
      this.socket.send(JSON.stringify(message));
      return;
    }
    if (this.stalledSince === null) {
      this.stalledSince = this.now();
      this.timer = setInterval(() => this.poll(), this.limits.pollMs);
    }
    this.hold(message);
    if (this.heldCount > this.limits.maxHeldEvents) this.giveUp(`it did not read ${this.heldCount} held events`);
  }

  /** Stops the timer; the socket is closed by its owner. */
  dispose(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.held = [];
    this.latest.clear();
  }

  private hold(message: ServerMessage): void {
    if (message.type === 'reply') {
      this.materializeLatest();
      this.held.push({ kind: 'reply', message });
      return;
    }
    for (const event of message.events) {
      const key = holdKey(event);
      if (key !== null) {
        this.latest.set(key, event);
        continue;
      }
      if (event.type === 'barHistory') {
        // The history replaces the series: older held bars of it must not land after it.
        const prefix = `bar:${event.symbol}:${event.timeframe}:`;
        for (const k of this.latest.keys()) if (k.startsWith(prefix)) this.latest.delete(k);
      }
      const last = this.held[this.held.length - 1];
      if (last?.kind === 'events') last.events.push(event);
      else this.held.push({ kind: 'events', events: [event] });
      this.heldEvents++;
    }
  }

  /** Moves the coalesced state into the ordered queue (before a reply, which must follow it). */
  private materializeLatest(): void {
    if (this.latest.size === 0) return;
    this.held.push({ kind: 'events', events: [...this.latest.values()] });
    this.heldEvents += this.latest.size;
    this.latest.clear();
  }

  private poll(): void {
    if (this.closed) return;
    if (this.socket.bufferedAmount > this.limits.lowWaterBytes) {
      if (this.stalledSince !== null && this.now() - this.stalledSince > this.limits.maxStallMs) this.giveUp(`it could not catch up in ${this.limits.maxStallMs} ms`);
      return;
    }
    this.materializeLatest();
    const held = this.held;
    this.held = [];
    this.heldEvents = 0;
    this.stalledSince = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const item of held) this.socket.send(JSON.stringify(item.kind === 'reply' ? item.message : { type: 'events', events: item.events }));
  }

  private giveUp(reason: string): void {
    this.dispose();
    this.onGiveUp(reason);
    this.socket.terminate();
  }
}
