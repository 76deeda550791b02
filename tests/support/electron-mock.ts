/**
 * A stand-in for the `electron` module (the binary cannot be downloaded here): enough of
 * BrowserWindow, webContents, ipcMain, app, session, shell, screen, safeStorage and Menu to run
 * main's logic. {@link resetElectronMock} gives each test a fresh state and user-data folder.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';
import type { DisplayInfo, Rect } from '../../shared/layouts';

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
  maximized = false;
  closed = false;
  /** Normal bounds; a window opened without x/y lands at (100, 100) on the primary display. */
  bounds: Rect;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    this.bounds = { x: options.x ?? 100, y: options.y ?? 100, width: options.width ?? 800, height: options.height ?? 600 };
    MockBrowserWindow.created.push(this);
  }
  loadFile(path: string, options: { query: Record<string, string> }): Promise<void> {
    this.loaded = { path, query: options.query };
    this.webContents.mainFrame.url = `file://${path}?${new URLSearchParams(options.query).toString()}`;
    return Promise.resolve();
  }
  /** `loaded.path` is the URL without its query; `loaded.query` its parameters. */
  loadURL(url: string): Promise<void> {
    const parsed = new URL(url);
    this.loaded = { path: `${parsed.protocol}//${parsed.host}${parsed.pathname}`, query: Object.fromEntries(parsed.searchParams) };
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  setBounds(bounds: Rect): void {
    this.bounds = { ...bounds };
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
  }
  unmaximize(): void {
    this.maximized = false;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
  /** Windows still open. */
  static open(): MockBrowserWindow[] {
    return MockBrowserWindow.created.filter((w) => !w.closed);
  }
}

type InvokeHandler = (event: unknown, payload: unknown) => Promise<unknown>;

export const ipcMain = Object.assign(new EventEmitter(), {
  handlers: new Map<string, InvokeHandler>(),
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
});

/** A display at `x, y` of `width × height` DIP px with a 40 px taskbar at the bottom. */
export function display(id: number, x: number, y: number, width = 1920, height = 1080, scaleFactor = 1): DisplayInfo {
  return { id, bounds: { x, y, width, height }, workArea: { x, y, width, height: height - 40 }, scaleFactor };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export const screen = Object.assign(new EventEmitter(), {
  displays: [display(1, 0, 0)] as DisplayInfo[],
  getAllDisplays(): DisplayInfo[] {
    return this.displays;
  },
  /** The display holding most of `rect`, else the first (Electron: the nearest). */
  getDisplayMatching(rect: Rect): DisplayInfo {
    let winner = this.displays[0]!;
    let best = 0;
    for (const d of this.displays) {
      const area = overlap(rect, d.bounds);
      if (area > best) [winner, best] = [d, area];
    }
    return winner;
  },
});

/** Reversible, never contains the plain text: bytes XOR 0x5a behind a marker. */
export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as string,
  isEncryptionAvailable(): boolean {
    return this.available;
  },
  getSelectedStorageBackend(): string {
    return this.backend;
  },
  encryptString(plainText: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    return Buffer.concat([Buffer.from('v10'), Buffer.from(plainText, 'utf8').map((b) => b ^ 0x5a)]);
  },
  decryptString(encrypted: Buffer): string {
    if (encrypted.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(encrypted.subarray(3).map((b) => b ^ 0x5a)).toString('utf8');
  },
};

export const Menu = {
  applied: null as MenuItemConstructorOptions[] | null,
  buildFromTemplate(template: MenuItemConstructorOptions[]): { template: MenuItemConstructorOptions[] } {
    return { template };
  },
  setApplicationMenu(menu: { template: MenuItemConstructorOptions[] } | null): void {
    this.applied = menu?.template ?? null;
  },
};

/** `protocol`: the schemes registered as privileged and the handlers main installed. */
export const protocol = {
  privileged: [] as Array<{ scheme: string; privileges: Record<string, boolean> }>,
  handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>): void {
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    this.handlers.set(scheme, handler);
  },
};

export const electronMock = {
  protocol,
  BrowserWindow: MockBrowserWindow,
  ipcMain,
  screen,
  safeStorage,
  Menu,
  app: Object.assign(new EventEmitter(), {
    userData: '/tmp/tw-electron-mock',
    requestSingleInstanceLock: () => true,
    enableSandbox: () => undefined,
    whenReady: () => Promise.resolve(),
    getPath(name: string): string {
      return name === 'userData' ? this.userData : join(this.userData, name);
    },
    getAppPath: () => '/tmp/tw-electron-mock-app',
    getName: () => 'Trading Workstation',
    quit: () => undefined,
  }),
  session: { defaultSession: { permissionHandler: null as unknown, setPermissionRequestHandler(h: unknown) { this.permissionHandler = h; } } },
  shell: {
    opened: [] as string[],
    revealed: [] as string[],
    openedPaths: [] as string[],
    openExternal(url: string) { this.opened.push(url); return Promise.resolve(); },
    showItemInFolder(path: string) { this.revealed.push(path); },
    openPath(path: string) { this.openedPaths.push(path); return Promise.resolve(''); },
  },
};

let tempUserData: string | null = null;

/**
 * Fresh state for a test: no windows, IPC handlers, menu or shell calls; one 1920×1080
 * display; OS-protected encryption; a new empty user-data folder (returned; the previous one
 * is deleted).
 */
export function resetElectronMock(): string {
  MockBrowserWindow.created.length = 0;
  ipcMain.removeAllListeners();
  ipcMain.handlers.clear();
  screen.removeAllListeners();
  screen.displays = [display(1, 0, 0)];
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  Menu.applied = null;
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  electronMock.app.removeAllListeners();
  electronMock.shell.opened.length = 0;
  electronMock.shell.revealed.length = 0;
  electronMock.shell.openedPaths.length = 0;
  if (tempUserData) rmSync(tempUserData, { recursive: true, force: true });
  tempUserData = mkdtempSync(join(tmpdir(), 'tw-main-'));
  electronMock.app.userData = tempUserData;
  return tempUserData;
}

/** Sends an IPC message to main as if from `contents`' main frame (or a sub-frame). */
export function emitIpc(channel: string, contents: MockWebContents, payload: unknown, frame: { url: string } = contents.mainFrame): void {
  ipcMain.emit(channel, { sender: contents, senderFrame: frame }, payload);
}

/** Invokes a `handle` channel as if from `contents`' main frame (or a sub-frame); resolves with main's answer. */
export function invokeIpc(channel: string, contents: MockWebContents, payload: unknown, frame: { url: string } = contents.mainFrame): Promise<unknown> {
  const handler = ipcMain.handlers.get(channel);
  if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
  return handler({ sender: contents, senderFrame: frame }, payload);
}
