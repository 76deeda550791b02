/**
 * The renderer is served from a custom, privileged `app://workstation/` scheme rather than
 * `file://`: pages get a real origin (so `'self'` in the CSP, BroadcastChannel and storage behave
 * as on the web), and the packaged app can turn off the `grantFileProtocolExtraPrivileges` fuse.
 * Only files inside the built renderer folder are served; anything else is a 404.
 */
import { relative, resolve, sep } from 'node:path';
import { lookup } from 'mrmime';

/** The renderer's scheme and host. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'workstation';
/** Origin of every workstation page. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** URL of the renderer's index page (without query). */
export const RENDERER_PAGE_URL = `${APP_ORIGIN}/index.html`;

/** Privileges the scheme is registered with (before the app is ready): standard and secure, nothing more. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } as const;

/** Content type of a served file by its extension (mrmime, as the headless host's sirv uses); text in UTF-8; `application/octet-stream` when unknown. */
export function contentTypeOf(path: string): string {
  const type = lookup(path) ?? 'application/octet-stream';
  return type.startsWith('text/') ? `${type}; charset=utf-8` : type;
}

/**
 * The file an `app://` request URL stands for, or null when it is not a workstation URL or leaves
 * `rendererDir` (`..`, encoded separators, absolute paths).
 * @param rendererDir absolute path of the built renderer (`out/renderer`).
 */
export function rendererFileFor(requestUrl: string, rendererDir: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || inside.includes(`..${sep}`) || resolve(root, inside) !== file) return null;
  return file;
}

/** The page URL of a window: the index page with the window's parameters as its query. */
export function rendererPageUrl(query: Readonly<Record<string, string>>): string {
  const search = new URLSearchParams(query).toString();
  return search ? `${RENDERER_PAGE_URL}?${search}` : RENDERER_PAGE_URL;
}
