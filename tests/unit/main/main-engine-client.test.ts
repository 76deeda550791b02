import { describe, expect, it } from 'vitest';
import { MAIN_CLIENT_ID, MainEngineClient, type EngineClientTransport } from '../../../electron/main/main-engine-client';
import { EngineSupervisor, type EngineWorkerCallbacks } from '../../../shared/engine-supervisor';
import { WorkstationRequestError, type EngineEvent, type ServerMessage } from '../../../shared/protocol';
import type { WorkerInbound } from '../../../shared/worker-protocol';

/** A supervisor stand-in that records what the client sends. */
function fakeSupervisor() {
  const calls: Array<{ op: string; clientId: string; request?: unknown }> = [];
  const transport: EngineClientTransport = {
    connect: (clientId) => calls.push({ op: 'connect', clientId }),
    disconnect: (clientId) => calls.push({ op: 'disconnect', clientId }),
    request: (clientId, request) => calls.push({ op: 'request', clientId, request }),
  };
  return { transport, calls };
}

describe('MainEngineClient', () => {
  it('registers as client "main", matches replies to requests by id and passes events on', async () => {
    const { transport, calls } = fakeSupervisor();
    const events: EngineEvent[][] = [];
    const client = new MainEngineClient(transport, (batch) => events.push([...batch]));
    client.connect();
    expect(calls).toEqual([{ op: 'connect', clientId: MAIN_CLIENT_ID }]);

    const first = client.request({ type: 'subscribe', topics: ['layouts'] });
    const second = client.request({ type: 'deleteLayout', name: 'Gone' });
    expect(calls.slice(1)).toEqual([
      { op: 'request', clientId: 'main', request: { id: 1, command: { type: 'subscribe', topics: ['layouts'] } } },
      { op: 'request', clientId: 'main', request: { id: 2, command: { type: 'deleteLayout', name: 'Gone' } } },
    ]);
    client.receive({ type: 'reply', id: 2, ok: false, error: { code: 'not_found', message: 'There is no layout named "Gone".', field: 'name' } });
    client.receive({ type: 'reply', id: 1, ok: true, result: { topics: ['layouts'] } });
    client.receive({ type: 'reply', id: 1, ok: true, result: { topics: [] } });
    await expect(first).resolves.toEqual({ topics: ['layouts'] });
    const error = await second.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkstationRequestError);
    expect(error).toMatchObject({ code: 'not_found', field: 'name' });

    client.receive({ type: 'events', events: [{ type: 'layouts', layouts: [] }] });
    expect(events).toEqual([[{ type: 'layouts', layouts: [] }]]);
  });

  it('refuses requests before connect and fails waiting requests on close', async () => {
    const { transport, calls } = fakeSupervisor();
    const client = new MainEngineClient(transport, () => undefined);
    await expect(client.request({ type: 'getSettings' })).rejects.toMatchObject({ code: 'engine_unavailable' });
    client.connect();
    const waiting = client.request({ type: 'getSettings' });
    client.close();
    await expect(waiting).rejects.toMatchObject({ code: 'engine_unavailable' });
    expect(calls.at(-1)).toEqual({ op: 'disconnect', clientId: 'main' });
  });

  it('works through the real supervisor: replies routed by client id, topics resubscribed after a crash', async () => {
    const workers: Array<{ callbacks: EngineWorkerCallbacks; inbox: WorkerInbound[] }> = [];
    const timers: Array<() => void> = [];
    let client: MainEngineClient | null = null;
    const toWindows: Array<{ clientId: string; message: ServerMessage }> = [];
    const supervisor = new EngineSupervisor({
      spawn: (callbacks) => {
        const worker = { callbacks, inbox: [] as WorkerInbound[] };
        workers.push(worker);
        return { postMessage: (m) => worker.inbox.push(m), terminate: () => undefined };
      },
      setTimer: (fn) => timers.push(fn),
      clearTimer: () => undefined,
      now: () => 0,
      log: () => undefined,
      deliver: (clientId, message) => (clientId === MAIN_CLIENT_ID ? client?.receive(message) : toWindows.push({ clientId, message })),
    });
    const events: EngineEvent[] = [];
    client = new MainEngineClient(supervisor, (batch) => events.push(...batch));
    supervisor.start();
    client.connect();
    workers[0]!.callbacks.onMessage({ type: 'ready' });
    const subscribed = client.request({ type: 'subscribe', topics: ['layouts'] });
    expect(workers[0]!.inbox).toContainEqual({ type: 'request', clientId: 'main', request: { id: 1, command: { type: 'subscribe', topics: ['layouts'] } } });
    workers[0]!.callbacks.onMessage({ type: 'message', clientId: 'main', message: { type: 'reply', id: 1, ok: true, result: { topics: ['layouts'] } } });
    workers[0]!.callbacks.onMessage({ type: 'message', clientId: 'main', message: { type: 'events', events: [{ type: 'layouts', layouts: [] }] } });
    await expect(subscribed).resolves.toEqual({ topics: ['layouts'] });
    expect(events).toHaveLength(1);
    expect(toWindows).toHaveLength(0);

    const lost = client.request({ type: 'getSettings' });
    workers[0]!.callbacks.onExit(1);
    await expect(lost).rejects.toMatchObject({ code: 'engine_unavailable' });
    timers.at(-1)!();
    expect(workers[1]!.inbox).toContainEqual({ type: 'connect', clientId: 'main' });
    expect(workers[1]!.inbox).toContainEqual(expect.objectContaining({ type: 'request', clientId: 'main', request: expect.objectContaining({ command: { type: 'subscribe', topics: ['layouts'] } }) }));
  });
});
