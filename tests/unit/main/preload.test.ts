import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, IPC_INVOKE_CHANNELS } from '../../../shared/ipc-channels';
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
    expect(Object.keys(api).sort()).toEqual(['applyLayout', 'connections', 'onMessage', 'openWindow', 'ready', 'reportState', 'saveLayout', 'send']);
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
    expect(renderer.listenerCount(IPC_CHANNELS.message)).toBe(0);
    renderer.emit(IPC_CHANNELS.message, {}, { type: 'events', events: [] });
    expect(received).toHaveLength(1);
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
