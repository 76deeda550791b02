/**
 * A window that stops reading never grows the host's memory without bound: state is coalesced
 * while its socket is backed up, orders and fills are kept in order, replies keep the events
 * before them, and a hopeless window is disconnected (it then resubscribes and gets snapshots).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent, ServerMessage } from '../../../shared/protocol';
import { Outbox } from '../../../shared/outbox';

/** A channel whose backlog the test sets (bytes of a WebSocket, unacknowledged messages over IPC). */
class FakeSocket {
  backlog = 0;
  readonly sent: ServerMessage[] = [];
  terminated = false;
  send(message: ServerMessage): void {
    this.sent.push(structuredClone(message));
  }
  terminate(): void {
    this.terminated = true;
  }
}

const ticker = (symbol: string, last: number): EngineEvent => ({ type: 'ticker', ticker: { symbol, bid: null, ask: null, bidSize: null, askSize: null, last, volume: 0, previousClose: null, change: null, changePercent: null, time: 0 } });
const order = (id: string, status: string): EngineEvent => ({ type: 'order', order: { id, status } } as unknown as EngineEvent);
const events = (...list: EngineEvent[]): ServerMessage => ({ type: 'events', events: list });
const sentEvents = (socket: FakeSocket): EngineEvent[] => socket.sent.flatMap((m) => (m.type === 'events' ? m.events : []));

let now = 0;
beforeEach(() => {
  vi.useFakeTimers();
  now = 0;
});
afterEach(() => vi.useRealTimers());

describe('Outbox', () => {
  it('sends at once while the socket keeps up', () => {
    const socket = new FakeSocket();
    const outbox = new Outbox(socket, () => undefined, { highWater: 1000 }, () => now);
    outbox.deliver(events(ticker('IBM', 1)));
    outbox.deliver({ type: 'reply', id: 1, ok: true, result: {} });
    expect(socket.sent).toHaveLength(2);
    outbox.dispose();
  });

  it('while backed up, coalesces quotes (latest wins), keeps every order event in order, and a reply after the events before it', () => {
    const socket = new FakeSocket();
    const outbox = new Outbox(socket, () => undefined, { highWater: 1000, lowWater: 100, pollMs: 10 }, () => now);
    socket.backlog = 5000;
    for (let i = 1; i <= 500; i++) outbox.deliver(events(ticker('IBM', i), ticker('SPY', 1000 + i)));
    outbox.deliver(events(order('o1', 'new')));
    outbox.deliver(events(ticker('IBM', 501)));
    outbox.deliver(events(order('o1', 'filled')));
    outbox.deliver({ type: 'reply', id: 7, ok: true, result: {} });
    expect(socket.sent).toHaveLength(0);
    expect(outbox.heldCount).toBe(4); // two orders, two reply-bound quotes
    socket.backlog = 0;
    vi.advanceTimersByTime(10);
    const flat = socket.sent.flatMap((m) => (m.type === 'events' ? m.events.map((e) => (e.type === 'ticker' ? `${e.ticker.symbol}@${e.ticker.last}` : `${e.type}`)) : [`reply ${m.id}`]));
    expect(flat).toEqual(['order', 'order', 'IBM@501', 'SPY@1500', 'reply 7']);
    expect(sentEvents(socket).filter((e) => e.type === 'order').map((e) => (e as { order: { status: string } }).order.status)).toEqual(['new', 'filled']);
    outbox.dispose();
  });

  it('disconnects a window holding too many events that cannot be coalesced, and one stalled too long', () => {
    const socket = new FakeSocket();
    const reasons: string[] = [];
    const outbox = new Outbox(socket, (reason) => reasons.push(reason), { highWater: 1000, maxHeldEvents: 100 }, () => now);
    socket.backlog = 5000;
    for (let i = 0; i < 150 && !socket.terminated; i++) outbox.deliver(events(order(`o${i}`, 'new')));
    expect(socket.terminated).toBe(true);
    expect(reasons[0]).toMatch(/did not read 101 held events/);

    const slow = new FakeSocket();
    const slowReasons: string[] = [];
    const stalled = new Outbox(slow, (reason) => slowReasons.push(reason), { highWater: 1000, lowWater: 100, maxStallMs: 1000, pollMs: 50 }, () => now);
    slow.backlog = 5000;
    stalled.deliver(events(ticker('IBM', 1)));
    now = 1001;
    vi.advanceTimersByTime(50);
    expect(slow.terminated).toBe(true);
    expect(slowReasons[0]).toMatch(/could not catch up in 1000 ms/);
  });
});
