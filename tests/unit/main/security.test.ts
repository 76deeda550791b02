/**
 * The Electron security checklist, one test per item (Electron's "Security" tutorial and
 * DESIGN.md). Main runs with `electron` mocked; pure parts are called directly.
 *
 * Covered elsewhere, not repeated here:
 * - fuses, asar, signing: tests/unit/build/installer-config.test.ts;
 * - the sender check's rules (frame, window, page): tests/unit/main/sender-check.test.ts, ipc.test.ts;
 * - main's log and the windows never seeing a stored key: tests/unit/main/connections.test.ts and
 *   main-process.test.ts ("keys never sent to a window or logged");
 * - the engine's logs never holding a key: tests/integration/host-security.test.ts;
 * - electronegativity over main, preload and the renderer page: tests/integration/electronegativity.test.ts.
 */
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/domain';
import { IPC_CHANNELS, IPC_INVOKE_CHANNELS } from '../../../shared/ipc-channels';
import { WINDOW_TITLES, type WindowParams } from '../../../shared/protocol';
import { settingsSchema } from '../../../shared/schemas';
import { RENDERER_PAGE_URL, rendererFileFor } from '../../../electron/main/app-protocol';
import { ConnectionsService } from '../../../electron/main/connections-service';
import { hardenWebContents, isSafeExternalUrl, type HardenedContents } from '../../../electron/main/web-contents-security';
import { browserWindowOptions } from '../../../electron/main/window-options';
import { parseSettingsFile, serializeSettingsFile } from '../../../renderer/windows/settings/settings-file';
import { MockBrowserWindow, electronMock, emitIpc, invokeIpc, ipcMain, protocol, resetElectronMock, safeStorage } from '../../support/electron-mock';
import { REPO_ROOT } from '../../support/shared-data';

const logged = vi.hoisted(() => ({ lines: [] as string[] }));
vi.mock('electron', () => electronMock);
vi.mock('electron-log/main', () => {
  const write = (level: string) => (message: string) => logged.lines.push(`${level} ${message}`);
  return {
    default: {
      initialize: () => undefined,
      transports: { file: { resolvePathFn: () => '', maxSize: 0, level: 'silly' }, console: { level: 'silly' } },
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
    },
  };
});

class MockWorker extends EventEmitter {
  static readonly created: MockWorker[] = [];
  constructor() {
    super();
    MockWorker.created.push(this);
  }
  postMessage(): void {}
  terminate(): Promise<number> {
    return Promise.resolve(0);
  }
}
vi.mock('node:worker_threads', () => ({ Worker: MockWorker }));

const KEY_ID = 'PKSECURITYTEST001234';
const SECRET = 'Wd4Hq9Zt2Lp7Xm5Rc8Vb1Nk6Js3Gf0Ya2Ue7Io';
const POLYGON_KEY = 'Ty8Ub3Nc6Md1Ke4Lf7Pg2Qh5Ri0Sj9Tk';

const MAIN_DIR = join(REPO_ROOT, 'electron', 'main');
const mainSources = (): Array<{ file: string; text: string }> =>
  readdirSync(MAIN_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({ file, text: readFileSync(join(MAIN_DIR, file), 'utf8') }));

/** Starts main afresh with electron mocked; resolves once its IPC handlers are registered. */
async function launchMain(): Promise<void> {
  vi.resetModules();
  MockWorker.created.length = 0;
  logged.lines.length = 0;
  resetElectronMock();
  await import('../../../electron/main/index');
  await vi.waitFor(() => expect(MockWorker.created).toHaveLength(1));
  MockWorker.created[0]!.emit('message', { type: 'ready' });
}

/** The engine sends no saved layout: after 3 s main opens the default windows. */
async function openDefaultWindows(): Promise<void> {
  await vi.advanceTimersByTimeAsync(3_500);
  expect(MockBrowserWindow.created.filter((w) => w.loaded?.path.endsWith('index.html')).length).toBeGreaterThanOrEqual(5);
}

