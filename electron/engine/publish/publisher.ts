/**
 * Fans engine events out to the windows subscribed to their topics, in batches.
 *
 * High-rate events (tickers, forming bars, health) are coalesced per window by a key: the latest
 * value wins, and a window gets at most one batch per flush interval (one frame), so a slow or
 * hidden window never builds a queue. Order, fill and position events are never coalesced or
 * dropped: they queue in order.
 */
import type { EngineEvent, ServerMessage, Topic } from '../../../shared/protocol';

/** How the engine reaches one window. */
export type ClientSender = (message: ServerMessage) => void;

interface ClientSession {
  readonly id: string;
  readonly send: ClientSender;
  readonly topics: Set<Topic>;
  readonly queue: EngineEvent[];
  readonly latest: Map<string, EngineEvent>;
}

export class Publisher {
  private readonly clients = new Map<string, ClientSession>();
  private readonly byTopic = new Map<Topic, Set<ClientSession>>();
  private readonly dirty = new Set<ClientSession>();

  /** Registers a window. */
  connect(clientId: string, send: ClientSender): void {
    this.disconnect(clientId);
    this.clients.set(clientId, { id: clientId, send, topics: new Set(), queue: [], latest: new Map() });
  }

  /** Forgets a window and its subscriptions. */
  disconnect(clientId: string): void {
    const client = this.clients.get(clientId);
    if (!client) return;
    for (const topic of client.topics) this.byTopic.get(topic)?.delete(client);
    this.dirty.delete(client);
    this.clients.delete(clientId);
  }

  /** The topics a window is subscribed to. */
  topicsOf(clientId: string): readonly Topic[] {
    return [...(this.clients.get(clientId)?.topics ?? [])];
  }

  /** `true` when the window is connected. */
  has(clientId: string): boolean {
    return this.clients.has(clientId);
  }

  /** Subscribes a window to topics; returns the topics newly added. */
  subscribe(clientId: string, topics: readonly Topic[]): Topic[] {
    const client = this.clients.get(clientId);
    if (!client) return [];
    const added: Topic[] = [];
    for (const topic of topics) {
      if (client.topics.has(topic)) continue;
      client.topics.add(topic);
      let set = this.byTopic.get(topic);
      if (!set) {
        set = new Set();
        this.byTopic.set(topic, set);
      }
      set.add(client);
      added.push(topic);
    }
    return added;
  }

  /** Unsubscribes a window from topics. */
  unsubscribe(clientId: string, topics: readonly Topic[]): void {
    const client = this.clients.get(clientId);
    if (!client) return;
    for (const topic of topics) {
      client.topics.delete(topic);
      this.byTopic.get(topic)?.delete(client);
    }
  }

  /** `true` when any window listens to `topic` (lets the engine skip building events). */
  hasSubscribers(topic: Topic): boolean {
    return (this.byTopic.get(topic)?.size ?? 0) > 0;
  }

  /** Queues `event` for every subscriber of `topic`; with `coalesceKey`, only the latest per key is kept. */
  publish(topic: Topic, event: EngineEvent, coalesceKey?: string): void {
    const subscribers = this.byTopic.get(topic);
    if (!subscribers || subscribers.size === 0) return;
    for (const client of subscribers) this.enqueue(client, event, coalesceKey);
  }

  /** Queues `event` for one window (snapshots on subscribe). */
  sendTo(clientId: string, event: EngineEvent): void {
    const client = this.clients.get(clientId);
    if (client) this.enqueue(client, event, undefined);
  }

  /** Sends a reply at once (replies are never batched behind events). Pending events go first. */
  reply(clientId: string, message: ServerMessage): void {
    const client = this.clients.get(clientId);
    if (!client) return;
    this.flushClient(client);
    client.send(message);
  }

  /** Sends every window its pending batch. Call once per frame. */
  flush(): void {
    for (const client of this.dirty) this.flushClient(client);
    this.dirty.clear();
  }

  private enqueue(client: ClientSession, event: EngineEvent, coalesceKey: string | undefined): void {
    if (coalesceKey === undefined) client.queue.push(event);
    else client.latest.set(coalesceKey, event); // an existing key keeps its place: bars stay in time order
    this.dirty.add(client);
  }

  private flushClient(client: ClientSession): void {
    if (client.queue.length === 0 && client.latest.size === 0) return;
    const events = client.queue.splice(0, client.queue.length);
    for (const event of client.latest.values()) events.push(event);
    client.latest.clear();
    client.send({ type: 'events', events });
  }
}
