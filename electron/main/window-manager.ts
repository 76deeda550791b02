/**
 * Creates and tracks workstation windows. Each window is one engine client: messages for it are
 * held until it says it is ready, then relayed through a bounded {@link Outbox}: a window that
 * stops acknowledging what it handled (hung, or busy for seconds) has its state coalesced and
 * its orders, fills and replies held in order; one that stays hopeless has its engine session
 * closed until it reads again, when it resubscribes and gets snapshots. Electron's own queue to
 * a hung renderer thus never grows without bound. Navigation away from the app and `window.open`
 * are denied; `https:` links open in the system browser. Main keeps each window's latest state
 * report (symbol, link group, chart settings) for saving layouts.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents } from 'electron';
import { IPC_CHANNELS } from '../../shared/ipc-channels';
import type { WindowStateReport } from '../../shared/preload-api';
import type { ServerMessage, WindowParams } from '../../shared/protocol';
import { IPC_OUTBOX_LIMITS, Outbox, type OutboxLimits } from '../../shared/outbox';
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
  /** Main gave up on a window that stopped reading: close its engine session (`reason` for the log). */
  onDropped(clientId: string, reason: string): void;
  /** A dropped window reads again: open its engine session again. */
  onResumed(clientId: string): void;
  warn(message: string): void;
  /** Outbox limits (default {@link IPC_OUTBOX_LIMITS}); for tests. */
  readonly outbox?: Partial<OutboxLimits>;
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
  /** The relay once ready; null before, and while dropped. */
  outbox: Outbox | null;
  /** Messages sent on the message channel, and the count the page last acknowledged. */
  sent: number;
  acknowledged: number;
  dropped: boolean;
}

export { isSafeExternalUrl };

/** Opens, tracks and relays messages to the workstation's windows; one engine client per window. */
export class WindowManager {
  private readonly byContentsId = new Map<number, ManagedWindow>();
  private readonly byClientId = new Map<string, ManagedWindow>();
  private readonly outboxLimits: OutboxLimits;

  constructor(private readonly deps: WindowManagerDeps) {
    this.outboxLimits = { ...IPC_OUTBOX_LIMITS, ...deps.outbox };
  }

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
    const managed: ManagedWindow = { window, clientId, params, report: null, ready: false, held: [], outbox: null, sent: 0, acknowledged: 0, dropped: false };
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
      managed.outbox?.dispose();
      managed.outbox = null;
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

  /**
   * The window is listening: releases the messages held for it. Said again (the page reloaded),
   * its acknowledgement count starts afresh.
   */
  markReady(contents: WebContents): void {
    const managed = this.byContentsId.get(contents.id);
    if (!managed) return;
    if (managed.ready) {
      managed.sent = 0;
      managed.acknowledged = 0;
      if (managed.dropped) this.resume(managed);
      return;
    }
    managed.ready = true;
    managed.outbox = this.outboxFor(managed);
    for (const message of managed.held.splice(0)) managed.outbox.deliver(message);
  }

  /**
   * The window's page has handled `count` messages so far (untrusted: only a count up to what was
   * sent is taken). A dropped window that has caught up gets its engine session back.
   */
  acknowledge(contents: WebContents, count: unknown): void {
    const managed = this.byContentsId.get(contents.id);
    if (!managed || typeof count !== 'number' || !Number.isInteger(count) || count < managed.acknowledged) return;
    managed.acknowledged = Math.min(count, managed.sent);
    if (managed.dropped && managed.sent - managed.acknowledged <= this.outboxLimits.lowWater) this.resume(managed);
  }

  /** Relays a message to a window, or holds it until the window is ready. */
  deliver(clientId: string, message: ServerMessage): void {
    const managed = this.byClientId.get(clientId);
    if (!managed || managed.dropped) return;
    if (managed.outbox) {
      managed.outbox.deliver(message);
      return;
    }
    if (managed.held.length < MAX_HELD_MESSAGES) managed.held.push(message);
    else this.deps.warn(`Dropped a message for ${clientId}: the window is not loading`);
  }

  private outboxFor(managed: ManagedWindow): Outbox {
    const contents = managed.window.webContents;
    const channel = {
      get backlog(): number {
        return managed.sent - managed.acknowledged;
      },
      send: (message: ServerMessage) => {
        managed.sent++;
        sendToWindow(contents, IPC_CHANNELS.message, message);
      },
      terminate: () => {
        managed.dropped = true;
        managed.outbox = null;
        sendToWindow(contents, IPC_CHANNELS.connection, false);
        // It may have caught up just as it was given up on: then no acknowledgement is coming.
        if (managed.sent - managed.acknowledged <= this.outboxLimits.lowWater) queueMicrotask(() => managed.dropped && this.resume(managed));
      },
    };
    return new Outbox(channel, (reason) => this.deps.onDropped(managed.clientId, reason), this.outboxLimits);
  }

  private resume(managed: ManagedWindow): void {
    managed.dropped = false;
    managed.outbox = this.outboxFor(managed);
    this.deps.onResumed(managed.clientId);
    sendToWindow(managed.window.webContents, IPC_CHANNELS.connection, true);
  }
}
