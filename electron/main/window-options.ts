/**
 * Options of every workstation window: locked down (sandbox, context isolation, no Node in the
 * renderer, no remote content) and sized for its kind.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { WINDOW_TITLES, type WindowParams } from '../../shared/protocol';

/** Default content size per window kind, px. */
export const DEFAULT_WINDOW_SIZES: Readonly<Record<WindowParams['kind'], { width: number; height: number }>> = {
  launcher: { width: 420, height: 360 },
  watchlist: { width: 620, height: 420 },
  chart: { width: 1000, height: 640 },
  ticket: { width: 380, height: 460 },
  orders: { width: 1000, height: 480 },
  fills: { width: 820, height: 420 },
  positions: { width: 900, height: 460 },
  alerts: { width: 760, height: 420 },
  health: { width: 900, height: 380 },
  'time-and-sales': { width: 340, height: 560 },
  settings: { width: 820, height: 640 },
};


/** BrowserWindow options for a window of `params.kind` using the preload at `preloadPath`. */
export function browserWindowOptions(params: WindowParams, preloadPath: string): BrowserWindowConstructorOptions {
  const size = params.bounds ?? DEFAULT_WINDOW_SIZES[params.kind];
  return {
    ...size,
    minWidth: 320,
    minHeight: 240,
    title: params.symbol ? `${WINDOW_TITLES[params.kind]} — ${params.symbol}` : WINDOW_TITLES[params.kind],
    backgroundColor: '#0f1115',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  };
}

/** Query string values the renderer reads to know which window it is. */
export function rendererQuery(params: WindowParams): Record<string, string> {
  const query: Record<string, string> = { window: params.kind };
  if (params.symbol) query.symbol = params.symbol;
  if (params.group) query.group = params.group;
  if (params.timeframe) query.timeframe = params.timeframe;
  return query;
}
