/**
 * Electron main process: thin. Starts the engine worker under the supervisor, opens the
 * workstation windows (the layout saved for this monitor arrangement, else the defaults),
 * relays IPC between windows and the engine (sender-checked, payloads parsed), keeps the API keys
 * of Settings → Data & Brokers with `safeStorage`, and logs with electron-log. All trading happens
 * in the worker.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { BrowserWindow, Menu, app, protocol, safeStorage, screen, session, shell } from 'electron';
import log from 'electron-log/main';
import type { EngineConfig } from '../../shared/engine-config';
import { EngineSupervisor } from '../../shared/engine-supervisor';
import { IPC_CHANNELS, IPC_INVOKE_CHANNELS } from '../../shared/ipc-channels';
import { placeWindow } from '../../shared/layouts';
import type { WindowParams } from '../../shared/protocol';
import { appMenuTemplate } from './app-menu';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, RENDERER_PAGE_URL, contentTypeOf, rendererFileFor } from './app-protocol';
import { ConnectionsService } from './connections-service';
import { buildEngineConfig, describeEngineConfig, envHasProviderKeys } from './engine-config-builder';
import { handleFromWindows, handleInvokeFromWindows } from './ipc';
import { layoutNameSchema, windowParamsSchema, windowStateReportSchema } from './ipc-schemas';
import { LayoutController } from './layout-controller';
import { applyLogLevelSetting, configureLogging } from './logging';
import { MAIN_CLIENT_ID, MainEngineClient } from './main-engine-client';
import { RestartableEngine } from './restartable-engine';
import { hardenWebContents } from './web-contents-security';
import { WindowManager } from './window-manager';

/** Windows opened at launch when no layout is saved; chart and ticket start on the feed's first symbol. */
const DEFAULT_WINDOWS: readonly WindowParams[] = [{ kind: 'watchlist' }, { kind: 'chart' }, { kind: 'ticket' }, { kind: 'orders' }, { kind: 'alerts' }];

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function start(): void {
  // Before any window exists: every webContents is locked down (no navigation, <webview>,
  // window.open or permissions) the moment it is created.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, { openExternal: (url) => void shell.openExternal(url), warn: (message) => log.warn(message) });
  });
  const userData = app.getPath('userData');
  const logFile = configureLogging(log, userData, process.env);
  const warn = (message: string): void => log.warn(message);
  const outDir = join(__dirname, '..');
  const rendererDir = join(outDir, 'renderer');
  // The renderer is served from app://workstation/, only from the built renderer folder.
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFileFor(request.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      return new Response(await readFile(file), { headers: { 'content-type': contentTypeOf(file) } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
  const nativeBinding = join(app.getAppPath(), '.electron-native', 'better_sqlite3.node');

  const connections = new ConnectionsService({
    dir: userData,
    safeStorage,
    platform: process.platform,
    log: { info: (message) => log.info(message), warn },
    onChanged: () => {
      log.info('Connections changed: restarting the engine');
      engine.setConfig(engineConfig());
    },
  });
  // Environment keys win (developers, tests); otherwise the keys and choices of Settings → Data & Brokers.
  const engineConfig = (): EngineConfig => {
    const fromEnv = envHasProviderKeys(process.env);
    const built = buildEngineConfig({
      env: process.env,
      dataDir: userData,
      settings: connections.settings(),
      keys: fromEnv ? {} : connections.decryptedKeys(),
      ...(existsSync(nativeBinding) ? { sqliteNativeBinding: nativeBinding } : {}),
    });
    for (const warning of built.warnings) log.warn(warning);
    log.info(`Engine config from ${built.source === 'environment' ? 'the environment' : 'Settings'}: ${describeEngineConfig(built.config)}`);
    return built.config;
  };
  const engine = new RestartableEngine((config) => new Worker(join(outDir, 'engine', 'worker.cjs'), { workerData: config }), engineConfig());

  let windows: WindowManager | null = null;
  let mainClient: MainEngineClient | null = null;
  const supervisor = new EngineSupervisor({
    spawn: engine.spawn,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
    now: Date.now,
    log: (level, message) => log[level](`[engine] ${message}`),
    deliver: (clientId, message) => {
      if (clientId === MAIN_CLIENT_ID) mainClient?.receive(message);
      else windows?.deliver(clientId, message);
    },
    onStateChange: (state) => {
      if (state === 'running') engine.onRunning();
    },
  });
  engine.requestRestart = () => supervisor.restart();

  windows = new WindowManager({
    createWindow: (options) => new BrowserWindow(options),
    openExternal: (url) => void shell.openExternal(url),
    preloadPath: join(outDir, 'preload', 'index.cjs'),
    onOpened: (clientId) => supervisor.connect(clientId),
    onClosed: (clientId) => supervisor.disconnect(clientId),
    onDropped: (clientId, reason) => {
      warn(`Closed the engine session of ${clientId}: ${reason}; it resubscribes when it reads again`);
      supervisor.disconnect(clientId);
    },
    onResumed: (clientId) => {
      log.info(`${clientId} reads again: engine session reopened`);
      supervisor.connect(clientId);
    },
    warn,
  });
  const manager = windows;

  const refreshMenu = (): void => {
    const template = appMenuTemplate(
      { platform: process.platform, appName: app.getName(), canRestoreLayout: layouts.layouts.length > 0 },
      {
        openWindow: (kind) => manager.open({ kind }),
        restoreLayout: () => {
          try {
            layouts.restoreForArrangement();
          } catch (error) {
            warn(`Could not restore the layout: ${messageOf(error)}`);
          }
        },
        revealLogs: () => shell.showItemInFolder(logFile),
        openDataFolder: () => void shell.openPath(userData),
      },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };
  mainClient = new MainEngineClient(supervisor, (events) => {
    layouts.handleEvents(events);
    for (const event of events) if (event.type === 'settings') applyLogLevelSetting(log, event.settings.logging.level, process.env);
  });
  const layouts = new LayoutController({
    windows: manager,
    screen: { getAllDisplays: () => screen.getAllDisplays(), getDisplayMatching: (rect) => screen.getDisplayMatching(rect) },
    engine: mainClient,
    now: Date.now,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
    log: { info: (message) => log.info(message), warn },
    onLayoutsChanged: refreshMenu,
  });

  const trust = { knownWindowIds: () => manager.knownWindowIds(), rendererUrl: RENDERER_PAGE_URL, warn };
  handleFromWindows(IPC_CHANNELS.request, trust, (sender, payload) => {
    const clientId = manager.clientIdOf(sender);
    if (clientId) supervisor.request(clientId, payload);
  });
  handleFromWindows(IPC_CHANNELS.ready, trust, (sender) => manager.markReady(sender));
  handleFromWindows(IPC_CHANNELS.received, trust, (sender, payload) => manager.acknowledge(sender, payload));
  handleFromWindows(IPC_CHANNELS.openWindow, trust, (_sender, payload) => {
    const parsed = windowParamsSchema.safeParse(payload);
    if (!parsed.success) {
      warn('Refused to open a window with invalid parameters');
      return;
    }
    const { bounds, ...params } = parsed.data;
    // Bounds from a window are placed fully on a display that exists, never off-screen.
    const displays = screen.getAllDisplays();
    const placed = bounds && displays.length > 0 ? placeWindow({ bounds, displayId: screen.getDisplayMatching(bounds).id }, displays).bounds : undefined;
    manager.open({ ...params, ...(placed ? { bounds: placed } : {}) });
  });
  handleFromWindows(IPC_CHANNELS.reportState, trust, (sender, payload) => {
    const parsed = windowStateReportSchema.safeParse(payload);
    if (parsed.success) manager.setReport(sender, parsed.data);
    else warn(`Ignored an invalid window state report from ${manager.clientIdOf(sender) ?? 'a window'}`);
  });
  handleFromWindows(IPC_CHANNELS.saveLayout, trust, (_sender, payload) => {
    const name = layoutNameSchema.safeParse(payload);
    if (!name.success) {
      warn('Refused to save a layout without a valid name');
      return;
    }
    layouts.save(name.data).catch((error: unknown) => warn(`Could not save layout "${name.data}": ${messageOf(error)}`));
  });
  handleFromWindows(IPC_CHANNELS.applyLayout, trust, (_sender, payload) => {
    const name = layoutNameSchema.safeParse(payload);
    if (!name.success) {
      warn('Refused to apply a layout without a valid name');
      return;
    }
    try {
      layouts.apply(name.data);
    } catch (error) {
      warn(`Could not apply layout "${name.data}": ${messageOf(error)}`);
    }
  });
  handleInvokeFromWindows(IPC_INVOKE_CHANNELS.connectionsGet, trust, () => Promise.resolve(connections.get()));
  handleInvokeFromWindows(IPC_INVOKE_CHANNELS.connectionsUpdate, trust, (_sender, payload) => Promise.resolve(connections.update(payload)));
  handleInvokeFromWindows(IPC_INVOKE_CHANNELS.connectionsStoreKey, trust, (_sender, payload) => Promise.resolve(connections.storeKey(payload)));
  handleInvokeFromWindows(IPC_INVOKE_CHANNELS.connectionsClearKey, trust, (_sender, payload) => Promise.resolve(connections.clearKey(payload)));

  supervisor.start();
  mainClient.connect();
  refreshMenu();
  layouts.openAtLaunch(DEFAULT_WINDOWS).catch((error: unknown) => {
    log.error(`Could not open the saved layout: ${messageOf(error)}`);
    if (manager.count === 0) for (const params of DEFAULT_WINDOWS) manager.open(params);
  });
  // The trader's log level (Settings → Storage) applies to main's and the engine's lines at once.
  mainClient.request({ type: 'subscribe', topics: ['settings'] }).catch((error: unknown) => warn(`Could not follow the settings: ${messageOf(error)}`));
  screen.on('display-added', () => layouts.onDisplaysChanged());
  screen.on('display-removed', () => layouts.onDisplaysChanged());
  screen.on('display-metrics-changed', () => layouts.onDisplaysChanged());

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
  // Before the app is ready: the renderer's own origin (see app-protocol.ts).
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
  void app.whenReady().then(start);
}
