/**
 * Creates and tracks workstation windows. Each window is one engine client: messages for it are
 * held until it says it is ready, then relayed. Navigation away from the app and `window.open`
 * are denied; `https:` links open in the system browser. Main keeps each window's latest state
 * report (symbol, link group, chart settings) for saving layouts.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents } from 'electron';
import { IPC_CHANNELS } from '../../shared/ipc-channels';
import type { WindowStateReport } from '../../shared/preload-api';
import type { ServerMessage, WindowParams } from '../../shared/protocol';
import { sendToWindow } from './ipc';
import { isSafeExternalUrl } from './web-contents-security';
import { rendererPageUrl } from './app-protocol';
import { browserWindowOptions, rendererQuery } from './window-options';

/** Messages held for a window that is still loading, at most. */
const MAX_HELD_MESSAGES = 10_000;

/** What the window manager needs from Electron and the supervisor (injected, so it is tested without Electron). */
export interface WindowManagerDeps {
  createWindow(options: BrowserWindowConstructorOptions): BrowserWindow;
  openExternal(url: string): void;
  readonly preloadPath: string;
  onOpened(clientId: string): void;
  onClosed(clientId: string): void;
  warn(message: string): void;
}

/** How a window opens beyond its {@link WindowParams}. */
export interface OpenOptions {
  /** Chart overlays to show (e.g. `vwap`, `ema9`), passed in the renderer URL; empty shows none, absent the defaults. */
  readonly indicators?: readonly string[];
  /** Maximize on its display once shown (its bounds are then the bounds it un-maximizes to). */
  readonly maximized?: boolean;
}

/** An open window as the layout code sees it. */
export interface OpenWindow {
  readonly window: BrowserWindow;
  readonly clientId: string;
  /** The parameters it was opened with. */
  readonly params: WindowParams;
  /** Its latest state report, or null before its first. */
  readonly report: WindowStateReport | null;
}

interface ManagedWindow {
  readonly window: BrowserWindow;
  readonly clientId: string;
  readonly params: WindowParams;
  report: WindowStateReport | null;
  ready: boolean;
  readonly held: ServerMessage[];
}

export { isSafeExternalUrl };

/** Opens, tracks and relays messages to the workstation's windows; one engine client per window. */
export class WindowManager {
  private readonly byContentsId = new Map<number, ManagedWindow>();
  private readonly byClientId = new Map<string, ManagedWindow>();

  constructor(private readonly deps: WindowManagerDeps) {}

  /** `webContents.id` of every open window. */
  knownWindowIds(): ReadonlySet<number> {
    return new Set(this.byContentsId.keys());
  }

  /** Number of open windows. */
  get count(): number {
    return this.byContentsId.size;
  }

  /** Every open window, in the order they were opened. */
  list(): readonly OpenWindow[] {
    return [...this.byContentsId.values()].map(({ window, clientId, params, report }) => ({ window, clientId, params, report }));
  }

  /** Opens a window of `params.kind`; returns its engine client id. */
  open(params: WindowParams, options: OpenOptions = {}): string {
    const window = this.deps.createWindow(browserWindowOptions(params, this.deps.preloadPath));
    const contents = window.webContents;
    const clientId = `window-${contents.id}`;
    const managed: ManagedWindow = { window, clientId, params, report: null, ready: false, held: [] };
    this.byContentsId.set(contents.id, managed);
    this.byClientId.set(clientId, managed);
    contents.setWindowOpenHandler(({ url }) => {
      if (isSafeExternalUrl(url)) this.deps.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event) => {
      event.preventDefault();
      this.deps.warn(`Blocked navigation of ${clientId}`);
    });
    window.once('ready-to-show', () => {
      if (options.maximized) window.maximize();
      window.show();
    });
    window.on('closed', () => {
      this.byContentsId.delete(contents.id);
      this.byClientId.delete(clientId);
      this.deps.onClosed(clientId);
    });
    this.deps.onOpened(clientId);
    void window.loadURL(rendererPageUrl(rendererQuery(params, options.indicators)));
    return clientId;
  }

  /** Client id of the window whose webContents sent a message. */
  clientIdOf(contents: WebContents): string | undefined {
    return this.byContentsId.get(contents.id)?.clientId;
  }

  /** Keeps the latest state report of the window whose webContents sent it (already validated). */
  setReport(contents: WebContents, report: WindowStateReport): void {
    const managed = this.byContentsId.get(contents.id);
    if (managed) managed.report = report;
  }

  /** The window is listening: releases the messages held for it. */
  markReady(contents: WebContents): void {
    const managed = this.byContentsId.get(contents.id);
    if (!managed || managed.ready) return;
    managed.ready = true;
    for (const message of managed.held.splice(0)) sendToWindow(contents, IPC_CHANNELS.message, message);
  }

  /** Relays a message to a window, or holds it until the window is ready. */
  deliver(clientId: string, message: ServerMessage): void {
    const managed = this.byClientId.get(clientId);
    if (!managed) return;
    if (managed.ready) {
      sendToWindow(managed.window.webContents, IPC_CHANNELS.message, message);
      return;
    }
    if (managed.held.length < MAX_HELD_MESSAGES) managed.held.push(message);
    else this.deps.warn(`Dropped a message for ${clientId}: the window is not loading`);
  }
}
