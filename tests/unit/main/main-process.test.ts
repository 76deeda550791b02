import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, IPC_INVOKE_CHANNELS } from '../../../shared/ipc-channels';
import { arrangementKey, type Layout } from '../../../shared/layouts';
import type { ConnectionsResult, ConnectionsState } from '../../../shared/preload-api';
import type { WorkerInbound } from '../../../shared/worker-protocol';
import { Menu, MockBrowserWindow, display, electronMock, emitIpc, invokeIpc, resetElectronMock, screen } from '../../support/electron-mock';

const logged = vi.hoisted(() => ({ lines: [] as string[] }));
vi.mock('electron', () => electronMock);
vi.mock('electron-log/main', () => {
  const write = (level: string) => (message: string) => logged.lines.push(`${level} ${message}`);
  return {
    default: {
      initialize: () => logged.lines.push('initialize'),
      transports: { file: { resolvePathFn: () => '', maxSize: 0, level: 'silly' }, console: { level: 'silly' } },
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
    },
  };
});

class MockWorker extends EventEmitter {
  static readonly created: MockWorker[] = [];
  readonly inbox: WorkerInbound[] = [];
  constructor(readonly path: string, readonly options: { workerData: unknown }) {
    super();
    MockWorker.created.push(this);
  }
  postMessage(message: WorkerInbound): void {
    this.inbox.push(message);
  }
  terminate(): Promise<number> {
    return Promise.resolve(0);
  }
  /** Answers main's `subscribe layouts` and sends the layouts snapshot. */
  sendLayouts(layouts: readonly Layout[]): void {
    const request = this.inbox.find((m) => m.type === 'request' && m.clientId === 'main');
    const id = (request as { request: { id: number } } | undefined)?.request.id ?? 1;
    this.emit('message', { type: 'message', clientId: 'main', message: { type: 'reply', id, ok: true, result: { topics: ['layouts'] } } });
    this.emit('message', { type: 'message', clientId: 'main', message: { type: 'events', events: [{ type: 'layouts', layouts }] } });
  }
}
vi.mock('node:worker_threads', () => ({ Worker: MockWorker }));

const DEFAULT_QUERIES = [{ window: 'watchlist' }, { window: 'chart' }, { window: 'ticket' }, { window: 'orders' }, { window: 'alerts' }];
const KEY_ID = 'PKMAINTEST0000009876';
const SECRET = 'Zq8wX3cV5bN7mL1kJ9hG2fD4sA6pO0iU8yT3rE5w';

/** Starts main afresh (new modules, mocks reset); returns the first engine worker, running. */
async function launch(displays = [display(1, 0, 0)]): Promise<{ worker: MockWorker; userData: string }> {
  vi.resetModules();
  MockWorker.created.length = 0;
  logged.lines.length = 0;
  const userData = resetElectronMock();
  screen.displays = displays;
  await import('../../../electron/main/index');
  await vi.waitFor(() => expect(MockWorker.created).toHaveLength(1));
  const worker = MockWorker.created[0]!;
  worker.emit('message', { type: 'ready' });
  return { worker, userData };
}

async function launchWithDefaults(displays = [display(1, 0, 0)]): Promise<{ worker: MockWorker; userData: string }> {
  const launched = await launch(displays);
  launched.worker.sendLayouts([]);
  await vi.waitFor(() => expect(MockBrowserWindow.created).toHaveLength(5));
  return launched;
}

