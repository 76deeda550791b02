/**
 * Layouts in the headless host, where each workstation window is a browser window of one origin:
 * windows meet on a `BroadcastChannel` ("workstation-desk"). Saving asks every open window for its
 * kind, symbol, link colour, chart settings and bounds (screenX/screenY/outerWidth/outerHeight);
 * restoring closes the others and opens the layout's windows with `window.open` at their bounds,
 * placed on the screen that exists ({@link placeWindow}). The Electron app does the same in the
 * main process with real displays.
 */
import { arrangementKey, placeWindow, type DisplayInfo, type Layout, type WindowLayout } from '../../shared/layouts';
import type { WindowKind, WindowParams } from '../../shared/protocol';
import { windowState } from '../window-state';

const CHANNEL = 'workstation-desk';
/** How long a save waits for the other windows to answer, ms. */
const COLLECT_MS = 400;

type DeskMessage =
  | { readonly type: 'collect'; readonly requestId: string }
  | { readonly type: 'report'; readonly requestId: string; readonly window: WindowLayout }
  | { readonly type: 'close'; readonly except: string };

/** The browser's one display, DIP px (a browser sees only the screen its window is on). */
export function browserDisplay(): DisplayInfo {
  const s = window.screen as Screen & { availLeft?: number; availTop?: number; left?: number; top?: number };
  const x = s.left ?? 0;
  const y = s.top ?? 0;
  return {
    id: 0,
    bounds: { x, y, width: s.width, height: s.height },
    workArea: { x: s.availLeft ?? x, y: s.availTop ?? y, width: s.availWidth, height: s.availHeight },
    scaleFactor: window.devicePixelRatio || 1,
  };
}

/** This window as a layout window. */
function describeSelf(kind: WindowKind): WindowLayout {
  const state = windowState.getState();
  return {
    kind,
    ...(state.symbol ? { symbol: state.symbol } : {}),
    group: state.group === 'none' ? null : state.group,
    bounds: { x: window.screenX, y: window.screenY, width: Math.max(1, window.outerWidth), height: Math.max(1, window.outerHeight) },
    displayId: 0,
    ...(state.chart ? { chart: state.chart } : {}),
  };
}

const selfId = Math.random().toString(36).slice(2);
let channel: BroadcastChannel | null = null;
let selfKind: WindowKind = 'launcher';

/** Joins the desk: this window answers saves and closes on a restore. No-op without BroadcastChannel. */
export function joinBrowserDesk(kind: WindowKind): void {
  if (typeof BroadcastChannel === 'undefined' || channel) return;
  selfKind = kind;
  channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<DeskMessage>) => {
    const message = event.data;
    if (message.type === 'collect' && kind !== 'launcher') {
      channel?.postMessage({ type: 'report', requestId: message.requestId, window: describeSelf(kind) } satisfies DeskMessage);
    } else if (message.type === 'close' && message.except !== selfId) {
      window.close();
    }
  };
}

/** Every open workstation window of this browser (this one included, launchers excepted). */
export async function collectBrowserWindows(): Promise<WindowLayout[]> {
  const requestId = Math.random().toString(36).slice(2);
  const windows: WindowLayout[] = selfKind === 'launcher' ? [] : [describeSelf(selfKind)];
  if (typeof BroadcastChannel === 'undefined') return windows;
  const listener = new BroadcastChannel(CHANNEL);
  listener.onmessage = (event: MessageEvent<DeskMessage>) => {
    if (event.data.type === 'report' && event.data.requestId === requestId) windows.push(event.data.window);
  };
  listener.postMessage({ type: 'collect', requestId } satisfies DeskMessage);
  await new Promise((resolve) => setTimeout(resolve, COLLECT_MS));
  listener.close();
  return windows;
}

/** A layout of the open windows, named `name`, saved now. */
export async function browserLayout(name: string): Promise<Layout> {
  return { name, arrangementKey: arrangementKey([browserDisplay()]), windows: await collectBrowserWindows(), savedAt: Date.now() };
}

/** The page URL of a layout window, keeping this page's host token. */
export function windowUrl(params: WindowParams, page: URL = new URL(window.location.href)): string {
  const url = new URL(page.href);
  url.search = '';
  url.searchParams.set('token', page.searchParams.get('token') ?? '');
  url.searchParams.set('window', params.kind);
  if (params.symbol) url.searchParams.set('symbol', params.symbol);
  if (params.group) url.searchParams.set('group', params.group);
  if (params.timeframe) url.searchParams.set('timeframe', params.timeframe);
  return url.href;
}

/** `window.open` features placing a window at `bounds` (DIP px). */
export function popupFeatures(bounds: WindowLayout['bounds']): string {
  return `popup,left=${bounds.x},top=${bounds.y},width=${bounds.width},height=${bounds.height}`;
}

/** Closes the other windows and opens `layout`'s, fully on this screen. Returns how many opened. */
export function openBrowserLayout(layout: Layout, indicators: (w: WindowLayout) => string | null = (w) => w.chart?.indicators?.join(',') ?? null): number {
  channel?.postMessage({ type: 'close', except: selfId } satisfies DeskMessage);
  const display = browserDisplay();
  let opened = 0;
  for (const w of layout.windows) {
    const { bounds } = placeWindow(w, [display]);
    const url = new URL(
      windowUrl({ kind: w.kind, ...(w.symbol ? { symbol: w.symbol } : {}), group: w.group ?? 'none', ...(w.chart ? { timeframe: w.chart.timeframe } : {}) }),
    );
    const list = indicators(w);
    if (list) url.searchParams.set('indicators', list);
    if (window.open(url.href, '_blank', popupFeatures(bounds))) opened++;
  }
  // A window that is part of the layout itself was reopened above: this copy goes.
  if (selfKind !== 'launcher') window.close();
  return opened;
}
