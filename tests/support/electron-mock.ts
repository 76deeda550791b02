/**
 * A stand-in for the `electron` module (the binary cannot be downloaded here): enough of
 * BrowserWindow, webContents, ipcMain, app, session and shell to run main's logic.
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions } from 'electron';

let nextContentsId = 1;

export class MockWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  readonly mainFrame = { url: '' };
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  destroyed = false;
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
}

export class MockBrowserWindow extends EventEmitter {
  static readonly created: MockBrowserWindow[] = [];
  readonly webContents = new MockWebContents();
  loaded: { path: string; query: Record<string, string> } | null = null;
  shown = false;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    MockBrowserWindow.created.push(this);
  }
  loadFile(path: string, options: { query: Record<string, string> }): Promise<void> {
    this.loaded = { path, query: options.query };
    this.webContents.mainFrame.url = `file://${path}?${new URLSearchParams(options.query).toString()}`;
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
}

export const ipcMain = new EventEmitter();

export const electronMock = {
  BrowserWindow: MockBrowserWindow,
  ipcMain,
  app: Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: () => true,
    enableSandbox: () => undefined,
    whenReady: () => Promise.resolve(),
    getPath: () => '/tmp/tw-electron-mock',
    getAppPath: () => '/tmp/tw-electron-mock-app',
    quit: () => undefined,
  }),
  session: { defaultSession: { permissionHandler: null as unknown, setPermissionRequestHandler(h: unknown) { this.permissionHandler = h; } } },
  shell: { opened: [] as string[], openExternal(url: string) { this.opened.push(url); return Promise.resolve(); } },
};

/** Sends an IPC message to main as if from `contents`' main frame (or a sub-frame). */
export function emitIpc(channel: string, contents: MockWebContents, payload: unknown, frame: { url: string } = contents.mainFrame): void {
  ipcMain.emit(channel, { sender: contents, senderFrame: frame }, payload);
}
