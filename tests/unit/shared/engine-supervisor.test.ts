import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../shared/protocol';
import type { WorkerInbound } from '../../../shared/worker-protocol';
import { EngineSupervisor, RESUBSCRIBE_ID, restartDelay, type EngineWorkerCallbacks } from '../../../shared/engine-supervisor';

interface FakeWorker {
  readonly callbacks: EngineWorkerCallbacks;
  readonly inbox: WorkerInbound[];
}

function harness() {
  const workers: FakeWorker[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const delivered: Array<{ clientId: string; message: ServerMessage }> = [];
  const states: string[] = [];
  let now = 0;
  const supervisor = new EngineSupervisor({
    spawn: (callbacks) => {
      const worker: FakeWorker = { callbacks, inbox: [] };
      workers.push(worker);
      return { postMessage: (m) => worker.inbox.push(m), terminate: () => undefined };
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
    now: () => now,
    log: () => undefined,
    deliver: (clientId, message) => delivered.push({ clientId, message }),
    onStateChange: (state) => states.push(state),
  });
  return { supervisor, workers, timers, delivered, states, advance: (ms: number) => (now += ms) };
}

describe('EngineSupervisor', () => {
  it('restarts a crashed worker with capped exponential backoff', () => {
    const h = harness();
    h.supervisor.start();
    h.workers[0]!.callbacks.onMessage({ type: 'ready' });
    for (let crash = 1; crash <= 8; crash++) {
      h.workers.at(-1)!.callbacks.onExit(1);
      expect(h.supervisor.engineState).toBe('restarting');
      expect(h.timers.at(-1)!.ms).toBe(restartDelay(crash, { initialDelayMs: 200, maxDelayMs: 10_000, stableMs: 60_000 }));
      h.timers.at(-1)!.fn();
    }
    expect(h.workers).toHaveLength(9);
    expect(h.timers.map((t) => t.ms)).toEqual([200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]);
  });

  it('restarts in order for a new configuration: shutdown, then a new worker at once, windows resubscribed', () => {
    const h = harness();
    h.supervisor.start();
    h.supervisor.connect('w1');
    h.workers[0]!.callbacks.onMessage({ type: 'ready' });
    h.supervisor.request('w1', { id: 1, command: { type: 'subscribe', topics: ['orders'] } });
    h.workers[0]!.callbacks.onMessage({ type: 'message', clientId: 'w1', message: { type: 'reply', id: 1, ok: true, result: { topics: ['orders'] } } });
    h.supervisor.restart();
    expect(h.workers[0]!.inbox.at(-1)).toEqual({ type: 'shutdown' });
    h.workers[0]!.callbacks.onExit(0);
    expect(h.timers).toEqual([]);
    expect(h.workers).toHaveLength(2);
    expect(h.workers[1]!.inbox).toEqual([
      { type: 'connect', clientId: 'w1' },
      { type: 'request', clientId: 'w1', request: { id: RESUBSCRIBE_ID, command: { type: 'subscribe', topics: ['orders'] } } },
    ]);
    // A crash later still backs off as before.
    h.workers[1]!.callbacks.onExit(1);
    expect(h.timers.at(-1)!.ms).toBe(200);
  });

  it('resets the backoff after the engine ran stably', () => {
    const h = harness();
    h.supervisor.start();
    h.workers[0]!.callbacks.onExit(1);
    h.timers[0]!.fn();
    h.advance(120_000);
    h.workers[1]!.callbacks.onExit(1);
    expect(h.timers[1]!.ms).toBe(200);
  });

  it('fails requests lost in a crash and resubscribes each window to its confirmed topics on restart', () => {
    const h = harness();
    h.supervisor.start();
    h.workers[0]!.callbacks.onMessage({ type: 'ready' });
    h.supervisor.connect('w1');
    h.supervisor.request('w1', { id: 1, command: { type: 'subscribe', topics: ['orders', 'quotes:IBM'] } });
    h.supervisor.request('w1', { id: 2, command: { type: 'subscribe', topics: ['bad topic'] } });
    h.workers[0]!.callbacks.onMessage({ type: 'message', clientId: 'w1', message: { type: 'reply', id: 1, ok: true, result: {} } });
    h.workers[0]!.callbacks.onMessage({
      type: 'message',
      clientId: 'w1',
      message: { type: 'reply', id: 2, ok: false, error: { code: 'invalid_command', message: 'bad' } },
    });
    h.supervisor.request('w1', { id: 3, command: { type: 'unsubscribe', topics: ['quotes:IBM'] } });
    h.workers[0]!.callbacks.onMessage({ type: 'message', clientId: 'w1', message: { type: 'reply', id: 3, ok: true, result: {} } });
    h.supervisor.request('w1', { id: 4, command: { type: 'placeOrder', order: {} } });
    h.workers[0]!.callbacks.onExit(1);
    expect(h.delivered.at(-1)).toMatchObject({ clientId: 'w1', message: { id: 4, ok: false, error: { code: 'engine_unavailable' } } });
    h.timers[0]!.fn();
    expect(h.workers[1]!.inbox).toEqual([
      { type: 'connect', clientId: 'w1' },
      { type: 'request', clientId: 'w1', request: { id: RESUBSCRIBE_ID, command: { type: 'subscribe', topics: ['orders'] } } },
    ]);
  });

  it('sends a subscribe the worker died before answering again after the restart, so the window still gets its data', () => {
    const h = harness();
    h.supervisor.start();
    h.workers[0]!.callbacks.onMessage({ type: 'ready' });
    h.supervisor.connect('w1');
    // The snapshot went out, the reply did not: the worker died in between.
    const subscribe = { id: 1, command: { type: 'subscribe', topics: ['bars:IBM:1m'] } };
    h.supervisor.request('w1', subscribe);
    h.supervisor.request('w1', { id: 2, command: { type: 'placeOrder', order: {} } });
    h.workers[0]!.callbacks.onExit(1);
    // The order is answered "unavailable" (never resent); the subscribe is not answered yet.
    expect(h.delivered.map((d) => d.message)).toEqual([expect.objectContaining({ id: 2, ok: false })]);
    // A subscribe while the engine is down waits for it too.
    const later = { id: 3, command: { type: 'subscribe', topics: ['orders'] } };
    h.supervisor.request('w1', later);
    h.timers[0]!.fn();
    expect(h.workers[1]!.inbox).toEqual([
      { type: 'connect', clientId: 'w1' },
      { type: 'request', clientId: 'w1', request: subscribe },
      { type: 'request', clientId: 'w1', request: later },
    ]);
    h.workers[1]!.callbacks.onMessage({ type: 'message', clientId: 'w1', message: { type: 'reply', id: 1, ok: true, result: {} } });
    h.workers[1]!.callbacks.onMessage({ type: 'message', clientId: 'w1', message: { type: 'reply', id: 3, ok: true, result: {} } });
    expect(h.delivered.map((d) => d.message)).toHaveLength(3);
    // Both are now confirmed: a second crash resubscribes them.
    h.workers[1]!.callbacks.onExit(1);
    h.timers[1]!.fn();
    expect(h.workers[2]!.inbox).toContainEqual({ type: 'request', clientId: 'w1', request: { id: RESUBSCRIBE_ID, command: { type: 'subscribe', topics: ['bars:IBM:1m', 'orders'] } } });
  });

  it('sends a lost subscribe again once only (it may be what crashes the worker), and answers what waits when stopped', async () => {
    const h = harness();
    h.supervisor.start();
    h.workers[0]!.callbacks.onMessage({ type: 'ready' });
    h.supervisor.connect('w1');
    h.supervisor.request('w1', { id: 1, command: { type: 'subscribe', topics: ['quotes:IBM'] } });
    h.workers[0]!.callbacks.onExit(1);
    h.timers[0]!.fn();
    expect(h.workers[1]!.inbox).toContainEqual({ type: 'request', clientId: 'w1', request: { id: 1, command: { type: 'subscribe', topics: ['quotes:IBM'] } } });
    h.workers[1]!.callbacks.onExit(1);
    expect(h.delivered.at(-1)).toMatchObject({ clientId: 'w1', message: { id: 1, ok: false, error: { code: 'engine_unavailable' } } });
    h.timers[1]!.fn();
    expect(h.workers[2]!.inbox.filter((m) => m.type === 'request')).toEqual([]);
    // A subscribe waiting for a restart when the app stops is answered too.
    h.workers[2]!.callbacks.onExit(1);
    h.supervisor.request('w1', { id: 2, command: { type: 'subscribe', topics: ['orders'] } });
    void h.supervisor.stop();
    expect(h.delivered.at(-1)).toMatchObject({ clientId: 'w1', message: { id: 2, ok: false, error: { code: 'engine_unavailable' } } });
  });

  it('answers at once while the engine is restarting, and ignores a stale worker', () => {
    const h = harness();
    h.supervisor.start();
    h.supervisor.connect('w1');
    const first = h.workers[0]!;
    first.callbacks.onExit(1);
    h.supervisor.request('w1', { id: 9, command: { type: 'cancelAll' } });
    expect(h.delivered.at(-1)).toMatchObject({ message: { id: 9, ok: false } });
    h.timers[0]!.fn();
    first.callbacks.onExit(1);
    expect(h.timers).toHaveLength(1);
  });

  it('stops in order: shutdown message, then no restart', async () => {
    const h = harness();
    h.supervisor.start();
    const stopped = h.supervisor.stop();
    expect(h.workers[0]!.inbox).toContainEqual({ type: 'shutdown' });
    h.workers[0]!.callbacks.onMessage({ type: 'stopped' });
    await stopped;
    h.workers[0]!.callbacks.onExit(0);
    expect(h.supervisor.engineState).toBe('stopped');
    expect(h.timers.filter((t) => t.ms !== 5_000)).toHaveLength(0);
  });
});
