/**
 * Electron main process: thin. Starts the engine worker under the supervisor, opens the
 * workstation windows, relays IPC between windows and the engine (sender-checked), and logs with
 * electron-log. All trading happens in the worker.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BrowserWindow, app, session, shell } from 'electron';
import log from 'electron-log/main';
import { alpacaHistoryFromEnv, alpacaTradingFromEnv, liveProviderFromEnv, type EngineConfig } from '../../shared/engine-config';
import { EngineSupervisor, workerSpawner } from '../../shared/engine-supervisor';
import { IPC_CHANNELS } from '../../shared/ipc-channels';
import { WINDOW_KINDS, type WindowParams } from '../../shared/protocol';
import { handleFromWindows } from './ipc';
import { WindowManager } from './window-manager';

/** Windows opened at launch; chart and ticket start on the feed's first symbol. */
const DEFAULT_WINDOWS: readonly WindowParams[] = [{ kind: 'watchlist' }, { kind: 'chart' }, { kind: 'ticket' }, { kind: 'orders' }, { kind: 'alerts' }];

function isWindowParams(value: unknown): value is WindowParams {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, symbol, group } = value as Record<string, unknown>;
  return (
    (WINDOW_KINDS as readonly unknown[]).includes(kind) &&
    (symbol === undefined || (typeof symbol === 'string' && /^[A-Z][A-Z0-9.-]{0,9}$/.test(symbol))) &&
    (group === undefined || (typeof group === 'string' && group.length <= 32))
  );
}

function start(): void {
  log.initialize();
  const outDir = join(__dirname, '..');
  const rendererIndexPath = join(outDir, 'renderer', 'index.html');
  const nativeBinding = join(app.getAppPath(), '.electron-native', 'better_sqlite3.node');
  // With Alpaca keys in the environment orders go to Alpaca and market data comes from Alpaca
  // (Polygon as backup with POLYGON_API_KEY); without keys, the simulated market and paper
  // broker. A Keys tab in Settings comes later.
  const alpaca = alpacaTradingFromEnv(process.env);
  const alpacaFeed = process.env.APCA_DATA_FEED === 'sip' ? 'sip' : 'iex';
  const alpacaData = liveProviderFromEnv('alpaca', process.env, alpacaFeed);
  const polygonData = liveProviderFromEnv('polygon', process.env);
  const primary = alpacaData ?? polygonData;
  const backup = alpacaData ? polygonData : null;
  const history = alpacaHistoryFromEnv(process.env, alpacaFeed);
  const engineConfig: EngineConfig = {
    dataDir: app.getPath('userData'),
    feed: primary ? { kind: 'live', primary, ...(backup ? { backup } : {}) } : { kind: 'simulated' },
    ...(primary && history ? { history } : {}),
    ...(alpaca ? { alpaca } : {}),
    ...(existsSync(nativeBinding) ? { sqliteNativeBinding: nativeBinding } : {}),
  };

  let windows: WindowManager | null = null;
  const supervisor = new EngineSupervisor({
    spawn: workerSpawner(() => new Worker(join(outDir, 'engine', 'worker.cjs'), { workerData: engineConfig })),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
    now: Date.now,
    log: (level, message) => log[level](`[engine] ${message}`),
    deliver: (clientId, message) => windows?.deliver(clientId, message),
  });

  windows = new WindowManager({
    createWindow: (options) => new BrowserWindow(options),
    openExternal: (url) => void shell.openExternal(url),
    preloadPath: join(outDir, 'preload', 'index.cjs'),
    rendererIndexPath,
    onOpened: (clientId) => supervisor.connect(clientId),
    onClosed: (clientId) => supervisor.disconnect(clientId),
    warn: (message) => log.warn(message),
  });
  const manager = windows;

  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  const trust = {
    knownWindowIds: () => manager.knownWindowIds(),
    rendererUrl: pathToFileURL(rendererIndexPath).href,
    warn: (message: string) => log.warn(message),
  };
  handleFromWindows(IPC_CHANNELS.request, trust, (sender, payload) => {
    const clientId = manager.clientIdOf(sender);
    if (clientId) supervisor.request(clientId, payload);
  });
  handleFromWindows(IPC_CHANNELS.ready, trust, (sender) => manager.markReady(sender));
  handleFromWindows(IPC_CHANNELS.openWindow, trust, (_sender, payload) => {
    if (isWindowParams(payload)) manager.open(payload);
    else log.warn('Refused to open a window with invalid parameters');
  });

  supervisor.start();
  for (const params of DEFAULT_WINDOWS) manager.open(params);

  app.on('window-all-closed', () => {
    void supervisor.stop().then(() => app.quit());
  });
  app.on('activate', () => {
    if (manager.count === 0) manager.open({ kind: 'launcher' });
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  void app.whenReady().then(start);
}