describe('Electron main (electron mocked)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    for (const name of ['APCA_API_KEY_ID', 'APCA_API_SECRET_KEY', 'POLYGON_API_KEY']) vi.stubEnv(name, '');
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('opens locked-down windows, relays sender-checked IPC to the engine worker, and restarts the worker when it dies', async () => {
    const { worker, userData } = await launchWithDefaults();

    for (const window of MockBrowserWindow.created) {
      expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
      expect(window.loaded?.path).toBe('app://workstation/index.html');
    }
    expect(MockBrowserWindow.created.map((w) => w.loaded?.query)).toEqual(DEFAULT_QUERIES);
    expect(logged.lines).not.toContain('initialize');

    const handler = electronMock.session.defaultSession.permissionHandler as (c: unknown, p: string, cb: (ok: boolean) => void) => void;
    const answers: boolean[] = [];
    handler(null, 'notifications', (ok) => answers.push(ok));
    expect(answers).toEqual([false]);

    expect(worker.path).toMatch(/engine[\\/]worker\.cjs$/);
    expect(worker.options.workerData).toMatchObject({ dataDir: userData, feed: { kind: 'simulated' } });
    expect(worker.options.workerData).not.toHaveProperty('alpaca');

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
    expect(MockWorker.created[1]!.inbox).toContainEqual(expect.objectContaining({ type: 'request', clientId: 'main', request: expect.objectContaining({ command: { type: 'subscribe', topics: ['layouts'] } }) }));

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
    emitIpc(IPC_CHANNELS.openWindow, chart.webContents, { kind: 'chart', timeframe: '1h', bounds: { x: 9000, y: 9000, width: 800, height: 600 } });
    const offScreen = MockBrowserWindow.created[6]!;
    expect(offScreen.options).toMatchObject({ width: 800, height: 600 });
    expect((offScreen.options.x ?? 0) + 800).toBeLessThanOrEqual(1920);
    expect(offScreen.loaded?.query).toEqual({ window: 'chart', timeframe: '1h' });
  });

  it('at launch opens the layout saved for this monitor arrangement', async () => {
    const { worker } = await launch();
    expect(worker.inbox).toContainEqual({ type: 'connect', clientId: 'main' });
    expect(worker.inbox).toContainEqual({ type: 'request', clientId: 'main', request: { id: 1, command: { type: 'subscribe', topics: ['layouts'] } } });
    const saved: Layout = {
      name: 'Desk',
      arrangementKey: arrangementKey(screen.displays),
      savedAt: 1,
      windows: [{ kind: 'chart', symbol: 'NVDA', group: 'red', bounds: { x: 50, y: 60, width: 900, height: 500 }, displayId: 1, chart: { timeframe: '5m', indicators: ['vwap'] } }],
    };
    worker.sendLayouts([saved]);
    await vi.waitFor(() => expect(MockBrowserWindow.created).toHaveLength(1));
    const [chart] = MockBrowserWindow.created;
    expect(chart!.options).toMatchObject({ x: 50, y: 60, width: 900, height: 500 });
    expect(chart!.loaded?.query).toEqual({ window: 'chart', symbol: 'NVDA', group: 'red', timeframe: '5m', indicators: 'vwap' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(MockBrowserWindow.created).toHaveLength(1);
    const restore = (Menu.applied?.find((m) => m.label === 'Layouts')?.submenu as Array<{ enabled?: boolean }>)[0];
    expect(restore?.enabled).toBe(true);
  });

  it('at launch falls back to the default windows when the engine sends no layouts within 3 s', async () => {
    await launch();
    await vi.advanceTimersByTimeAsync(2_900);
    expect(MockBrowserWindow.created).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(MockBrowserWindow.created.map((w) => w.loaded?.query)).toEqual(DEFAULT_QUERIES);
    expect(logged.lines.some((l) => /no layouts in time/.test(l))).toBe(true);
  });

  it('saves and applies layouts from windows: reports and names parsed, senders checked', async () => {
    const { worker } = await launchWithDefaults();
    const chart = MockBrowserWindow.created[1]!;
    chart.setBounds({ x: 300, y: 200, width: 1000, height: 640 });
    emitIpc(IPC_CHANNELS.reportState, chart.webContents, { symbol: 'amd', group: 'green', chart: { timeframe: '15m', indicators: ['sma20'] } });
    emitIpc(IPC_CHANNELS.reportState, chart.webContents, { symbol: 'EVIL', group: 'red' }, { url: 'https://evil.example/' });
    emitIpc(IPC_CHANNELS.reportState, chart.webContents, { symbol: '<script>', group: 'red' });

    const saves = (): WorkerInbound[] => worker.inbox.filter((m) => m.type === 'request' && (m.request as { command: { type: string } }).command.type === 'saveLayout');
    emitIpc(IPC_CHANNELS.saveLayout, chart.webContents, 'Morning', { url: 'https://evil.example/' });
    emitIpc(IPC_CHANNELS.saveLayout, chart.webContents, '   ');
    emitIpc(IPC_CHANNELS.saveLayout, chart.webContents, { name: 'x' });
    expect(saves()).toHaveLength(0);
    emitIpc(IPC_CHANNELS.saveLayout, chart.webContents, ' Morning ');
    await vi.waitFor(() => expect(saves()).toHaveLength(1));
    const save = saves()[0] as Extract<WorkerInbound, { type: 'request' }>;
    expect(save.clientId).toBe('main');
    const { layout } = (save.request as { command: { layout: Layout } }).command;
    expect(layout).toMatchObject({ name: 'Morning', arrangementKey: arrangementKey(screen.displays) });
    expect(layout.windows).toHaveLength(5);
    expect(layout.windows[1]).toEqual({ kind: 'chart', symbol: 'AMD', group: 'green', bounds: { x: 300, y: 200, width: 1000, height: 640 }, displayId: 1, chart: { timeframe: '15m', indicators: ['sma20'] } });

    worker.emit('message', { type: 'message', clientId: 'main', message: { type: 'events', events: [{ type: 'layouts', layouts: [{ ...layout, windows: [layout.windows[1]!] }] }] } });
    emitIpc(IPC_CHANNELS.applyLayout, chart.webContents, 'morning', { url: 'https://evil.example/' });
    expect(MockBrowserWindow.open()).toHaveLength(5);
    emitIpc(IPC_CHANNELS.applyLayout, chart.webContents, 'morning');
    expect(MockBrowserWindow.open().map((w) => w.loaded?.query)).toEqual([{ window: 'chart', symbol: 'AMD', group: 'green', timeframe: '15m', indicators: 'sma20' }]);
  });

  it('moves windows off a display that was unplugged', async () => {
    await launchWithDefaults([display(1, 0, 0), display(2, 1920, 0)]);
    const moved = MockBrowserWindow.created[0]!;
    moved.setBounds({ x: 2500, y: 100, width: 620, height: 420 });
    screen.displays = [display(1, 0, 0)];
    screen.emit('display-removed', {}, display(2, 1920, 0));
    expect(moved.bounds.x + moved.bounds.width).toBeLessThanOrEqual(1920);
    expect(MockBrowserWindow.created[1]!.bounds).toEqual({ x: 100, y: 100, width: 1000, height: 640 });
  });

  it('connections: sender-checked invoke channels, keys never sent to a window or logged, engine restarted with the new config', async () => {
    const { worker } = await launchWithDefaults();
    const settingsWindow = MockBrowserWindow.created[0]!;

    await expect(invokeIpc(IPC_INVOKE_CHANNELS.connectionsGet, settingsWindow.webContents, null, { url: 'https://evil.example/' })).rejects.toThrow('Refused');
    const stranger = new MockBrowserWindow({});
    await expect(invokeIpc(IPC_INVOKE_CHANNELS.connectionsStoreKey, stranger.webContents, { provider: 'alpaca', keyId: KEY_ID, secret: SECRET, acceptWeakProtection: true })).rejects.toThrow('Refused');

    const state = (await invokeIpc(IPC_INVOKE_CHANNELS.connectionsGet, settingsWindow.webContents, null)) as ConnectionsState;
    expect(state.protection).toBe('os');

    const stored = (await invokeIpc(IPC_INVOKE_CHANNELS.connectionsStoreKey, settingsWindow.webContents, { provider: 'alpaca', keyId: KEY_ID, secret: SECRET, acceptWeakProtection: false })) as ConnectionsResult;
    expect(stored).toMatchObject({ ok: true, state: { keys: [{ provider: 'alpaca', stored: true, hint: '9876' }, { provider: 'polygon', stored: false }] } });
    // The running worker is shut down in order; the supervisor respawns it with the new config.
    expect(worker.inbox.at(-1)).toEqual({ type: 'shutdown' });
    worker.emit('message', { type: 'stopped' });
    worker.emit('exit', 0);
    await vi.advanceTimersByTimeAsync(250);
    expect(MockWorker.created).toHaveLength(2);
    const second = MockWorker.created[1]!;
    expect(second.options.workerData).toMatchObject({ feed: { kind: 'simulated' } });
    second.emit('message', { type: 'ready' });

    const updated = (await invokeIpc(IPC_INVOKE_CHANNELS.connectionsUpdate, settingsWindow.webContents, {
      dataPrimary: 'alpaca',
      dataBackup: 'none',
      alpacaFeed: 'sip',
      broker: 'alpaca',
      alpacaEnvironment: 'paper',
    })) as ConnectionsResult;
    expect(updated.ok).toBe(true);
    expect(second.inbox.at(-1)).toEqual({ type: 'shutdown' });
    second.emit('message', { type: 'stopped' });
    second.emit('exit', 0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(MockWorker.created).toHaveLength(3);
    expect(MockWorker.created[2]!.options.workerData).toMatchObject({
      feed: { kind: 'live', primary: { provider: 'alpaca', keyId: KEY_ID, secretKey: SECRET, feed: 'sip' } },
      alpaca: { keyId: KEY_ID, secretKey: SECRET, baseUrl: 'https://paper-api.alpaca.markets', live: false },
    });

    const refused = (await invokeIpc(IPC_INVOKE_CHANNELS.connectionsUpdate, settingsWindow.webContents, { dataPrimary: 'polygon' })) as ConnectionsResult;
    expect(refused.ok).toBe(false);

    const toWindows = JSON.stringify([stored, updated, refused, state, MockBrowserWindow.created.map((w) => w.webContents.sent)]);
    const inLog = logged.lines.join('\n');
    for (const secret of [KEY_ID, SECRET]) {
      expect(toWindows).not.toContain(secret);
      expect(inLog).not.toContain(secret);
    }
    expect(inLog).toMatch(/Alpaca paper trading/);
  });

  it('sets the application menu and keeps logs in <userData>/logs', async () => {
    const { userData } = await launchWithDefaults();
    expect(Menu.applied?.map((m) => m.label ?? m.role)).toEqual(expect.arrayContaining(['Window', 'Layouts', 'Help']));
    const help = Menu.applied?.find((m) => m.label === 'Help')?.submenu as Array<{ label: string; click: () => void }>;
    help.find((i) => i.label === 'Reveal logs')!.click();
    help.find((i) => i.label === 'Open data folder')!.click();
    expect(electronMock.shell.revealed).toEqual([`${userData}/logs/main.log`]);
    expect(electronMock.shell.openedPaths).toEqual([userData]);
    const windowMenu = Menu.applied?.find((m) => m.label === 'Window')?.submenu as Array<{ id?: string; click: () => void }>;
    windowMenu.find((i) => i.id === 'open-health')!.click();
    expect(MockBrowserWindow.created.at(-1)!.loaded?.query).toEqual({ window: 'health' });
  });
});
