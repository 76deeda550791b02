import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, IPC_INVOKE_CHANNELS } from '../../../shared/ipc-channels';
import { IPC_ACK_EVERY } from '../../../shared/outbox';
import type { WorkstationPreloadApi } from '../../../shared/preload-api';

const sent: Array<{ channel: string; payload: unknown }> = [];
const invoked: Array<{ channel: string; payload: unknown }> = [];
const renderer = Object.assign(new EventEmitter(), {
  send: (channel: string, payload: unknown) => sent.push({ channel, payload }),
  invoke: (channel: string, payload: unknown) => {
    invoked.push({ channel, payload });
    return Promise.resolve({ answered: channel });
  },
});
const exposed: Record<string, unknown> = {};
vi.mock('electron', () => ({
  ipcRenderer: renderer,
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
}));

describe('preload (electron mocked)', () => {
  it('exposes only window.workstation, whose listeners can always be removed', async () => {
    await import('../../../electron/preload/index');
    expect(Object.keys(exposed)).toEqual(['workstation']);
    const api = exposed.workstation as WorkstationPreloadApi;
    expect(Object.keys(api).sort()).toEqual(['applyLayout', 'connections', 'onConnection', 'onMessage', 'openWindow', 'ready', 'reportState', 'saveLayout', 'send']);
    expect(Object.keys(api.connections).sort()).toEqual(['clearKey', 'get', 'storeKey', 'update']);

    api.send({ id: 1, command: { type: 'cancelAll' } });
    api.ready();
    api.openWindow({ kind: 'chart', symbol: 'IBM' });
    api.reportState({ symbol: 'IBM', group: 'red', chart: { timeframe: '5m' } });
    api.saveLayout('Morning');
    api.applyLayout('Evening');
    expect(sent).toEqual([
      { channel: IPC_CHANNELS.request, payload: { id: 1, command: { type: 'cancelAll' } } },
      { channel: IPC_CHANNELS.ready, payload: null },
      { channel: IPC_CHANNELS.openWindow, payload: { kind: 'chart', symbol: 'IBM' } },
      { channel: IPC_CHANNELS.reportState, payload: { symbol: 'IBM', group: 'red', chart: { timeframe: '5m' } } },
      { channel: IPC_CHANNELS.saveLayout, payload: 'Morning' },
      { channel: IPC_CHANNELS.applyLayout, payload: 'Evening' },
    ]);

    const received: unknown[] = [];
    const dispose = api.onMessage((m) => received.push(m));
    renderer.emit(IPC_CHANNELS.message, {}, { type: 'events', events: [] });
    expect(received).toHaveLength(1);
    dispose();
    // Only the preload's own acknowledgement counter listens now.
    expect(renderer.listenerCount(IPC_CHANNELS.message)).toBe(1);
    renderer.emit(IPC_CHANNELS.message, {}, { type: 'events', events: [] });
    expect(received).toHaveLength(1);

    const states: boolean[] = [];
    const stopConnection = api.onConnection((connected) => states.push(connected));
    renderer.emit(IPC_CHANNELS.connection, {}, false);
    renderer.emit(IPC_CHANNELS.connection, {}, true);
    stopConnection();
    renderer.emit(IPC_CHANNELS.connection, {}, false);
    expect(states).toEqual([false, true]);
  });

  it('acknowledges the messages the page handled, every IPC_ACK_EVERY', async () => {
    await import('../../../electron/preload/index');
    sent.length = 0;
    // Two messages went by in the test above.
    for (let i = 2; i < 2 * IPC_ACK_EVERY + 3; i++) renderer.emit(IPC_CHANNELS.message, {}, { type: 'events', events: [] });
    expect(sent).toEqual([
      { channel: IPC_CHANNELS.received, payload: IPC_ACK_EVERY },
      { channel: IPC_CHANNELS.received, payload: 2 * IPC_ACK_EVERY },
    ]);
    // Given up on by main: it says at once how far it got.
    sent.length = 0;
    renderer.emit(IPC_CHANNELS.connection, {}, false);
    expect(sent).toEqual([{ channel: IPC_CHANNELS.received, payload: 2 * IPC_ACK_EVERY + 3 }]);
    // A page that says ready (again, after a reload) counts from zero, as main does.
    sent.length = 0;
    (exposed.workstation as WorkstationPreloadApi).ready();
    for (let i = 0; i < IPC_ACK_EVERY; i++) renderer.emit(IPC_CHANNELS.message, {}, { type: 'events', events: [] });
    expect(sent).toEqual([
      { channel: IPC_CHANNELS.ready, payload: null },
      { channel: IPC_CHANNELS.received, payload: IPC_ACK_EVERY },
    ]);
  });

  it('connections go over the invoke channels and resolve with main\'s answer', async () => {
    await import('../../../electron/preload/index');
    const { connections } = exposed.workstation as WorkstationPreloadApi;
    const settings = { dataPrimary: 'polygon', dataBackup: 'none', alpacaFeed: 'iex', broker: 'paper', alpacaEnvironment: 'paper' } as const;
    await expect(connections.get()).resolves.toEqual({ answered: IPC_INVOKE_CHANNELS.connectionsGet });
    await connections.update(settings);
    await connections.storeKey('alpaca', 'PKID', 'SECRET', true);
    await connections.clearKey('polygon');
    expect(invoked).toEqual([
      { channel: IPC_INVOKE_CHANNELS.connectionsGet, payload: null },
      { channel: IPC_INVOKE_CHANNELS.connectionsUpdate, payload: settings },
      { channel: IPC_INVOKE_CHANNELS.connectionsStoreKey, payload: { provider: 'alpaca', keyId: 'PKID', secret: 'SECRET', acceptWeakProtection: true } },
      { channel: IPC_INVOKE_CHANNELS.connectionsClearKey, payload: { provider: 'polygon' } },
    ]);
  });
});
