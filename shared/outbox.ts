/**
 * Bounded sending to one window, over a WebSocket (headless host) or Electron IPC. The engine
 * coalesces per frame, but it cannot see the transport: a window that stops reading (a hung
 * renderer, a frozen tab, a dead laptop on the LAN) would make `ws` or Electron queue every
 * frame's batch without limit. So:
 * - while the channel's backlog is under {@link OutboxLimits.highWater}, messages go out at
 *   once;
 * - above it, messages are held: state events (ticker, forming bar, position, account, health,
 *   risk) are coalesced by key, latest wins, as the engine's publisher does; everything else
 *   (orders, fills, alerts, prints, snapshots, replies) is kept in order;
 * - once the backlog drains below {@link OutboxLimits.lowWater}, the held messages go out in
 *   order, the coalesced state last (replies keep the events before them, before them);
 * - a window that holds more than {@link OutboxLimits.maxHeldEvents} events or stays stalled for
 *   {@link OutboxLimits.maxStallMs} is disconnected: nothing is silently lost, it reconnects,
 *   resubscribes and gets snapshots (the renderer's client does that by itself).
 * Memory per window is thus bounded by the high-water mark plus the held events.
 */
import type { EngineEvent, ServerMessage } from './protocol';

// The timers of the runtime (Node in the host, Electron's main process): shared code has no platform types.
declare function setInterval(callback: () => void, ms: number): unknown;
declare function clearInterval(handle: unknown): void;

/** The transport to one window, as the outbox sees it. */
export interface OutboxChannel {
  /**
   * What is sent and not yet read, in the units of the limits: bytes queued in a WebSocket
   * (`bufferedAmount`), messages a window has not acknowledged over IPC.
   */
  readonly backlog: number;
  send(message: ServerMessage): void;
  /** Gives up on the window: a WebSocket is closed; an IPC window is disconnected until it reads again. */
  terminate(): void;
}

export interface OutboxLimits {
  /** Backlog above which messages are held, not sent. */
  readonly highWater: number;
  /** Backlog below which held messages are sent. */
  readonly lowWater: number;
  /** Held events (after coalescing) above which the window is disconnected. */
  readonly maxHeldEvents: number;
  /** A window that cannot take anything for this long is disconnected, ms. */
  readonly maxStallMs: number;
  /** How often a stalled channel is checked, ms. */
  readonly pollMs: number;
}

/** For a WebSocket: the backlog is bytes. */
export const WEBSOCKET_OUTBOX_LIMITS: OutboxLimits = {
  highWater: 1024 * 1024,
  lowWater: 256 * 1024,
  maxHeldEvents: 10_000,
  maxStallMs: 30_000,
  pollMs: 25,
};

/** For Electron IPC: the backlog is messages not acknowledged (about 4 s of frames; a window acknowledges every {@link IPC_ACK_EVERY}). */
export const IPC_OUTBOX_LIMITS: OutboxLimits = {
  highWater: 256,
  lowWater: 64,
  maxHeldEvents: 10_000,
  maxStallMs: 30_000,
  pollMs: 25,
};

/** A window acknowledges the messages it has handled every this many (Electron IPC). */
export const IPC_ACK_EVERY = 16;

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

export class Outbox {
  private readonly limits: OutboxLimits;
  private held: Held[] = [];
  private readonly latest = new Map<string, EngineEvent>();
  private heldEvents = 0;
  private stalledSince: number | null = null;
  private timer: unknown = null;
  private closed = false;

  /** `onGiveUp` is told why the window was disconnected (for the log). */
  constructor(
    private readonly channel: OutboxChannel,
    private readonly onGiveUp: (reason: string) => void,
    limits: Partial<OutboxLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...WEBSOCKET_OUTBOX_LIMITS, ...limits };
  }

  /** Events held now (after coalescing); for tests and health. */
  get heldCount(): number {
    return this.heldEvents + this.latest.size;
  }

  /** Sends `message` now, or holds it while the channel is backed up. */
  deliver(message: ServerMessage): void {
    if (this.closed) return;
    if (this.stalledSince === null && this.channel.backlog < this.limits.highWater) {
      this.channel.send(message);
      return;
    }
    if (this.stalledSince === null) {
      this.stalledSince = this.now();
      this.timer = setInterval(() => this.poll(), this.limits.pollMs);
    }
    this.hold(message);
    if (this.heldCount > this.limits.maxHeldEvents) this.giveUp(`it did not read ${this.heldCount} held events`);
  }

  /** Stops the timer; the channel is closed by its owner. */
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
    if (this.channel.backlog > this.limits.lowWater) {
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
    for (const item of held) this.channel.send(item.kind === 'reply' ? item.message : { type: 'events', events: item.events });
  }

  private giveUp(reason: string): void {
    this.dispose();
    this.onGiveUp(reason);
    this.channel.terminate();
  }
}
