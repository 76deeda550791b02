import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { RestartableEngine } from '../../../electron/main/restartable-engine';
import type { EngineConfig } from '../../../shared/engine-config';
import { EngineSupervisor } from '../../../shared/engine-supervisor';
import type { WorkerInbound, WorkerOutbound } from '../../../shared/worker-protocol';

class FakeWorker extends EventEmitter {
  readonly inbox: WorkerInbound[] = [];
  constructor(readonly config: EngineConfig) {
    super();
  }
  postMessage(message: WorkerInbound): void {
    this.inbox.push(message);
  }
  terminate(): void {}
  /** As the real worker does on `shutdown`: stopped, then exit 0. */
  finishShutdown(): void {
    this.emit('message', { type: 'stopped' } satisfies WorkerOutbound);
    this.emit('exit', 0);
  }
}

const SIMULATED: EngineConfig = { dataDir: '/data', feed: { kind: 'simulated' } };
const POLYGON: EngineConfig = { dataDir: '/data', feed: { kind: 'live', primary: { provider: 'polygon', apiKey: 'k'.repeat(32), wsUrl: 'wss://socket.polygon.io' } } };

function harness() {
  const workers: FakeWorker[] = [];
  const timers: Array<() => void> = [];
  const engine = new RestartableEngine((config) => {
    const worker = new FakeWorker(config);
    workers.push(worker);
    return worker;
  }, SIMULATED);
  const supervisor = new EngineSupervisor({
    spawn: engine.spawn,
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => undefined,
    now: () => 0,
    log: () => undefined,
    deliver: () => undefined,
    onStateChange: (state) => {
      if (state === 'running') engine.onRunning();
    },
  });
  return { engine, supervisor, workers, timers };
}

describe('RestartableEngine', () => {
  it('shuts the running worker down in order on a new config; the supervisor respawns it with that config and resubscribes windows', () => {
    const h = harness();
    h.supervisor.start();
    h.supervisor.connect('window-1');
    h.workers[0]!.emit('message', { type: 'ready' });
    h.supervisor.request('window-1', { id: 1, command: { type: 'subscribe', topics: ['orders'] } });
    h.workers[0]!.emit('message', { type: 'message', clientId: 'window-1', message: { type: 'reply', id: 1, ok: true, result: { topics: ['orders'] } } });

    h.engine.setConfig(POLYGON);
    expect(h.workers[0]!.inbox.at(-1)).toEqual({ type: 'shutdown' });
    h.engine.setConfig(POLYGON);
    expect(h.workers[0]!.inbox.filter((m) => m.type === 'shutdown')).toHaveLength(1);

    h.workers[0]!.finishShutdown();
    h.timers.at(-1)!();
    expect(h.workers).toHaveLength(2);
    expect(h.workers[1]!.config).toBe(POLYGON);
    expect(h.workers[1]!.inbox).toContainEqual(expect.objectContaining({ type: 'request', clientId: 'window-1', request: expect.objectContaining({ command: { type: 'subscribe', topics: ['orders'] } }) }));
    h.workers[1]!.emit('message', { type: 'ready' });
    expect(h.workers[1]!.inbox.some((m) => m.type === 'shutdown')).toBe(false);
  });

  it('waits for a starting worker to be running before shutting it down', () => {
    const h = harness();
    h.supervisor.start();
    h.engine.setConfig(POLYGON);
    expect(h.workers[0]!.inbox.some((m) => m.type === 'shutdown')).toBe(false);
    h.workers[0]!.emit('message', { type: 'ready' });
    expect(h.workers[0]!.inbox.at(-1)).toEqual({ type: 'shutdown' });
  });

  it('a worker spawned after the change (crash restart) already has the new config and is left running', () => {
    const h = harness();
    h.supervisor.start();
    h.workers[0]!.emit('message', { type: 'ready' });
    h.workers[0]!.emit('exit', 1);
    h.engine.setConfig(POLYGON);
    expect(h.workers[0]!.inbox.some((m) => m.type === 'shutdown')).toBe(false);
    h.timers.at(-1)!();
    expect(h.workers[1]!.config).toBe(POLYGON);
    h.workers[1]!.emit('message', { type: 'ready' });
    expect(h.workers[1]!.inbox.some((m) => m.type === 'shutdown')).toBe(false);
  });
});
