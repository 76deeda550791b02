import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../shared/ipc-channels';
import { MockBrowserWindow, electronMock, emitIpc } from '../../support/electron-mock';

vi.mock('electron', () => electronMock);
vi.mock('electron-log/main', () => ({ default: { initialize: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } }));

class MockWorker extends EventEmitter {
  static readonly created: MockWorker[] = [];
  readonly inbox: unknown[] = [];
  constructor(readonly path: string, readonly options: { workerData: unknown }) {
    super();
    MockWorker.created.push(this);
  }
  postMessage(message: unknown): void {
    this.inbox.push(message);
  }
  terminate(): Promise<number> {
    return Promise.resolve(0);
  }
}
vi.mock('node:worker_threads', () => ({ Worker: MockWorker }));

describe('Electron main (electron mocked)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens locked-down windows, relays sender-checked IPC to the engine worker, and restarts the worker when it dies', async () => {
    await import('../../../electron/main/index');
    await vi.waitFor(() => expect(MockBrowserWindow.created.length).toBe(5));

    for (const window of MockBrowserWindow.created) {
      expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
      expect(window.loaded?.path).toMatch(/renderer[\\/]index\.html$/);
    }
    expect(MockBrowserWindow.created.map((w) => w.loaded?.query)).toEqual([{ window: 'watchlist' }, { window: 'chart' }, { window: 'ticket' }, { window: 'orders' }, { window: 'alerts' }]);

    const handler = electronMock.session.defaultSession.permissionHandler as (c: unknown, p: string, cb: (ok: boolean) => void) => void;
    const answers: boolean[] = [];
    handler(null, 'notifications', (ok) => answers.push(ok));
    expect(answers).toEqual([false]);

    expect(MockWorker.created).toHaveLength(1);
    const worker = MockWorker.created[0]!;
    expect(worker.path).toMatch(/engine[\\/]worker\.cjs$/);
    expect(worker.options.workerData).toMatchObject({ feed: { kind: 'simulated' } });
    worker.emit('message', { type: 'ready' });

    const chart = MockBrowserWindow.created[1]!;
    const request = { id: 1, command: { type: 'subscribe', topics: ['orders'] } };
    emitIpc(IPC_CHANNELS.request, chart.webContents, request);
    expect(worker.inbox).toContainEqual({ type: 'request', clientId: `window-${chart.webContents.id}`, request });

    const before = worker.inbox.length;
    emitIpc(IPC_CHANNELS.request, chart.webContents, request, { url: 'https://evil.example/' });
    expect(worker.inbox).toHaveLength(before);

    worker.emit('message', { type: 'message', clientId: `window-${chart.webContents.id}`, message: { type: 'reply', id: 1, ok: true, result: {} } });
    expect(chart.webContents.sent).toHaveLength(0);
    emitIpc(IPC_CHANNELS.ready, chart.webContents, null);
    expect(chart.webContents.sent).toEqual([{ channel: IPC_CHANNELS.message, payload: { type: 'reply', id: 1, ok: true, result: {} } }]);

    worker.emit('exit', 1);
    expect(MockWorker.created).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(MockWorker.created).toHaveLength(2);
    expect(MockWorker.created[1]!.inbox).toContainEqual({
      type: 'request',
      clientId: `window-${chart.webContents.id}`,
      request: expect.objectContaining({ command: { type: 'subscribe', topics: ['orders'] } }),
    });

    const deny = chart.webContents.windowOpenHandler?.({ url: 'https://alpaca.markets/' });
    expect(deny).toEqual({ action: 'deny' });
    expect(electronMock.shell.opened).toEqual(['https://alpaca.markets/']);
    chart.webContents.windowOpenHandler?.({ url: 'file:///etc/passwd' });
    expect(electronMock.shell.opened).toHaveLength(1);
    const navigation = { prevented: false, preventDefault() { this.prevented = true; } };
    chart.webContents.emit('will-navigate', navigation);
    expect(navigation.prevented).toBe(true);

    emitIpc(IPC_CHANNELS.openWindow, chart.webContents, { kind: 'chart', symbol: 'SPY' });
    emitIpc(IPC_CHANNELS.openWindow, chart.webContents, { kind: 'devtools' });
    expect(MockBrowserWindow.created).toHaveLength(6);
    expect(MockBrowserWindow.created[5]!.loaded?.query).toEqual({ window: 'chart', symbol: 'SPY' });
  });
});