/** A webContents as `app.on('web-contents-created')` hands it over. */
function fakeContents() {
  const session = {
    requestHandler: null as null | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
    checkHandler: null as null | ((contents: unknown, permission: string) => boolean),
    setPermissionRequestHandler(handler: typeof this.requestHandler) {
      this.requestHandler = handler;
    },
    setPermissionCheckHandler(handler: typeof this.checkHandler) {
      this.checkHandler = handler;
    },
  };
  const contents = Object.assign(new EventEmitter(), {
    session,
    openHandler: null as null | ((details: { url: string }) => { action: string }),
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      contents.openHandler = handler;
    },
  });
  return contents;
}

function prevented(emitter: EventEmitter, event: string): boolean {
  const e = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
  emitter.emit(event, e, {}, {});
  return e.defaultPrevented;
}

const PERMISSIONS = ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb'];

describe('Electron security checklist', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    for (const name of ['APCA_API_KEY_ID', 'APCA_API_SECRET_KEY', 'POLYGON_API_KEY']) vi.stubEnv(name, '');
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  describe('renderer isolation (window options)', () => {
    it.each(Object.keys(WINDOW_TITLES) as WindowParams['kind'][])('a %s window is sandboxed, context-isolated, without Node, webviews or insecure content', (kind) => {
      const { webPreferences } = browserWindowOptions({ kind }, '/app/out/preload/index.cjs');
      expect(webPreferences).toMatchObject({
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
      });
      expect(webPreferences).not.toHaveProperty('experimentalFeatures', true);
      expect(webPreferences).not.toHaveProperty('enableBlinkFeatures');
    });

    it('main enables the sandbox for every renderer before the app is ready', async () => {
      const enableSandbox = vi.spyOn(electronMock.app, 'enableSandbox');
      await launchMain();
      expect(enableSandbox).toHaveBeenCalledOnce();
      enableSandbox.mockRestore();
    });
  });

  describe('Content-Security-Policy of the Electron renderer (renderer/index.html)', () => {
    const html = readFileSync(join(REPO_ROOT, 'renderer', 'index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    const directives = new Map(
      (meta?.[1] ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((parts) => parts[0])
        .map(([name, ...values]) => [name!, values]),
    );

    it('is set in a <meta> tag, since the page loads from file://', () => {
      expect(meta).not.toBeNull();
    });

    it("denies by default and allows scripts from the app only: no inline, no eval", () => {
      expect(directives.get('default-src')).toEqual(["'none'"]);
      expect(directives.get('script-src')).toEqual(["'self'"]);
      expect(meta?.[1]).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      expect(directives.get('base-uri')).toEqual(["'none'"]);
      expect(directives.get('form-action')).toEqual(["'none'"]);
    });

    it('allows no network at all: windows talk to main over IPC', () => {
      expect(directives.get('connect-src')).toEqual(["'none'"]);
      for (const [name, values] of directives) {
        for (const value of values) expect(value, `${name} ${value}`).not.toMatch(/^(https?|wss?):|^\*$/);
      }
    });

    it('has no inline script and loads nothing remote', () => {
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/\bsrc="\.\//);
        expect(body?.trim()).toBe('');
      }
      expect(html.replace(/<!--[\s\S]*?-->/g, '')).not.toMatch(/(src|href)="(https?:)?\/\//i);
    });
  });

  describe('IPC: every channel checks its sender', () => {
    // Main → window only: main never listens on these.
    const mainToWindow: readonly string[] = [IPC_CHANNELS.message, IPC_CHANNELS.connection];
    const sendChannels = Object.values(IPC_CHANNELS).filter((channel) => !mainToWindow.includes(channel));
    const invokeChannels = Object.values(IPC_INVOKE_CHANNELS);

    it('main listens on exactly the workstation channels, all through the sender-checked wrappers', async () => {
      await launchMain();
      expect(ipcMain.eventNames().sort()).toEqual([...sendChannels].sort());
      expect([...ipcMain.handlers.keys()].sort()).toEqual([...invokeChannels].sort());
      // The wrappers in ipc.ts are the only code in main that touches ipcMain.
      for (const { file, text } of mainSources()) {
        if (file !== 'ipc.ts') expect(text, file).not.toMatch(/\bipcMain\b/);
      }
    });

    it.each(sendChannels)('%s: messages from a stranger, a sub-frame or another page are refused', async (channel) => {
      await launchMain();
      const stranger = new MockBrowserWindow({});
      void stranger.loadURL('app://elsewhere/index.html');
      emitIpc(channel, stranger.webContents, null);
      expect(logged.lines).toContainEqual(expect.stringContaining(`Refused IPC on ${channel}`));

      // A window main opened, but the message comes from an embedded frame or a navigated-away page.
      await openDefaultWindows();
      const own = MockBrowserWindow.created.find((w) => w !== stranger)!;
      logged.lines.length = 0;
      emitIpc(channel, own.webContents, null, { url: own.webContents.mainFrame.url });
      emitIpc(channel, own.webContents, null, { url: 'https://evil.example/' });
      expect(logged.lines.filter((line) => line.includes(`Refused IPC on ${channel}`))).toHaveLength(2);
    });

    it.each(invokeChannels)('%s: invokes from a stranger are rejected without running the handler', async (channel) => {
      await launchMain();
      const stranger = new MockBrowserWindow({});
      void stranger.loadURL('app://elsewhere/index.html');
      await expect(invokeIpc(channel, stranger.webContents, { provider: 'alpaca', keyId: KEY_ID, secret: SECRET, acceptWeakProtection: true })).rejects.toThrow('Refused');
      expect(logged.lines).toContainEqual(expect.stringContaining(`Refused IPC on ${channel}`));
      expect(logged.lines.join('\n')).not.toContain('Connections changed');
    });
  });

  describe('every webContents is hardened when created (navigation, window.open, webviews, permissions)', () => {
    function hardened() {
      const contents = fakeContents();
      const opened: string[] = [];
      const warnings: string[] = [];
      hardenWebContents(contents as unknown as HardenedContents, { openExternal: (url) => opened.push(url), warn: (m) => warnings.push(m) });
      return { contents, opened, warnings };
    }

    it('denies navigation and redirects away from the app page', () => {
      const { contents, warnings } = hardened();
      expect(prevented(contents, 'will-navigate')).toBe(true);
      expect(prevented(contents, 'will-redirect')).toBe(true);
      expect(warnings).toHaveLength(2);
    });

    it('prevents <webview> from attaching', () => {
      const { contents } = hardened();
      expect(prevented(contents, 'will-attach-webview')).toBe(true);
    });

    it('denies window.open; only https: links go to the system browser', () => {
      const { contents, opened } = hardened();
      for (const url of ['https://alpaca.markets/docs', 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'data:text/html,x', 'not a url']) {
        expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' });
      }
      expect(opened).toEqual(['https://alpaca.markets/docs']);
    });

    it('denies every permission request and every permission check', () => {
      const { contents } = hardened();
      for (const permission of PERMISSIONS) {
        const answers: boolean[] = [];
        contents.session.requestHandler?.(contents, permission, (granted) => answers.push(granted));
        expect(answers, permission).toEqual([false]);
        expect(contents.session.checkHandler?.(contents, permission), permission).toBe(false);
      }
    });

    it('main hardens each webContents the moment it is created, and denies permissions on the default session', async () => {
      await launchMain();
      expect(electronMock.app.listenerCount('web-contents-created')).toBe(1);
      const contents = fakeContents();
      electronMock.app.emit('web-contents-created', {}, contents);
      expect(contents.session.checkHandler?.(contents, 'media')).toBe(false);
      expect(contents.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
      expect(electronMock.shell.opened).toEqual(['https://example.com/']);
      expect(prevented(contents, 'will-navigate')).toBe(true);
      expect(prevented(contents, 'will-attach-webview')).toBe(true);
      const defaultSession = electronMock.session.defaultSession.permissionHandler as (c: unknown, p: string, cb: (granted: boolean) => void) => void;
      const answers: boolean[] = [];
      defaultSession(null, 'notifications', (granted) => answers.push(granted));
      expect(answers).toEqual([false]);
    });
  });

  describe('external links', () => {
    it.each([
      ['https://alpaca.markets/', true],
      ['HTTPS://polygon.io/dashboard', true],
      ['http://alpaca.markets/', false],
      ['file:///C:/Windows/System32/calc.exe', false],
      ['javascript:alert(1)', false],
      ['ms-msdt:/id PCWDiagnostic', false],
      ['//evil.example/', false],
      ['', false],
    ])('%s may open in the system browser: %s', (url, safe) => {
      expect(isSafeExternalUrl(url)).toBe(safe);
    });
  });

  describe('no remote content', () => {
    it('windows load only the bundled renderer, from the app:// scheme, never a remote URL', async () => {
      await launchMain();
      await openDefaultWindows();
      for (const { file, text } of mainSources()) {
        // The one page load in main is the renderer's own page URL.
        expect(text.split('.loadURL(').length, file).toBe(text.split('.loadURL(rendererPageUrl(').length);
        expect(text, file).not.toMatch(/\.loadFile\(/);
        expect(text, file).not.toMatch(/webviewTag:\s*true|allowRunningInsecureContent:\s*true|webSecurity:\s*false/);
      }
      for (const window of MockBrowserWindow.created) expect(window.loaded?.path).toBe(RENDERER_PAGE_URL);
      // Registered before ready as a standard, secure scheme, with nothing more (no fetch, CORS or streaming).
      expect(protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } }]);
    });

    it('the app:// handler serves files of the renderer folder only', async () => {
      await launchMain();
      const handler = protocol.handlers.get('app');
      if (!handler) throw new Error('no app:// handler');
      for (const url of ['app://workstation/../../../etc/passwd', 'app://workstation/%2e%2e/%2e%2e/etc/passwd', 'app://workstation/..%2f..%2fetc%2fpasswd', 'app://evil/index.html', 'app://workstation/assets/%00.js']) {
        expect((await handler(new Request(url))).status, url).toBe(404);
      }
    });

    it.each([
      ['app://workstation/index.html', '/r/index.html'],
      ['app://workstation/', '/r/index.html'],
      ['app://workstation/assets/index-abc.js?x=1', '/r/assets/index-abc.js'],
      // The URL parser resolves a leading `..` at the root: still inside the folder.
      ['app://workstation/../secret', '/r/secret'],
      ['app://workstation/assets/..%2f..%2fsecret', null],
      ['app://workstation/a%5Cb', null],
      ['app://other/index.html', null],
      ['file:///r/index.html', null],
      ['not a url', null],
    ])('%s → %s', (url, file) => {
      expect(rendererFileFor(url, '/r')).toBe(file === null ? null : resolve(file));
    });
  });

  describe('secrets', () => {
    const KEY_LIKE = /secret|token|password|passphrase|credential|auth|apikey|api_key|keyid|key_id|^key$/i;

    function fieldNames(): string[] {
      const names = new Set<string>();
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          for (const [name, value] of Object.entries(node)) {
            if (name === 'properties' && value && typeof value === 'object') for (const field of Object.keys(value)) names.add(field);
            walk(value);
          }
        }
      };
      walk(z.toJSONSchema(settingsSchema, { unrepresentable: 'any' }));
      return [...names];
    }

    it('Settings has no field that could hold a key: keys never enter Settings by construction', () => {
      const names = fieldNames();
      expect(names.length).toBeGreaterThan(30);
      expect(names.filter((name) => KEY_LIKE.test(name))).toEqual([]);
    });

    it('a settings file with a key in it is refused on import (the schema is strict)', () => {
      const file = JSON.parse(serializeSettingsFile(DEFAULT_SETTINGS)) as { settings: Record<string, Record<string, unknown>> };
      file.settings.broker = { ...file.settings.broker, alpacaSecretKey: SECRET };
      expect(parseSettingsFile(JSON.stringify(file)).ok).toBe(false);
    });

    it('an export of the settings holds no key, even with keys stored', () => {
      const dir = resetElectronMock();
      const connections = new ConnectionsService({ dir, safeStorage, platform: 'linux', log: { info: () => undefined, warn: () => undefined }, onChanged: () => undefined });
      expect(connections.storeKey({ provider: 'alpaca', keyId: KEY_ID, secret: SECRET, acceptWeakProtection: false }).ok).toBe(true);
      expect(connections.storeKey({ provider: 'polygon', keyId: POLYGON_KEY, secret: null, acceptWeakProtection: false }).ok).toBe(true);
      const exported = serializeSettingsFile(DEFAULT_SETTINGS, new Date(0));
      for (const secret of [KEY_ID, SECRET, POLYGON_KEY]) expect(exported).not.toContain(secret);
      expect(exported).not.toMatch(/secret|apiKey|keyId/i);
    });
  });
});
