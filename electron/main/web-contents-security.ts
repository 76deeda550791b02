/**
 * Hardening applied to every webContents the app creates (`app.on('web-contents-created')`),
 * before it loads anything: no navigation, no `<webview>`, no `window.open` (only `https:` links,
 * handed to the system browser), and every permission request and check of its session denied.
 * The window manager adds the same navigation and `window.open` rules per window; this covers any
 * other webContents (a devtools page, a future helper window) too.
 */
import type { Session, WebContents } from 'electron';

/** The parts of a session the hardening sets. */
export type HardenedSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

/** The parts of a webContents the hardening sets. */
export interface HardenedContents {
  readonly session: HardenedSession;
  setWindowOpenHandler: WebContents['setWindowOpenHandler'];
  on(event: 'will-navigate' | 'will-attach-webview' | 'will-redirect', listener: (event: { preventDefault(): void }) => void): unknown;
}

/** What the hardening needs from main. */
export interface HardeningDeps {
  /** Opens a URL in the system browser (only ever called with an `https:` URL). */
  openExternal(url: string): void;
  warn(message: string): void;
}

/** `true` for URLs the system browser may open from the app: `https:` only. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Denies every permission request (camera, notifications, clipboard, …) and every permission check of `session`. */
export function denyAllPermissions(session: HardenedSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Locks `contents` down; call it from `app.on('web-contents-created')`. */
export function hardenWebContents(contents: HardenedContents, deps: HardeningDeps): void {
  denyAllPermissions(contents.session);
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) deps.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    deps.warn('Blocked a navigation away from the app');
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    deps.warn('Blocked a redirect away from the app');
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    deps.warn('Blocked a <webview>');
  });
}
