/**
 * Fault drill on the Electron path: a window whose page stops handling messages (hung, or busy
 * for seconds) must not make main queue every batch for it. Main counts what it sent against
 * what the page acknowledged; above the high-water mark it coalesces state and holds orders and
 * replies in order; a hopeless window has its engine session closed and is told so, and gets it
 * back (resubscribing, with snapshots) once it reads again. The preload side acknowledges every
 * IPC_ACK_EVERY messages it handled.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../shared/ipc-channels';
import type { EngineEvent, ServerMessage } from '../../../shared/protocol';
import { WindowManager } from '../../../electron/main/window-manager';
import { MockBrowserWindow, type MockWebContents } from '../../support/electron-mock';

vi.mock('electron', async () => (await import('../../support/electron-mock')).electronMock);

const ticker = (symbol: string, last: number): EngineEvent =>
  ({ type: 'ticker', ticker: { symbol, bid: null, ask: null, bidSize: null, askSize: null, last, volume: 0, previousClose: null, change: null, changePercent: null, time: 0 } }) as EngineEvent;
const fill = (id: string): EngineEvent => ({ type: 'fill', fill: { id } }) as unknown as EngineEvent;
const batch = (...events: EngineEvent[]): ServerMessage => ({ type: 'events', events });

function harness() {
  const sessions: string[] = [];
  const manager = new WindowManager({
    createWindow: (options) => new MockBrowserWindow(options) as never,
    openExternal: () => undefined,
    preloadPath: '/app/preload.cjs',
    onOpened: (id) => sessions.push(`open ${id}`),
    onClosed: (id) => sessions.push(`close ${id}`),
    onDropped: (id, reason) => sessions.push(`drop ${id}: ${reason}`),
    onResumed: (id) => sessions.push(`resume ${id}`),
    warn: () => undefined,
    outbox: { highWater: 8, lowWater: 2, maxHeldEvents: 50, pollMs: 10 },
  });
  const clientId = manager.open({ kind: 'chart', symbol: 'IBM' });
  const window = MockBrowserWindow.created.at(-1) as MockBrowserWindow;
  const contents = window.webContents as MockWebContents;
  manager.markReady(contents as never);
  const messages = (): ServerMessage[] => contents.sent.filter((s) => s.channel === IPC_CHANNELS.message).map((s) => s.payload as ServerMessage);
  const connection = (): unknown[] => contents.sent.filter((s) => s.channel === IPC_CHANNELS.connection).map((s) => s.payload);
  return { manager, clientId, contents, sessions, messages, connection };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('a window that stops reading over IPC', () => {
  it('is sent everything while it acknowledges, and held and coalesced when it does not', () => {
    const h = harness();
    for (let i = 0; i < 8; i++) h.manager.deliver(h.clientId, batch(ticker('IBM', 100 + i)));
    expect(h.messages()).toHaveLength(8);
    // The page handled them all: it keeps getting messages at once.
    h.manager.acknowledge(h.contents as never, 8);
    h.manager.deliver(h.clientId, batch(ticker('IBM', 200)));
    expect(h.messages()).toHaveLength(9);
    // It stops acknowledging: past the high-water mark, tickers coalesce and fills are kept in order.
    for (let i = 0; i < 7; i++) h.manager.deliver(h.clientId, batch(ticker('IBM', 300 + i)));
    const before = h.messages().length;
    for (let i = 0; i < 20; i++) h.manager.deliver(h.clientId, batch(ticker('IBM', 400 + i), ticker('SPY', 500 + i)));
    h.manager.deliver(h.clientId, batch(fill('f1')));
    h.manager.deliver(h.clientId, { type: 'reply', id: 7, ok: true, result: {} });
    expect(h.messages()).toHaveLength(before);
    // It catches up: the held messages go out, the state coalesced to its latest.
    h.manager.acknowledge(h.contents as never, h.messages().length);
    vi.advanceTimersByTime(20);
    const released = h.messages().slice(before);
    const flat = released.flatMap((m) => (m.type === 'events' ? m.events.map((e) => (e.type === 'ticker' ? `${e.ticker.symbol}@${e.ticker.last}` : e.type)) : [`reply ${m.id}`]));
    expect(flat).toEqual(['fill', 'IBM@419', 'SPY@519', 'reply 7']);
    expect(h.sessions.filter((s) => s.startsWith('drop'))).toEqual([]);
  });

  it('has its engine session closed when hopeless, and reopened (it resubscribes) once it reads again', () => {
    const h = harness();
    for (let i = 0; i < 8; i++) h.manager.deliver(h.clientId, batch(ticker('IBM', i)));
    // Prints are never coalesced: 60 held is past the limit of 50.
    for (let i = 0; i < 60; i++) h.manager.deliver(h.clientId, batch({ type: 'trade', trade: { symbol: 'IBM' } } as unknown as EngineEvent));
    expect(h.sessions.at(-1)).toMatch(/^drop window-\d+: it did not read 5\d held events/);
    expect(h.connection()).toEqual([false]);
    // While dropped, nothing is sent or held for it.
    const sent = h.messages().length;
    h.manager.deliver(h.clientId, batch(ticker('IBM', 1)));
    expect(h.messages()).toHaveLength(sent);
    // It handled what it had been sent: its session is reopened and it is told to resubscribe.
    h.manager.acknowledge(h.contents as never, sent);
    expect(h.sessions.at(-1)).toBe(`resume ${h.clientId}`);
    expect(h.connection()).toEqual([false, true]);
    h.manager.deliver(h.clientId, batch(ticker('IBM', 2)));
    expect(h.messages()).toHaveLength(sent + 1);
  });

  it('is resumed at once when it had caught up just as it was given up on', async () => {
    // It read everything sent, but the prints held meanwhile crossed the limit before the next
    // poll released them: no acknowledgement is coming, so it is resumed at once.
    const g = harness();
    for (let i = 0; i < 8; i++) g.manager.deliver(g.clientId, batch(ticker('IBM', i)));
    for (let i = 0; i < 40; i++) g.manager.deliver(g.clientId, batch({ type: 'trade', trade: { symbol: 'IBM' } } as unknown as EngineEvent));
    g.manager.acknowledge(g.contents as never, g.messages().length); // all read; the held prints wait for the next poll
    for (let i = 0; i < 20; i++) g.manager.deliver(g.clientId, batch({ type: 'trade', trade: { symbol: 'IBM' } } as unknown as EngineEvent));
    await Promise.resolve();
    expect(g.connection()).toEqual([false, true]);
    expect(g.sessions.filter((s) => s.startsWith('resume'))).toHaveLength(1);
  });

  it('takes only a plausible acknowledgement, and starts counting afresh when the page reloads', () => {
    const h = harness();
    for (let i = 0; i < 8; i++) h.manager.deliver(h.clientId, batch(ticker('IBM', i)));
    h.manager.acknowledge(h.contents as never, 1e9); // more than was sent: capped at what was sent
    h.manager.acknowledge(h.contents as never, 'all'); // not a count: ignored
    h.manager.deliver(h.clientId, batch(ticker('IBM', 8)));
    expect(h.messages()).toHaveLength(9);
    // A reloaded page counts from zero: its first acknowledgement must not look like a stall.
    h.manager.markReady(h.contents as never);
    for (let i = 0; i < 7; i++) h.manager.deliver(h.clientId, batch(ticker('IBM', 10 + i)));
    h.manager.acknowledge(h.contents as never, 7);
    h.manager.deliver(h.clientId, batch(ticker('IBM', 20)));
    expect(h.messages()).toHaveLength(17);
  });
});
