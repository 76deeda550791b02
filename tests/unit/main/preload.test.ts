import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../shared/ipc-channels';
import type { WorkstationPreloadApi } from '../../../shared/preload-api';

const sent: Array<{ channel: string; payload: unknown }> = [];
const renderer = Object.assign(new EventEmitter(), {
  send: (channel: string, payload: unknown) => sent.push({ channel, payload }),
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
    expect(Object.keys(api).sort()).toEqual(['onMessage', 'openWindow', 'ready', 'send']);

    api.send({ id: 1, command: { type: 'cancelAll' } });
    api.ready();
    api.openWindow({ kind: 'chart', symbol: 'IBM' });
    expect(sent).toEqual([
      { channel: IPC_CHANNELS.request, payload: { id: 1, command: { type: 'cancelAll' } } },
      { channel: IPC_CHANNELS.ready, payload: null },
      { channel: IPC_CHANNELS.openWindow, payload: { kind: 'chart', symbol: 'IBM' } },
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
});
